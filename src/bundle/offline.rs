//! The `index.html` of a bundle: one self-contained French page (no network, no server, works
//! from `file://` on Windows, macOS, Linux, Android and ChromeOS) that lists the documents with
//! their size and date, and searches them with plain JavaScript over an accent-folded word index
//! kept beside it in `recherche.js` (offline_index.rs), forgiving like the web search (plurals, a
//! typo, words spelt as they sound). Without JavaScript, or without that file, the full list
//! still shows.

use crate::model::escape_html as escape;

use super::{Cover, Item, SEARCH_FILE};

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

/// The search (ES5 only, so old phones and school computers run it); its words come from
/// `recherche.js` (see offline_index.rs).
const SCRIPT: &str = include_str!("offline.js");

/// The rows are blocks, not list items: hiding 1,999 list items made Chromium renumber the list
/// for each, a second on a class's 2,000 documents.
const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:50rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1b1b1b}\
h1{font-size:1.5rem}input{width:100%;font-size:1.2rem;min-height:48px;padding:.4rem;border:2px solid #4a4a4a;border-radius:6px;box-sizing:border-box}\
ul{list-style:none;padding:0}.week>li{border-bottom:2px solid #4a4a4a}.week p{margin:.3rem 0}li{border-bottom:1px solid #c9ced6;padding:.6rem 0}a{color:#0b4f9c;font-weight:600;font-size:1.1rem}.meta{color:#4a4a4a}#search{display:none}\
#docs>li{display:block}#docs.filtered>li{display:none}#docs.filtered>li.hit{display:block}";

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
            "<li><a href=\"{}\">{}</a><div class=\"meta\">{}</div></li>\n",
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
<ul id=\"docs\">\n{rows}</ul><script>{SCRIPT}</script><script src=\"{SEARCH_FILE}\"></script></body></html>\n",
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
        let items = [item];
        let html = index_html(&cover, &items);
        assert!(!html.contains("<script>alert") && !html.contains("Lycée <b>"));
        let search = super::super::offline_index::search_js(&items);
        assert!(!search.contains("onmouseover"), "{search}");
    }
}
