//! The architecture as STYLE.md draws it, checked by reading the sources: each external crate has
//! one owner module, and no layer imports one above it.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// (module folder or file under src/, its code) for every source file.
fn modules() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files
        .into_iter()
        .map(|path| {
            let relative = path
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let module = relative
                .split('/')
                .next()
                .unwrap()
                .trim_end_matches(".rs")
                .to_owned();
            let code = std::fs::read_to_string(&path).unwrap();
            (module, code)
        })
        .collect()
}

fn uses(code: &str, name: &str) -> bool {
    code.lines()
        .map(str::trim_start)
        .filter(|line| !line.starts_with("//"))
        .any(|line| line.contains(&format!("{name}::")) || line.starts_with(&format!("use {name}")))
}

#[test]
fn each_external_crate_has_one_owner_module() {
    let owners: [(&str, &[&str]); 17] = [
        ("rusqlite", &["store"]),
        ("lopdf", &["bundle"]),
        ("ttf_parser", &["bundle"]),
        ("qrcode", &["bundle"]),
        ("png", &["bundle"]),
        ("tantivy", &["index"]),
        ("pdfboss_core", &["extract"]),
        ("quick_xml", &["extract"]),
        ("scraper", &["extract"]),
        ("warp", &["web", "lib"]),
        ("maud", &["web"]),
        ("hyper", &["web"]),
        ("hyper_util", &["web"]),
        ("mdns_sd", &["announce"]),
        ("object_store", &["hub"]),
        ("ed25519_dalek", &["hub"]),
        ("rustls", &["hub"]),
    ];
    for (module, code) in modules() {
        for (krate, allowed) in owners {
            if uses(&code, krate) {
                assert!(
                    allowed.contains(&module.as_str()),
                    "{module} uses {krate}, owned by {allowed:?}"
                );
            }
        }
    }
}

#[test]
fn no_layer_imports_one_above_it() {
    // module -> modules it must not import
    let forbidden: [(&str, &[&str]); 11] = [
        (
            "sandbox",
            &[
                "model", "store", "index", "extract", "bundle", "service", "web", "cli",
            ],
        ),
        (
            "model",
            &[
                "store", "index", "extract", "service", "web", "cli", "config",
            ],
        ),
        ("store", &["index", "extract", "service", "web", "cli"]),
        ("index", &["store", "extract", "service", "web", "cli"]),
        ("extract", &["store", "index", "service", "web", "cli"]),
        (
            "bundle",
            &["store", "index", "extract", "service", "web", "cli"],
        ),
        (
            "convert",
            &[
                "store", "index", "extract", "bundle", "service", "web", "cli",
            ],
        ),
        (
            "hub",
            &[
                "store", "index", "extract", "bundle", "service", "web", "cli",
            ],
        ),
        ("service", &["web", "cli", "announce", "control"]),
        (
            "web",
            &[
                "cli", "store", "index", "extract", "bundle", "control", "hub",
            ],
        ),
        // Beside web: the control socket calls the service, never the adapters or the web.
        (
            "control",
            &[
                "web", "cli", "store", "index", "extract", "bundle", "announce",
            ],
        ),
    ];
    for (module, code) in modules() {
        for (layer, above) in forbidden {
            if module == layer {
                for other in above {
                    assert!(
                        !uses(&code, &format!("crate::{other}")),
                        "{module} imports crate::{other}"
                    );
                }
            }
        }
    }
}
