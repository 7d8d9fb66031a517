//! The query analysis (`index/query.rs`, `index/analyzer.rs`): whatever a person types, with
//! whatever filters, searching a small real index gives results or a French refusal, never a
//! panic. The input is split on NUL into text, level, subject and class; its first two bytes
//! give the limit and offset.
#![no_main]

use std::sync::OnceLock;

use cartable::index::{IndexedDocument, SearchIndex, SearchRequest};
use cartable::model::DocumentId;
use libfuzzer_sys::fuzz_target;

const DOCUMENTS: [(&str, &str); 4] = [
    (
        "Les fonctions affines",
        "Une fonction affine s'écrit f(x) = ax + b. Les élèves étudient les fonctions.",
    ),
    (
        "La Révolution française",
        "En 1789, la prise de la Bastille ouvre la Révolution française ; l'école change.",
    ),
    (
        "Photosynthèse",
        "La photosynthèse des végétaux chlorophylliens produit du dioxygène.",
    ),
    (
        "Théorème de Pythagore",
        "Le théorème de Pythagore démontré.",
    ),
];

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<(tempfile::TempDir, SearchIndex)> = OnceLock::new();
    &INDEX
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let (index, _) = SearchIndex::open(&dir.path().join("index")).unwrap();
            for (n, (title, body)) in DOCUMENTS.iter().enumerate() {
                let id = DocumentId::generate();
                index
                    .upsert(&IndexedDocument {
                        id: &id,
                        title,
                        metadata: format!("cours-{n}.pdf mathematiques seconde"),
                        body,
                        levels: vec!["seconde", "premiere"],
                        subject: Some("mathematiques"),
                        class: (n % 2 == 0).then_some("2nde B"),
                        public: n != 3,
                    })
                    .unwrap();
            }
            index.commit().unwrap();
            (dir, index)
        })
        .1
}

fuzz_target!(|data: &[u8]| {
    let Some((&[limit, offset], rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut parts = text.split('\0');
    let request = SearchRequest {
        text: parts.next().unwrap_or_default().to_owned(),
        level: parts.next().map(str::to_owned),
        subject: parts.next().map(str::to_owned),
        class: parts.next().map(str::to_owned),
        public_only: limit & 1 == 1,
        limit: usize::from(limit),
        offset: usize::from(offset),
    };
    let _ = index().search(&request);
});
