//! The architecture as STYLE.md draws it, checked by reading the sources: which modules each
//! top-level module may import, and which module owns each external crate. Imports are read as
//! Rust writes them: `use` trees with groups (`use crate::{model::X, web::Y}`), `super::` paths,
//! and paths written inline in the code (`crate::store::Error`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The crate's top-level modules, as `src/lib.rs` declares them.
const MODULES: [&str; 14] = [
    "announce", "bundle", "cli", "config", "control", "convert", "extract", "hub", "index",
    "model", "sandbox", "service", "store", "web",
];

/// What each top-level module may import from the crate, following STYLE.md's arrows
/// (`web -> service, model`; `service -> store, index, extract, bundle, model`; the adapters ->
/// model, never each other). Anything not listed is refused, so a new edge is a decision.
const ALLOWED: &[(&str, &[&str])] = &[
    ("model", &[]),
    // Confines the current process or a child; knows nothing of documents.
    ("sandbox", &[]),
    ("store", &["model"]),
    ("index", &["model"]),
    // Parsers of untrusted files run confined: extract may use the sandbox.
    ("extract", &["model", "sandbox"]),
    ("bundle", &["model"]),
    // LibreOffice, run confined.
    ("convert", &["sandbox"]),
    // The S3 hub's objects and signed catalogs: an adapter like the others.
    ("hub", &["model"]),
    (
        "service",
        &[
            "model", "store", "index", "extract", "bundle", "convert", "sandbox", "hub",
        ],
    ),
    // `web` takes the server's capacity settings as config reads them (one plain struct): see
    // WEB_CONFIG below. Nothing else of config, and no adapter.
    ("web", &["service", "model", "config"]),
    // The control socket is beside web: it calls the service only.
    ("control", &["service", "model"]),
    ("config", &["model"]),
    ("announce", &[]),
    // The command line is the app's edge. It reaches bundle, extract and sandbox only as the
    // entry points of confined child processes (`cartable pack-child`, extraction, `confine`),
    // which run one adapter each in their own process.
    (
        "cli",
        &[
            "service", "model", "config", "control", "announce", "bundle", "extract", "sandbox",
            // The hub's address, key and pace, parsed here and handed to the service.
            "hub",
        ],
    ),
    // The crate root wires the app together (`serve` builds the web state from the config).
    ("lib", &MODULES),
];

/// What `web` may take from `config`: the capacity settings its server and admission enforce.
const WEB_CONFIG: [&str; 1] = ["Capacity"];

/// Each external crate and the modules that may use it.
const OWNERS: &[(&str, &[&str])] = &[
    ("rusqlite", &["store"]),
    ("tantivy", &["index"]),
    ("lopdf", &["bundle"]),
    ("ttf_parser", &["bundle"]),
    ("qrcode", &["bundle"]),
    ("png", &["bundle"]),
    ("pdfboss_core", &["extract"]),
    ("quick_xml", &["extract"]),
    ("scraper", &["extract"]),
    ("warp", &["web", "lib"]),
    ("maud", &["web"]),
    ("hyper", &["web"]),
    ("hyper_util", &["web"]),
    ("rust_embed", &["web"]),
    ("mdns_sd", &["announce"]),
    ("object_store", &["hub"]),
    ("ed25519_dalek", &["hub"]),
    ("rustls", &["hub"]),
    ("argon2", &["service"]),
    // Zip writing for exports (bundle) and for the store's own backups; reading untrusted zips
    // only through extract's bounded reader (`extract::archive`).
    ("zip", &["bundle", "store", "extract"]),
    // Walking folders: imports (service), the data folder (store), the index's size (index).
    ("walkdir", &["service", "store", "index"]),
    // Content addresses (store, bundle's manifests, the hub's objects), session and token
    // hashes (service), the admission's per-client keys (web).
    ("sha2", &["store", "bundle", "service", "web", "hub"]),
];

