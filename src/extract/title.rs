//! Choosing a document's title when the teacher gave none: the document's own title when it is
//! not junk ("Microsoft Word - x.docx", "untitled"), else a clean version of the file name.

use std::path::Path;

/// The title to show: `stated` (from the document's metadata or first heading) when it looks like
/// a real title, else one made from the file name.
pub fn choose(stated: Option<&str>, file_name: &str) -> String {
    stated
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !is_junk(t))
        .unwrap_or_else(|| from_file_name(file_name))
}

/// Titles producers write by themselves, which say nothing about the document.
fn is_junk(title: &str) -> bool {
    let lower = title.to_lowercase();
    let chars = title.chars().count();
    let has_letters = title.chars().filter(|c| c.is_alphabetic()).count() >= 3;
    const JUNK_PREFIXES: [&str; 4] = [
        "microsoft word - ",
        "microsoft powerpoint - ",
        "untitled",
        "sans titre",
    ];
    const FILE_EXTENSIONS: [&str; 10] = [
        ".doc", ".docx", ".odt", ".pdf", ".ppt", ".pptx", ".tex", ".dvi", ".txt", ".rtf",
    ];
    !(3..=200).contains(&chars)
        || !has_letters
        || JUNK_PREFIXES.iter().any(|p| lower.starts_with(p))
        || FILE_EXTENSIONS.iter().any(|e| lower.ends_with(e))
        || matches!(
            lower.as_str(),
            "document" | "title" | "titre" | "diapositive 1" | "slide 1"
        )
}

/// `"cned_maths_seq01_les_fonctions.pdf"` -> `"Cned maths seq01 les fonctions"`.
pub fn from_file_name(file_name: &str) -> String {
    let stem = Path::new(file_name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(file_name);
    let spaced: String = stem
        .chars()
        .map(|c| if c == '_' { ' ' } else { c })
        .collect();
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let joined = words.join(" ");
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Document sans titre".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_titles_are_kept_and_junk_is_replaced_by_the_file_name() {
        assert_eq!(
            choose(Some("Les  fonctions affines"), "x.pdf"),
            "Les fonctions affines"
        );
        assert_eq!(
            choose(Some("Microsoft Word - cours.docx"), "cours_maths.pdf"),
            "Cours maths"
        );
        assert_eq!(choose(Some("untitled"), "fiche.pdf"), "Fiche");
        assert_eq!(choose(Some("0001"), "fiche.pdf"), "Fiche");
        assert_eq!(
            choose(None, "memo_mkdir_creer_des_repertoires.odt"),
            "Memo mkdir creer des repertoires"
        );
    }
}
