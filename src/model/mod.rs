//! The vocabulary shared by every layer: documents, their metadata and the values they are made of.
//! Nothing here does I/O; values are validated when they are built, so the layers can trust them.

mod account;
mod dates;
mod document;
mod fold;
mod format;
mod homework;
mod html;
mod names;
mod print;
mod reading;
mod school;
mod short_code;
mod sounds;

pub use account::{Account, ApiToken, Login, Role};
pub use dates::{french_date, iso_date, parse_iso_date};
pub use document::{
    join_ids, split_ids, Document, DocumentFilter, DocumentId, Hit, Metadata, Source, TextStatus,
    Visibility, MAX_OFFSET, MAX_PAGE_SIZE,
};
pub use fold::fold;
pub use format::Format;
pub use homework::{
    is_weekend, week_start, ClassName, Homework, HomeworkProblem, NewHomework, MAX_CLASSES,
    MAX_ENTRY_DOCUMENTS, MAX_INSTRUCTION_CHARS,
};
pub use html::escape_html;
pub use names::{Level, Subject};
pub use print::{PrintRequest, PrintStatus};
pub use reading::{Block, Reading};
pub use school::{School, WifiSecurity};
pub use short_code::{ShortCode, SHORT_CODE_LENGTHS};
pub use sounds::sound_key;
