//! Text of PDF files through pdfboss (pure Rust; chosen by measurement, see the closing notes of
//! the core issue). Kept behind this one module so the crate can be swapped.

use std::path::Path;

use pdfboss_core::Document;
use pdfboss_output::ReadingOrder;

use crate::model::TextStatus;

use super::text::TextSink;
use super::Extraction;

/// Extracts the text of every page. A file that opens but yields no text is a scan when it is
/// complete, and damaged when it is truncated or some pages cannot be read.
pub fn extract(path: &Path, max_text: usize) -> Extraction {
    let document = match Document::open(path) {
        Ok(document) => document,
        Err(pdfboss_core::Error::Encrypted) => {
            return damaged("le PDF est protégé par un mot de passe", None)
        }
        Err(_) => return damaged("le PDF est endommagé et ne peut pas être lu", None),
    };
    if document.is_locked() {
        return damaged("le PDF est protégé par un mot de passe", None);
    }
    // The walked page tree, not the declared `/Count`, which damaged files get wrong.
    let page_count = document.flattened_page_count();
    let pages = u32::try_from(page_count).ok();
    if page_count == 0 {
        return damaged("le PDF ne contient aucune page lisible", pages);
    }
    let mut sink = TextSink::new(max_text);
    let mut unreadable_pages = 0usize;
    for index in 0..page_count {
        let text = document
            .page(index)
            .and_then(|page| pdfboss_output::extract_text(&document, &page, ReadingOrder::Content));
        match text {
            Ok(text) => {
                sink.push(&text);
                sink.push("\n\n");
            }
            Err(_) => unreadable_pages += 1,
        }
        if sink.is_full() {
            break;
        }
    }
    let text = sink.finish();
    let title = document.metadata().title;
    let truncated = !ends_with_eof_marker(document.bytes());
    let (status, reason) = if !text.trim().is_empty() {
        if unreadable_pages > 0 {
            (
                TextStatus::Damaged,
                Some(format!("{unreadable_pages} page(s) illisible(s)")),
            )
        } else {
            (TextStatus::Ok, None)
        }
    } else if truncated || unreadable_pages > 0 {
        (
            TextStatus::Damaged,
            Some("le PDF est incomplet ou endommagé".to_owned()),
        )
    } else {
        (
            TextStatus::NoText,
            Some("aucun texte dans le PDF (document scanné ?)".to_owned()),
        )
    };
    Extraction {
        title,
        text,
        pages,
        status,
        reason,
    }
}

fn damaged(reason: &str, pages: Option<u32>) -> Extraction {
    Extraction {
        pages,
        ..Extraction::failed(reason)
    }
}

/// A complete PDF ends with `%%EOF` (give or take trailing white space and junk).
fn ends_with_eof_marker(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    tail.windows(5).any(|w| w == b"%%EOF")
}
