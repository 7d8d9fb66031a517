//! Synthetic libraries made at run time from the shared corpus: paragraphs of its real documents
//! (their text as cartable extracted it) mixed into Markdown and plain-text files, each with one
//! word no other document has, spread over classes, subjects and "à faire pour" dates, then
//! imported through the real `Core::import` as a person would import folders.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use cartable::model::{DocumentFilter, Metadata};
use cartable::service::Core;

/// The class the USB export takes: it holds `class_documents(n)` documents.
pub const CLASS: &str = "2nde B";
/// Import batches: each gets its own "à faire pour" date.
const BATCHES: usize = 10;
const LEVELS: [&str; 7] = ["6e", "5e", "4e", "3e", "2nde", "1re", "Tle"];
const LETTERS: [&str; 5] = ["A", "B", "C", "D", "E"];
const SUBJECTS: [&str; 12] = [
    "Mathématiques",
    "Français",
    "Histoire-Géographie",
    "Physique-Chimie",
    "SVT",
    "Anglais",
    "Espagnol",
    "Allemand",
    "NSI",
    "SES",
    "Philosophie",
    "Technologie",
];
const KINDS: [&str; 6] = [
    "Fiche",
    "Exercices",
    "Cours",
    "Corrigé",
    "Devoir",
    "Activité",
];

/// Documents of the exported class: 2,000, or a fifth of a small library.
pub fn class_documents(n: usize) -> usize {
    2000.min(n / 5).max(1)
}

/// The word only document `i` has (letters only, far from the others' by several edits, so
/// typo tolerance does not find its neighbours).
pub fn unique_word(i: usize) -> String {
    let mut state = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5DEE_CE66;
    let mut word = String::from("zq");
    for _ in 0..7 {
        state = splitmix(state);
        word.push((b'a' + (state % 26) as u8) as char);
    }
    word
}

/// Titles and paragraphs of the real documents.
pub struct Pool {
    titles: Vec<String>,
    paragraphs: Vec<String>,
}

impl Pool {
    /// Imports the corpus into a scratch data folder to read its texts as cartable extracts them.
    pub fn from_corpus(corpus: &Path, scratch: &Path) -> Pool {
        let core = super::corpus::open_core(scratch);
        let (report, _) = super::corpus::import(&core, corpus);
        let mut titles = Vec::new();
        let mut paragraphs = Vec::new();
        for document in report.added() {
            titles.push(document.title.clone());
            // Lines run together into paragraphs of 400 to 900 bytes, as a handout's.
            let text = core.text(&document.id).unwrap_or_default();
            let mut paragraph = String::new();
            for line in text.split('\n').map(str::trim).filter(|l| !l.is_empty()) {
                if !paragraph.is_empty() {
                    paragraph.push(' ');
                }
                paragraph.push_str(line);
                if paragraph.len() >= 400 {
                    paragraphs.push(cut(&paragraph, 900).to_owned());
                    paragraph.clear();
                }
            }
        }
        drop(core);
        let _ = std::fs::remove_dir_all(scratch);
        assert!(!paragraphs.is_empty(), "the corpus gave paragraphs");
        Pool { titles, paragraphs }
    }

    pub fn paragraphs(&self) -> usize {
        self.paragraphs.len()
    }
}

/// A generated library's source files, by import batch.
pub struct Sources {
    pub batches: Vec<(PathBuf, time::Date)>,
    pub bytes: u64,
}

/// Writes `n` documents under `dir`: `lot-NN/<class>/<subject>/<kind> <i> - <title>.md|.txt`.
pub fn generate(pool: &Pool, n: usize, dir: &Path) -> Sources {
    let mut rng = splitmix(n as u64);
    let class_every = (n / class_documents(n)).max(1);
    let first_due = time::macros::date!(2026 - 09 - 07);
    let batches: Vec<(PathBuf, time::Date)> = (0..BATCHES)
        .map(|b| {
            (
                dir.join(format!("lot-{b:02}")),
                first_due + time::Duration::weeks(3 * b as i64),
            )
        })
        .collect();
    let mut bytes = 0;
    for i in 0..n {
        rng = splitmix(rng);
        let class = if i % class_every == 0 && i / class_every < class_documents(n) {
            CLASS.to_owned()
        } else {
            let mut pick = rng as usize % (LEVELS.len() * LETTERS.len() - 1);
            // Skip the exported class: it holds exactly its share.
            if format!("{} {}", LEVELS[pick / 5], LETTERS[pick % 5]) == CLASS {
                pick += 1;
            }
            format!("{} {}", LEVELS[pick / 5], LETTERS[pick % 5])
        };
        let subject = SUBJECTS[(rng >> 8) as usize % SUBJECTS.len()];
        let kind = KINDS[(rng >> 16) as usize % KINDS.len()];
        let title = &pool.titles[(rng >> 24) as usize % pool.titles.len()];
        let markdown = (rng >> 32) % 10 < 7;
        let mut text = String::new();
        if markdown {
            text.push_str(&format!("# {kind} {} : {title}\n\n", i + 1));
        }
        // 3 to 12 paragraphs: one to three pages of text, as a handout's.
        for p in 0..3 + (rng >> 40) as usize % 10 {
            let at = splitmix(rng + p as u64) as usize % pool.paragraphs.len();
            text.push_str(&pool.paragraphs[at]);
            text.push_str("\n\n");
        }
        text.push_str(&format!(
            "Mots-clés : {} ; {subject} ; {class}.\n",
            unique_word(i)
        ));
        let name = format!(
            "{kind} {} - {}.{}",
            i + 1,
            cut(&title.replace(['/', '\\', ':'], " "), 60).trim(),
            if markdown { "md" } else { "txt" }
        );
        let folder = batches[i * BATCHES / n].0.join(&class).join(subject);
        std::fs::create_dir_all(&folder).expect("source folder");
        std::fs::write(folder.join(name), &text).expect("source file");
        bytes += text.len() as u64;
    }
    Sources { batches, bytes }
}

/// Imports every batch with its due date; returns the documents added and the time it took.
pub fn import(core: &Core, sources: &Sources) -> (usize, Duration) {
    let started = Instant::now();
    let mut added = 0;
    for (folder, due) in &sources.batches {
        let given = Metadata {
            due: Some(*due),
            ..Metadata::default()
        };
        let report = core
            .import(std::slice::from_ref(folder), &given, &|_, _, _| {})
            .expect("the generated library imports");
        let refused: Vec<_> = report.refused().take(3).collect();
        assert!(refused.is_empty(), "refused: {refused:?}");
        added += report.added().count();
    }
    (added, started.elapsed())
}

/// Public documents of the exported class, as its USB export will select them.
pub fn class_filter() -> DocumentFilter {
    DocumentFilter {
        class: Some(CLASS.to_owned()),
        public_only: true,
        limit: 100,
        ..DocumentFilter::default()
    }
}

fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}