#[test]
fn each_module_imports_only_what_its_layer_allows() {
    let mut problems = Vec::new();
    for file in sources() {
        for import in imports(&file) {
            if let Some(problem) = layer_problem(&file.module, &import) {
                problems.push(format!("{}: {problem}", file.path.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn each_external_crate_is_used_only_by_its_owners() {
    let mut problems = Vec::new();
    for file in sources() {
        for import in imports(&file) {
            if let Some(problem) = owner_problem(&file.module, &import) {
                problems.push(format!("{}: {problem}", file.path.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The checker itself must see what it is for: these planted imports climb a layer or use
/// another module's crate, written every way Rust allows.
#[test]
fn the_checker_sees_grouped_nested_relative_and_inline_imports() {
    let cases = [
        (
            "store",
            "src/store/x.rs",
            "use crate::{model::Document, web::AppState};",
        ),
        (
            "store",
            "src/store/x.rs",
            "use crate::{model::{self, Level}, index::{SearchIndex}};",
        ),
        (
            "bundle",
            "src/bundle/x.rs",
            "use crate::{\n    model,\n    convert::OfficeConverter,\n};",
        ),
        (
            "web",
            "src/web/x.rs",
            "fn f() { let _ = crate::store::Store::open; }",
        ),
        ("web", "src/web/mod.rs", "use super::extract::Extractor;"),
        (
            "web",
            "src/web/staff/x.rs",
            "use super::super::super::index::Error;",
        ),
        ("web", "src/web/x.rs", "use crate::config::Config;"),
        (
            "service",
            "src/service/x.rs",
            "pub(crate) use crate::web::Response;",
        ),
        (
            "index",
            "src/index/x.rs",
            "use {std::fs, crate::store::Catalog};",
        ),
    ];
    for (module, path, code) in cases {
        let file = Source::new(module, path, code);
        let found: Vec<String> = imports(&file)
            .iter()
            .filter_map(|import| layer_problem(module, import))
            .collect();
        assert!(!found.is_empty(), "missed in {path}: {code}");
    }
    let crates = [
        (
            "service",
            "src/service/x.rs",
            "use {rusqlite::Connection, std::fs};",
        ),
        ("web", "src/web/x.rs", "fn f() { tantivy::doc!(); }"),
        ("store", "src/store/x.rs", "use ::warp::Filter;"),
    ];
    for (module, path, code) in crates {
        let file = Source::new(module, path, code);
        let found = imports(&file)
            .iter()
            .any(|i| owner_problem(module, i).is_some());
        assert!(found, "missed in {path}: {code}");
    }
    // What is allowed stays allowed, and comments and strings are not code.
    let fine = Source::new(
        "web",
        "src/web/x.rs",
        "use crate::{model::Level, service::{Core, Error}};\nuse crate::config::Capacity;\n\
         // use crate::store::Store;\nconst A: &str = \"crate::index::x\";\nuse super::views;",
    );
    let problems: Vec<String> = imports(&fine)
        .iter()
        .filter_map(|i| layer_problem("web", i).or_else(|| owner_problem("web", i)))
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
}

/// One source file: its top-level module, its path under src/ and its code.
struct Source {
    module: String,
    path: PathBuf,
    /// Folders from src/ to this file's module (`["web", "staff"]` for src/web/staff/x.rs).
    module_path: Vec<String>,
    code: String,
}

impl Source {
    fn new(module: &str, path: &str, code: &str) -> Source {
        let relative = Path::new(path).strip_prefix("src").unwrap();
        Source {
            module: module.to_owned(),
            path: PathBuf::from(path),
            module_path: module_path(relative),
            code: code.to_owned(),
        }
    }
}

/// The module a file defines, as path segments: src/web/mod.rs is `web`, src/web/staff/x.rs is
/// `web::staff::x`, src/lib.rs is the crate root.
fn module_path(relative: &Path) -> Vec<String> {
    let mut segments: Vec<String> = relative
        .iter()
        .map(|s| s.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if matches!(
        segments.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        segments.pop();
    }
    segments
}

fn sources() -> Vec<Source> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    walk(&src, &mut paths);
    paths
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(&src).unwrap().to_owned();
            let first = relative.iter().next().unwrap().to_string_lossy();
            Source {
                module: first.trim_end_matches(".rs").to_owned(),
                module_path: module_path(&relative),
                code: std::fs::read_to_string(&path).unwrap(),
                path,
            }
        })
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every path a file imports or names inline, made absolute: `crate::store::Error`,
/// `rusqlite::Connection`. Relative `self::` paths stay inside the file and are left out.
fn imports(file: &Source) -> BTreeSet<String> {
    let code = without_comments_and_strings(&file.code);
    let mut found = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(at) = find_word(rest, "use") {
        let after = &rest[at + 3..];
        let end = after.find(';').unwrap_or(after.len());
        for path in expand_tree(after[..end].trim()) {
            found.insert(absolute(file, &path));
        }
        rest = &after[end..];
    }
    // Paths written in the code itself (`crate::store::Store::open`, `super::super::x`, `tantivy::doc!`).
    let bytes = code.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let is_path_start = (bytes[start].is_ascii_alphabetic() || bytes[start] == b'_')
            && (start == 0
                || !(bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_'));
        if is_path_start {
            let end = code[start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .map_or(code.len(), |n| start + n);
            let path = code[start..end].trim_end_matches(':');
            let preceded_by_colons = code[..start].ends_with("::");
            if path.contains("::") && !preceded_by_colons {
                found.insert(absolute(file, path));
            }
            start = end.max(start + 1);
        } else {
            start += 1;
        }
    }
    found
}

/// `a::{b, c::{d, self}}` as `a::b`, `a::c::d`, `a::c`; leading `::` and `pub(...)`, `as` names
/// and globs dropped.
fn expand_tree(tree: &str) -> Vec<String> {
    let tree: String = tree.split_whitespace().collect::<Vec<_>>().join(" ");
    let tree = tree.trim_start_matches("::");
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or(tree).trim();
        return vec![path
            .trim_end_matches("::*")
            .trim_end_matches("::self")
            .to_owned()];
    };
    let prefix = tree[..open].trim_end_matches("::").trim();
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut paths = Vec::new();
    for part in split_top_level(inner) {
        for path in expand_tree(part.trim()) {
            let joined = match (prefix.is_empty(), path.as_str()) {
                (true, _) => path,
                (false, "self" | "" | "*") => prefix.to_owned(),
                (false, _) => format!("{prefix}::{path}"),
            };
            if !joined.is_empty() {
                paths.push(joined);
            }
        }
    }
    paths
}

/// Splits on the commas of this level of braces only.
fn split_top_level(text: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// Resolves `super::` and `self::` against the file's module; in the crate root's own modules
/// (lib.rs, main.rs) a bare top-level module name is the crate's too.
fn absolute(file: &Source, path: &str) -> String {
    let mut segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let mut base = file.module_path.clone();
    let mut relative = false;
    while let Some(first) = segments.first().copied() {
        match first {
            "super" => {
                base.pop();
                relative = true;
            }
            "self" => relative = true,
            _ => break,
        }
        segments.remove(0);
    }
    let at_root = file.module_path.is_empty();
    if relative || (at_root && segments.first().is_some_and(|s| MODULES.contains(s))) {
        let mut full = vec!["crate".to_owned()];
        full.extend(base);
        full.extend(segments.iter().map(|s| (*s).to_owned()));
        return full.join("::");
    }
    segments.join("::")
}

/// The import breaks the layering: `module` reaches a top-level module it may not.
fn layer_problem(module: &str, import: &str) -> Option<String> {
    let mut segments = import.split("::");
    if segments.next() != Some("crate") {
        return None;
    }
    let target = segments.next()?;
    if target == module || !MODULES.contains(&target) {
        return None;
    }
    let allowed = ALLOWED
        .iter()
        .find(|(m, _)| *m == module)
        .map_or(&[][..], |(_, allowed)| *allowed);
    if !allowed.contains(&target) {
        return Some(format!(
            "{module} imports {import} ({module} may import {allowed:?})"
        ));
    }
    if module == "web" && target == "config" {
        let item = segments.next().unwrap_or("");
        if !WEB_CONFIG.contains(&item) {
            return Some(format!(
                "web imports {import} (of config, only {WEB_CONFIG:?})"
            ));
        }
    }
    None
}

/// The import uses an external crate that belongs to other modules.
fn owner_problem(module: &str, import: &str) -> Option<String> {
    let krate = import.split("::").next()?;
    let (_, owners) = OWNERS.iter().find(|(k, _)| *k == krate)?;
    (!owners.contains(&module)).then(|| format!("{module} uses {import}, owned by {owners:?}"))
}

/// The first `word` standing alone in `text` (not part of a longer name).
fn find_word(text: &str, word: &str) -> Option<usize> {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut from = 0;
    while let Some(n) = text[from..].find(word) {
        let at = from + n;
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        if !before.is_some_and(is_name) && !after.is_some_and(is_name) {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// The code with comments blanked and string and char literals emptied, so that text about
/// an import is not taken for one.
fn without_comments_and_strings(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let next = chars.get(i + 1).copied();
        match (chars[i], next) {
            ('/', Some('/')) => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            ('/', Some('*')) => {
                let mut depth = 0;
                while i < chars.len() {
                    if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 2;
                    } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                out.push(' ');
            }
            ('r', Some('#' | '"')) if !chars[..i].last().is_some_and(|c| c.is_alphanumeric()) => {
                // A raw string: r"..." or r#"..."#.
                let mut hashes = 0;
                let mut j = i + 1;
                while chars.get(j) == Some(&'#') {
                    hashes += 1;
                    j += 1;
                }
                if chars.get(j) != Some(&'"') {
                    out.push(chars[i]);
                    i += 1;
                    continue;
                }
                j += 1;
                while j < chars.len() {
                    if chars[j] == '"' && (0..hashes).all(|k| chars.get(j + 1 + k) == Some(&'#')) {
                        j += 1 + hashes;
                        break;
                    }
                    j += 1;
                }
                out.push_str("\"\"");
                i = j;
            }
            ('"', _) => {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
                out.push_str("\"\"");
            }
            ('\'', _) if chars.get(i + 2) == Some(&'\'') || next == Some('\\') => {
                // A char literal ('a', '\n', '\'', '\u{e9}'); lifetimes ('a) are left alone.
                let mut close = i + 2;
                if next == Some('\\') {
                    close = i + 3;
                    while close < chars.len() && chars[close] != '\'' {
                        close += 1;
                    }
                }
                i = close + 1;
                out.push_str("' '");
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}
