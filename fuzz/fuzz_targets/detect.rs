//! The format sniffer (`extract::detect`): any bytes under any of a few names give a kind or a
//! refusal, never a panic. The first byte picks the name the file was given.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 8] = [
    "a.pdf",
    "a.docx",
    "a.odt",
    "a.pptx",
    "a.zip",
    "a.md",
    "a.txt",
    "sans-extension",
];

fn scratch() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    // tmpfs when there is one: a file is written per input.
    DIR.get_or_init(|| {
        tempfile::tempdir_in("/dev/shm")
            .or_else(|_| tempfile::tempdir())
            .unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, content)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(pick) % NAMES.len()];
    let path = scratch().path().join(name);
    std::fs::write(&path, content).unwrap();
    let _ = cartable::extract::detect(&path, name);
});
