//! Headless Chromium driven through chromedriver (WebDriver, with fantoccini). Each test gets its
//! own chromedriver on a port it picks itself, in its own process group: dropping [`Chrome`]
//! kills that group, browsers included, so a failed or timed-out test leaves nothing running.
//! Without Chromium or chromedriver a test is skipped with a message, except under `CI`.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::ClientBuilder;
use serde_json::{json, Value};

use super::page::{Page, STEP_LIMIT};

/// The longest a whole browser test may take: past it the test fails instead of hanging.
const TEST_LIMIT: Duration = Duration::from_secs(240);

/// The two screens families and staff use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// A small Android phone: 360 x 780 CSS pixels, touch, one device pixel per CSS pixel.
    Phone,
    /// A desktop or the kiosk's screen: 1280 x 800.
    Desktop,
}

impl Screen {
    pub fn width(self) -> u32 {
        match self {
            Screen::Phone => 360,
            Screen::Desktop => 1280,
        }
    }

    pub fn height(self) -> u32 {
        match self {
            Screen::Phone => 780,
            Screen::Desktop => 800,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Screen::Phone => "phone",
            Screen::Desktop => "desktop",
        }
    }
}

/// The browser programs, found on the `PATH`.
struct Tools {
    chromium: PathBuf,
    chromedriver: PathBuf,
}

impl Tools {
    /// The tools, or `None` (with a message) when one is missing; under `CI` a missing tool fails
    /// the test, since CI installs them.
    fn find() -> Option<Tools> {
        let chromium = ["chromium", "chromium-browser", "google-chrome"]
            .iter()
            .find_map(|name| on_path(name));
        let chromedriver = on_path("chromedriver");
        match (chromium, chromedriver) {
            (Some(chromium), Some(chromedriver)) => Some(Tools {
                chromium,
                chromedriver,
            }),
            (chromium, chromedriver) => {
                let missing = [
                    chromium.is_none().then_some("chromium"),
                    chromedriver.is_none().then_some("chromium-driver"),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
                assert!(
                    std::env::var_os("CI").is_none(),
                    "the browser tests need {missing} in CI (apt-get install {missing})"
                );
                eprintln!(
                    "skipped: no {missing} to run the browser tests (apt-get install {missing})"
                );
                None
            }
        }
    }
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// A running chromedriver; the browsers it starts are killed with it.
pub struct Chrome {
    chromium: PathBuf,
    driver: Child,
    url: String,
    /// Profiles and download folders of the sessions.
    scratch: tempfile::TempDir,
}

impl Chrome {
    /// Starts chromedriver, or returns `None` when the tools are missing (outside CI).
    pub fn start() -> Option<Chrome> {
        let tools = Tools::find()?;
        // Its own process group, so that Drop can end chromedriver and every browser at once.
        let mut driver = Command::new(&tools.chromedriver)
            .arg("--port=0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("chromedriver starts");
        let stdout = driver.stdout.take().expect("chromedriver's output");
        // chromedriver picks a free port and says which; read it in a thread to bound the wait.
        let (sender, port) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
            let port = lines.by_ref().find_map(|line| {
                line.split("started successfully on port ")
                    .nth(1)
                    .map(|rest| rest.trim_end_matches('.').trim().to_owned())
            });
            let _ = sender.send(port);
            lines.for_each(drop);
        });
        // Built before the wait, so that a chromedriver that never answers is killed on drop.
        let mut chrome = Chrome {
            chromium: tools.chromium,
            driver,
            url: String::new(),
            scratch: tempfile::tempdir().expect("a temporary folder"),
        };
        let port = port
            .recv_timeout(STEP_LIMIT)
            .ok()
            .flatten()
            .expect("chromedriver says which port it listens on");
        chrome.url = format!("http://127.0.0.1:{port}");
        Some(chrome)
    }

    /// Runs the asynchronous part of a test, bounded by [`TEST_LIMIT`].
    pub fn run(&self, test: impl AsyncFnOnce(&Chrome)) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            tokio::time::timeout(TEST_LIMIT, test(self))
                .await
                .unwrap_or_else(|_| panic!("the browser test took more than {TEST_LIMIT:?}"))
        });
    }

    /// A new browser window on `base` (the server's root), with a fresh profile.
    pub async fn open(&self, base: &str, screen: Screen) -> Page {
        self.open_with(base, screen, true).await
    }

    /// The same, with JavaScript switched off (`javascript` false) as some families' phones do.
    pub async fn open_with(&self, base: &str, screen: Screen, javascript: bool) -> Page {
        let profile = tempfile::tempdir_in(self.scratch.path()).expect("a profile folder");
        let downloads = profile.path().join("downloads");
        std::fs::create_dir(&downloads).expect("a download folder");
        let mut args = vec![
            "--headless=new".to_owned(),
            // CI runs as root, where Chromium's sandbox cannot start.
            "--no-sandbox".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-gpu".to_owned(),
            "--no-first-run".to_owned(),
            "--no-default-browser-check".to_owned(),
            "--disable-extensions".to_owned(),
            "--disable-background-networking".to_owned(),
            "--hide-scrollbars".to_owned(),
            "--force-device-scale-factor=1".to_owned(),
            "--lang=fr-FR".to_owned(),
            format!("--user-data-dir={}", profile.path().display()),
            format!("--window-size={},{}", screen.width(), screen.height()),
        ];
        let mut prefs = json!({
            "download.default_directory": downloads,
            "download.prompt_for_download": false,
            "intl.accept_languages": "fr-FR,fr",
        });
        if !javascript {
            args.push("--blink-settings=scriptEnabled=false".to_owned());
            prefs["profile.managed_default_content_settings.javascript"] = json!(2);
        }
        let mut options = json!({
            "binary": self.chromium,
            "args": args,
            "prefs": prefs,
        });
        // The window's inside is the screen's size exactly (a window size would include the
        // browser's own bars). On the phone, mobile emulation: the viewport meta tag is obeyed
        // and the page gets a touch screen, as on a real phone.
        // Without JavaScript, no touch: chromedriver's taps need script and hang without it.
        let phone = screen == Screen::Phone;
        options["mobileEmulation"] = json!({
            "deviceMetrics": {
                "width": screen.width(),
                "height": screen.height(),
                "pixelRatio": 1.0,
                "mobile": phone,
                "touch": phone && javascript,
            },
        });
        if phone {
            options["mobileEmulation"]["userAgent"] = json!(
                "Mozilla/5.0 (Linux; Android 14; Pixel) AppleWebKit/537.36 \
                 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36"
            );
        }
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": options,
            "timeouts": {
                "pageLoad": STEP_LIMIT.as_millis() as u64,
                "script": STEP_LIMIT.as_millis() as u64,
                "implicit": 0,
            },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!("a JSON object")
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = tokio::time::timeout(
            STEP_LIMIT,
            ClientBuilder::new(connector)
                .capabilities(capabilities)
                .connect(&self.url),
        )
        .await
        .expect("Chromium starts within the step limit")
        .expect("chromedriver opens a Chromium session");
        Page::new(client, base, screen, profile, downloads)
    }
}

impl Drop for Chrome {
    fn drop(&mut self) {
        // The group holds chromedriver and the browsers it started (their ids are not ours to
        // guess): ending the group ends exactly what this test started.
        if let Some(group) = rustix::process::Pid::from_raw(self.driver.id() as i32) {
            let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
        }
        let _ = self.driver.wait();
    }
}
