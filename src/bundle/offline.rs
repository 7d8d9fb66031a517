//! The `index.html` of a bundle: one self-contained French page (no network, no server, works
//! from `file://` on Windows, macOS, Linux, Android and ChromeOS) that lists the documents with
//! their size and date, and searches them with plain JavaScript over a small accent-folded word
//! index, forgiving like the web search (plurals, a typo, words spelt as they sound). Without
//! JavaScript the full list still shows.

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

/// The search runs on each row's `data-words` (folded title, subject and text words). A typed word
/// matches a row having a word it starts (its plural dropped), a word one typo away (5+ letters)
/// or a word of the same sound key (`soundKey`, the JavaScript twin of `model::sound_key`: a test
/// runs both over tests/fixtures/sound-alike.txt), or, when nothing matched so, of a key one edit
/// away if the key has 6+ sounds (`FUZZY_KEY_MIN` of index/sounds.rs). Rows with every word show; when none has them
/// all, those with some, saying so. ES5 only, so old phones and school computers run it.
const SCRIPT: &str = r#"
var from = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿœæ", to = "aaaaaaceeeeiiiinooooouuuuyyoa";
function fold(s) {
  s = s.toLowerCase(); var out = "";
  for (var i = 0; i < s.length; i++) { var k = from.indexOf(s.charAt(i)); out += k < 0 ? s.charAt(i) : to.charAt(k); }
  return out;
}
// The sound key of a word, as src/model/sounds.rs makes it (a test compares the two).
function isVowel(c) { return c !== "" && "aeiou".indexOf(c) >= 0; }
function soundKey(word) {
  var w = "", i, c, lower = word.toLowerCase();
  for (i = 0; i < lower.length; i++) { c = lower.charAt(i); w += c === "ç" ? "s" : (c === "œ" || c === "æ") ? "e" : c; }
  w = fold(w).replace(/y/g, "i");
  if (w.length < 3 || !/^[a-z]+$/.test(w)) return null;
  if (w.length > 3 && /[sx]$/.test(w)) w = w.slice(0, -1);
  if (w.length >= 5 && /e[rz]$/.test(w)) w = w.slice(0, -1);
  if (w.length > 3 && /[td]$/.test(w)) w = w.slice(0, -1);
  var n = w.length, out = "";
  function at(k) { return k < n ? w.charAt(k) : ""; }
  function starts(k, p) { return w.substr(k, p.length) === p; }
  function nasal(k) { var m = at(k), d = at(k + 1); return (m === "n" || m === "m") && !isVowel(d) && d !== "n" && d !== "m"; }
  i = 0;
  while (i < n) {
    c = w.charAt(i);
    var a = at(i + 1), b = at(i + 2), ae = c === "a" || c === "e", s = c, u = 1;
    if (c === "e" && starts(i, "eau")) { s = "o"; u = 3; }
    else if (c === "a" && a === "u") { s = "o"; u = 2; }
    else if (c === "o" && starts(i, "oin") && nasal(i + 2)) { s = "w3"; u = 3; }
    else if (c === "o" && a === "i") { s = "wa"; u = 2; }
    else if (c === "o" && a === "u") { s = "w"; u = 2; }
    else if (ae && a === "i" && b === "l" && (at(i + 3) === "l" || i + 3 === n)) { s = c; }
    else if (ae && a === "i" && isVowel(b)) { s = c; }
    else if (ae && a === "i" && nasal(i + 2)) { s = "3"; u = 3; }
    else if (ae && a === "i") { s = "e"; u = 2; }
    else if (c === "e" && a === "u") { s = "e"; u = 2; }
    else if (ae && nasal(i + 1)) { s = "1"; u = 2; }
    else if (c === "o" && nasal(i + 1)) { s = "2"; u = 2; }
    else if ((c === "i" || c === "u") && nasal(i + 1)) { s = "3"; u = 2; }
    else if (c === "i" && starts(i, "ill")) { s = "i"; u = 3; }
    else if (c === "i" && a === "l" && i + 2 === n && i > 0 && isVowel(w.charAt(i - 1))) { s = "i"; u = 2; }
    else if (c === "t" && a === "i" && (b === "o" || b === "a" || starts(i + 2, "eu") || starts(i + 2, "el")) && (i === 0 || w.charAt(i - 1) !== "s")) { s = "s"; }
    else if (c === "p" && a === "h") { s = "f"; u = 2; }
    else if ((c === "t" || c === "r" || c === "g") && a === "h") { u = 2; }
    else if (c === "s" && starts(i, "sch")) { s = "x"; u = 3; }
    else if (c === "c" && (starts(i, "chr") || starts(i, "chl"))) { s = "k"; u = 2; }
    else if ((c === "c" || c === "s") && a === "h") { s = "x"; u = 2; }
    else if (c === "q" && a === "u") { s = "k"; u = 2; }
    else if (c === "c" && a === "k") { s = "k"; u = 2; }
    else if (c === "c" && a === "c" && (b === "e" || b === "i")) { s = "ks"; u = 2; }
    else if (c === "s" && a === "c" && (b === "e" || b === "i")) { s = "s"; u = 2; }
    else if (c === "c" && (a === "e" || a === "i")) { s = "s"; }
    else if (c === "c" || c === "q" || c === "k") { s = "k"; }
    else if (c === "g" && a === "u" && (b === "e" || b === "i")) { s = "g"; u = 2; }
    else if (c === "g" && a === "e" && (b === "a" || b === "o" || b === "u")) { s = "j"; u = 2; }
    else if (c === "g" && (a === "e" || a === "i")) { s = "j"; }
    else if (c === "g" && a === "n") { s = "ni"; u = 2; }
    else if (c === "x" && a === "c" && (b === "e" || b === "i")) { s = "ks"; u = 2; }
    else if (c === "x") { s = "ks"; }
    else if (c === "z") { s = "s"; }
    else if (c === "w") { s = "v"; }
    else if (c === "h") { s = ""; }
    out += s; i += u;
  }
  var key = "";
  for (i = 0; i < out.length; i++) { if (out.charAt(i) !== key.charAt(key.length - 1)) key += out.charAt(i); }
  if (key.length > 1 && key.charAt(key.length - 1) === "e") key = key.slice(0, -1);
  return key;
}
(function () {
  var box = document.getElementById("q"), rows = document.querySelectorAll("li[data-words]"), count = document.getElementById("count");
  document.getElementById("search").style.display = "block";
  // Every distinct word of the page, with the rows that have it; their sound keys on demand.
  var rowsOf = {}, words = [], keys = {};
  for (var r = 0; r < rows.length; r++) {
    var own = rows[r].getAttribute("data-words").split(" ");
    for (var o = 0; o < own.length; o++) {
      if (!own[o]) continue;
      if (!rowsOf.hasOwnProperty(own[o])) { rowsOf[own[o]] = []; words.push(own[o]); }
      rowsOf[own[o]].push(r);
    }
  }
  // At most one letter added, dropped, changed, or two swapped.
  function near(a, b) {
    var i = 0;
    while (i < a.length && i < b.length && a.charAt(i) === b.charAt(i)) i++;
    if (a.length === b.length) return a.substr(i + 1) === b.substr(i + 1) || (a.charAt(i) === b.charAt(i + 1) && a.charAt(i + 1) === b.charAt(i) && a.substr(i + 2) === b.substr(i + 2));
    if (a.length === b.length + 1) return a.substr(i + 1) === b.substr(i);
    if (b.length === a.length + 1) return b.substr(i + 1) === a.substr(i);
    return false;
  }
  // The rows having a word that starts with `q` (plural dropped), is one typo from it, or sounds like
  // it. Only when none has: for keys of 6+ sounds, a key one slip away ("sovgarde"), as the web
  // search looks further only for words it does not know.
  function rowsFor(q) {
    var stem = q.length > 3 ? q.replace(/[sx]$/, "") : q, key = q.length >= 4 ? soundKey(q) : null, found = {}, any = false;
    if (key && key.length < 3) key = null;
    function take(w) { any = true; for (var k = 0; k < rowsOf[w].length; k++) found[rowsOf[w][k]] = true; }
    function heard(w) { if (!keys.hasOwnProperty(w)) keys[w] = soundKey(w); return keys[w]; }
    for (var i = 0; i < words.length; i++) {
      var w = words[i];
      if (w.indexOf(stem) === 0 || (q.length >= 5 && Math.abs(w.length - q.length) <= 1 && near(q, w)) || (key && heard(w) === key)) take(w);
    }
    if (!any && key && key.length >= 6) {
      for (i = 0; i < words.length; i++) {
        var h = heard(words[i]);
        if (h !== null && Math.abs(h.length - key.length) <= 1 && near(key, h)) take(words[i]);
      }
    }
    return found;
  }
  function run() {
    var typed = fold(box.value).split(/[^a-z0-9]+/), sets = [], all = [], some = [];
    for (var t = 0; t < typed.length; t++) if (typed[t]) sets.push(rowsFor(typed[t]));
    for (var r = 0; r < rows.length; r++) {
      var n = 0;
      for (var s = 0; s < sets.length; s++) if (sets[s][r]) n++;
      if (n === sets.length) all.push(r); else if (n > 0) some.push(r);
    }
    var shown = all.length ? all : some, message;
    for (r = 0; r < rows.length; r++) rows[r].style.display = "none";
    for (r = 0; r < shown.length; r++) rows[shown[r]].style.display = "";
    if (shown.length === 0) message = "Aucun document ne correspond à « " + box.value + " ». Essayez un autre mot.";
    else if (!all.length) message = "Aucun document ne contient tous vos mots ; voici ceux qui en contiennent une partie (" + shown.length + ").";
    else message = shown.length + " document(s)";
    count.textContent = message;
  }
  // index.html#q=fractions opens with that search done (a link written on a sheet or a poster).
  var asked = typeof location !== "undefined" && /[#&]q=([^&]*)/.exec(location.hash);
  if (asked) box.value = decodeURIComponent(asked[1]);
  box.oninput = run; run();
})();
"#;

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:50rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1b1b1b}\
h1{font-size:1.5rem}input{width:100%;font-size:1.2rem;min-height:48px;padding:.4rem;border:2px solid #4a4a4a;border-radius:6px;box-sizing:border-box}\
ul{list-style:none;padding:0}.week>li{border-bottom:2px solid #4a4a4a}.week p{margin:.3rem 0}li{border-bottom:1px solid #c9ced6;padding:.6rem 0}a{color:#0b4f9c;font-weight:600;font-size:1.1rem}.meta{color:#4a4a4a}#search{display:none}";

/// A class's week as a copy made for that class shows it above its documents.
#[derive(Debug, Clone)]
pub struct WeekNotes {
    /// "Seconde B — semaine du 30 novembre au 6 décembre 2026".
    pub title: String,
    pub entries: Vec<WeekNote>,
}

/// One entry of the cahier de texte in a copy.
#[derive(Debug, Clone)]
pub struct WeekNote {
    /// "Pour le lundi 30 novembre · Mathématiques".
    pub heading: String,
    pub instruction: String,
    /// Title and content hash of each attached public document: those in the copy link to
    /// their file.
    pub documents: Vec<(String, String)>,
}

/// The week's entries, each document linked to its copied file when the copy has it.
fn week_html(week: &WeekNotes, items: &[Item]) -> String {
    let mut html = format!(
        "<section id=\"semaine\"><h2>Pour aujourd'hui : {}</h2><ul class=\"week\">\n",
        escape(&week.title)
    );
    for entry in &week.entries {
        let instruction = entry
            .instruction
            .lines()
            .map(escape)
            .collect::<Vec<_>>()
            .join("<br>");
        html.push_str(&format!(
            "<li><strong>{}</strong><p>{instruction}</p>",
            escape(&entry.heading)
        ));
        if !entry.documents.is_empty() {
            html.push_str("<ul>");
            for (title, sha256) in &entry.documents {
                match items.iter().find(|item| &item.sha256 == sha256) {
                    Some(item) => html.push_str(&format!(
                        "<li><a href=\"{}\">{}</a></li>",
                        href(&item.path),
                        escape(title)
                    )),
                    None => html.push_str(&format!(
                        "<li>{} <span class=\"meta\">(sur le site du lycée)</span></li>",
                        escape(title)
                    )),
                }
            }
            html.push_str("</ul>");
        }
        html.push_str("</li>\n");
    }
    html.push_str("</ul></section>\n");
    html
}

pub fn index_html(cover: &Cover, items: &[Item]) -> String {
    let week = cover
        .week
        .as_ref()
        .map(|week| week_html(week, items))
        .unwrap_or_default();
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
<h1>{title}</h1><p>{school} — documents copiés le {date}. Ouvrez un document en touchant son titre ; aucune connexion n'est nécessaire.</p>{week}\
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
            week: None,
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
