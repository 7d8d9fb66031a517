//! The USB export of one class and its offline `index.html` in a real browser: headless Chromium
//! through chromedriver opens the page from `file://` with a search in its address (`#q=`, as a
//! link on a poster does), and the time until the results show is measured.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cartable::service::{Core, Selection};
use fantoccini::ClientBuilder;
use serde_json::{json, Value};

pub struct Export {
    pub documents: usize,
    pub seconds: f64,
    pub bundle_bytes: u64,
    /// `index.html`, and what it loads beside it (the offline search's words), if anything.
    pub index_bytes: u64,
    pub search_bytes: u64,
    pub folder: PathBuf,
}

/// Copies the class's public documents as a folder inside `stick`.
pub fn export_class(core: &Core, stick: &Path) -> Export {
    std::fs::create_dir_all(stick).unwrap();
    let selection = Selection {
        filter: super::library::class_filter(),
        ids: None,
    };
    let documents = core.selected(&selection).expect("the class").len();
    let started = Instant::now();
    let folder = core
        .export_folder(&selection, "Lycée", stick, &|_| {})
        .expect("USB export");
    let seconds = started.elapsed().as_secs_f64();
    let mut bundle_bytes = 0;
    let mut search_bytes = 0;
    for entry in walkdir::WalkDir::new(&folder).into_iter().flatten() {
        if entry.file_type().is_file() {
            let bytes = entry.metadata().map_or(0, |m| m.len());
            bundle_bytes += bytes;
            let name = entry.file_name().to_string_lossy();
            if entry.depth() == 1 && name.ends_with(".js") {
                search_bytes += bytes;
            }
        }
    }
    let index_bytes = std::fs::metadata(folder.join("index.html")).map_or(0, |m| m.len());
    Export {
        documents,
        seconds,
        bundle_bytes,
        index_bytes,
        search_bytes,
        folder,
    }
}

pub struct Browser {
    /// From asking for the page to its results on screen, wall clock, ms.
    pub first_results: f64,
    /// The same from the page's own clock (navigation start to results seen).
    pub in_page: f64,
    /// A second search typed once the page is open, ms.
    pub typed: f64,
}

/// Opens `folder/index.html#q=<word>` in headless Chromium; `None` without Chromium or
/// chromedriver.
pub fn first_results(folder: &Path, word: &str, other_word: &str) -> Option<Browser> {
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| on_path(name))?;
    let chromedriver = on_path("chromedriver")?;
    let mut driver = Command::new(chromedriver)
        .arg("--port=0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .ok()?;
    let port = BufReader::new(driver.stdout.take()?)
        .lines()
        .map_while(Result::ok)
        .find_map(|line| {
            line.split("started successfully on port ")
                .nth(1)
                .map(|rest| rest.trim_end_matches('.').trim().to_owned())
        });
    let url = format!(
        "file://{}#q={word}",
        folder
            .join("index.html")
            .display()
            .to_string()
            .replace(' ', "%20")
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let profile = tempfile::tempdir().expect("a profile folder");
    let measured = port.and_then(|port| {
        runtime.block_on(async {
            let capabilities = json!({
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": chromium,
                    "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                             "--disable-gpu", "--no-first-run", "--disable-extensions",
                             format!("--user-data-dir={}", profile.path().display()),
                             "--window-size=360,780"],
                },
            });
            let Value::Object(capabilities) = capabilities else {
                unreachable!("a JSON object")
            };
            let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(capabilities)
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
                .ok()?;
            // The browser is up and warm: a blank page first, as a stick is opened in a
            // browser already running.
            client.goto("about:blank").await.ok()?;
            let started = Instant::now();
            client.goto(&url).await.ok()?;
            let shown = "var c = document.getElementById('count'); \
                return c && /^[0-9]+ document/.test(c.textContent) ? performance.now() : null;";
            let in_page = loop {
                if let Some(at) = client.execute(shown, vec![]).await.ok()?.as_f64() {
                    break at;
                }
                if started.elapsed() > Duration::from_secs(60) {
                    return None;
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            };
            let first_results = started.elapsed().as_secs_f64() * 1000.0;
            let typed = format!(
                "var box = document.getElementById('q'), t = performance.now(); box.value = '{other_word}'; \
                 box.dispatchEvent(new Event('input')); var c = document.getElementById('count'); \
                 return /^[0-9]+ document/.test(c.textContent) ? performance.now() - t : -1;"
            );
            let typed = client.execute(&typed, vec![]).await.ok()?.as_f64()?;
            let _ = client.close().await;
            Some(Browser {
                first_results,
                in_page,
                typed,
            })
        })
    });
    // Its own process group: chromedriver and the browsers it started end together.
    if let Some(group) = rustix::process::Pid::from_raw(driver.id() as i32) {
        let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
    }
    let _ = driver.wait();
    measured
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}
