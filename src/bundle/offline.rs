//! The `index.html` of a bundle: one self-contained French page (no network, no server, works
//! from `file://` on Windows, macOS, Linux, Android and ChromeOS) that lists the documents with
//! their size and date, and searches them with a few lines of plain JavaScript over a small
//! accent-folded word index. Without JavaScript the full list still shows.

use crate::model::escape_html as escape;

use super::{Cover, Item};

/// A relative link to a file of the bundle: each path segment percent-encoded.
fn href(path: &[String]) -> String {
    path.iter()
        .map(|segment| {
            segment
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn size(bytes: u64) -> String {
    if bytes < 1000 * 1024 {
        format!("{} Ko", (bytes as f64 / 1024.0).ceil().max(1.0) as u64)
    } else {
        format!("{:.1} Mo", bytes as f64 / (1024.0 * 1024.0)).replace('.', ",")
    }
}

/// The search runs on each row's `data-words` (folded title, subject and text words): every typed
/// word must start one of them. ES5 only, so old phones and school computers run it.
const SCRIPT: &str = r#"
(function () {
  var from = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿœæ", to = "aaaaaaceeeeiiiinooooouuuuyyoa";
  function fold(s) {
    s = s.toLowerCase(); var out = "";
    for (var i = 0; i < s.length; i++) { var k = from.indexOf(s.charAt(i)); out += k < 0 ? s.charAt(i) : to.charAt(k); }
    return out;
  }
  var box = document.getElementById("q"), rows = document.querySelectorAll("li[data-words]"), count = document.getElementById("count");
  document.getElementById("search").style.display = "block";
  function run() {
    var words = fold(box.value).split(/[^a-z0-9]+/), shown = 0;
    for (var r = 0; r < rows.length; r++) {
      var hay = " " + rows[r].getAttribute("data-words"), ok = true;
      for (var w = 0; w < words.length; w++) { if (words[w] && hay.indexOf(" " + words[w]) < 0) { ok = false; break; } }
      rows[r].style.display = ok ? "" : "none"; if (ok) shown++;
    }
    count.textContent = shown + " document(s)";
  }
  // index.html#q=fractions opens with that search done (a link written on a sheet or a poster).
  var asked = typeof location !== "undefined" && /[#&]q=([^&]*)/.exec(location.hash);
  if (asked) box.value = decodeURIComponent(asked[1]);
  box.oninput = run; run();
})();
"#;

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:50rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1b1b1b}\
h1{font-size:1.5rem}input{width:100%;font-size:1.2rem;min-height:48px;padding:.4rem;border:2px solid #4a4a4a;border-radius:6px;box-sizing:border-box}\
ul{list-style:none;padding:0}li{border-bottom:1px solid #c9ced6;padding:.6rem 0}a{color:#0b4f9c;font-weight:600;font-size:1.1rem}.meta{color:#4a4a4a}#search{display:none}";

pub fn index_html(cover: &Cover, items: &[Item]) -> String {
    let mut rows = String::new();
    for item in items {
        let mut meta = Vec::new();
        if !item.levels.is_empty() {
            meta.push(item.levels.join(", "));
        }
        if let Some(subject) = &item.subject {
            meta.push(subject.clone());
        }
        meta.push(item.date.clone());
        meta.push(size(item.bytes));
        rows.push_str(&format!(
            "<li data-words=\"{}\"><a href=\"{}\">{}</a><div class=\"meta\">{}</div></li>\n",
            escape(&item.words),
            href(&item.path),
            escape(&item.title),
            escape(&meta.join(" · "))
        ));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title}</title><style>{STYLE}</style></head><body>\
<h1>{title}</h1><p>{school} — documents copiés le {date}. Ouvrez un document en touchant son titre ; aucune connexion n'est nécessaire.</p>\
<div id=\"search\"><label for=\"q\">Chercher un document</label> <input id=\"q\" type=\"search\" placeholder=\"Tapez un mot : fonction, révision…\" autocomplete=\"off\"><p id=\"count\"></p></div>\
<ul>\n{rows}</ul><script>{SCRIPT}</script></body></html>\n",
        title = escape(&cover.selection),
        school = escape(&cover.school),
        date = escape(&cover.date),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative_and_encoded() {
        let path = vec![
            "2nde".to_owned(),
            "Mathématiques".to_owned(),
            "Fiche #1 ?.pdf".to_owned(),
        ];
        assert_eq!(
            href(&path),
            "2nde/Math%C3%A9matiques/Fiche%20%231%20%3F.pdf"
        );
    }

    #[test]
    fn titles_cannot_inject_markup() {
        let cover = Cover {
            school: "Lycée <b>".into(),
            selection: "Tous".into(),
            date: "1 mars 2026".into(),
        };
        let item = Item {
            source: "/x".into(),
            path: vec!["a.pdf".into()],
            bytes: 10,
            sha256: String::new(),
            title: "<script>alert(1)</script>".into(),
            levels: vec![],
            subject: None,
            date: "1 mars 2026".into(),
            modified: time::macros::datetime!(2026-03-01 10:00),
            compress: false,
            words: "\"onmouseover".into(),
        };
        let html = index_html(&cover, &[item]);
        assert!(
            !html.contains("<script>alert")
                && !html.contains("Lycée <b>")
                && html.contains("&quot;onmouseover")
        );
    }
}
