//! Zip import (`service/import.rs`): a zip pack handed to `cartable import` is read, its entries
//! named, inferred and streamed into a real store, each added or refused with a reason, never a
//! panic or a hang. Thin on purpose: one call to `Core::import`, whatever reads the zip inside.
//! Extraction is pointed at a missing program, so documents are stored without text (the
//! extraction child has its own sandbox and the `office` target).
#![no_main]

use std::sync::OnceLock;

use cartable::extract::{Extractor, Limits};
use cartable::model::Metadata;
use cartable::service::{Core, Settings};
use libfuzzer_sys::fuzz_target;

struct World {
    core: Core,
    scratch: tempfile::TempDir,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let scratch = tempfile::tempdir_in("/dev/shm")
            .or_else(|_| tempfile::tempdir())
            .unwrap();
        let extractor = Extractor::new("/nonexistent/cartable".into(), vec![], Limits::default());
        let mut settings = Settings::new(scratch.path().join("data"), extractor);
        settings.max_upload_bytes = 1024 * 1024;
        let core = Core::open(&settings).unwrap();
        World { core, scratch }
    })
}

fuzz_target!(|data: &[u8]| {
    let world = world();
    let pack = world.scratch.path().join("pack.zip");
    std::fs::write(&pack, data).unwrap();
    let _ = world
        .core
        .import(&[pack], &Metadata::default(), &|_, _, _| {});
});
