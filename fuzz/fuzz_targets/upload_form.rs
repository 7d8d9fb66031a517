//! The upload form (`web/upload.rs`): a multipart body, as a browser or a script would send it to
//! the staff form or `POST /api/documents`, is read exactly as the routes read it — fields
//! checked, files streamed into a real store's temp folder — and gives the metadata and files or
//! a French refusal, never a panic. The input is the body; the boundary is `cartable-fuzz`.
#![no_main]

use std::sync::OnceLock;

use cartable::extract::{Extractor, Limits};
use cartable::service::{Core, Library, Settings};
use libfuzzer_sys::fuzz_target;

pub const CONTENT_TYPE: &str = "multipart/form-data; boundary=cartable-fuzz";

struct World {
    runtime: tokio::runtime::Runtime,
    library: Library,
    _data: tempfile::TempDir,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let data = tempfile::tempdir_in("/dev/shm")
            .or_else(|_| tempfile::tempdir())
            .unwrap();
        // No extraction happens while receiving; a missing program would only fail it.
        let extractor = Extractor::new("/nonexistent/cartable".into(), vec![], Limits::default());
        let mut settings = Settings::new(data.path().join("data"), extractor);
        settings.max_upload_bytes = 64 * 1024;
        let library = Library::new(Core::open(&settings).unwrap());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        World {
            runtime,
            library,
            _data: data,
        }
    })
}

fuzz_target!(|body: &[u8]| {
    let world = world();
    world.runtime.block_on(async {
        let form = warp::test::request()
            .method("POST")
            .header("content-type", CONTENT_TYPE)
            .body(body.to_vec())
            .filter(&warp::multipart::form().max_length(None))
            .await;
        if let Ok(form) = form {
            let _ = cartable::web::read_upload_form(&world.library, form).await;
        }
    });
});
