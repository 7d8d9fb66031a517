//! One browser window on the server under test, and what a test does in it: open a path, find,
//! click, type, read, measure, wait for a download. Every WebDriver command is bounded by
//! [`STEP_LIMIT`], so a stuck or dead chromedriver fails the step that met it instead of hanging.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use serde_json::Value;

use super::chrome::Screen;

/// The longest one WebDriver command (a navigation, a script, a click) may take.
pub const STEP_LIMIT: Duration = Duration::from_secs(30);

/// `command` within [`STEP_LIMIT`]; a failure or a timeout panics with `what`.
async fn step<T, E: std::fmt::Display>(
    what: impl std::fmt::Display,
    command: impl Future<Output = Result<T, E>>,
) -> T {
    match tokio::time::timeout(STEP_LIMIT, command).await {
        Ok(Ok(value)) => value,
        Ok(Err(error)) => panic!("{what}: {error}"),
        Err(_) => panic!("{what}: no answer from the browser in {STEP_LIMIT:?}"),
    }
}

/// Calls `check` until it gives a value, for at most [`STEP_LIMIT`]; then panics with what the
/// last `check` said.
async fn until<T>(mut check: impl AsyncFnMut() -> Result<T, String>) -> T {
    let deadline = tokio::time::Instant::now() + STEP_LIMIT;
    loop {
        match check().await {
            Ok(value) => return value,
            Err(why) if tokio::time::Instant::now() >= deadline => panic!("{why}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

pub struct Page {
    client: Client,
    base: String,
    pub screen: Screen,
    downloads: PathBuf,
    _profile: tempfile::TempDir,
}

impl Page {
    pub fn new(
        client: Client,
        base: &str,
        screen: Screen,
        profile: tempfile::TempDir,
        downloads: PathBuf,
    ) -> Page {
        Page {
            client,
            base: base.trim_end_matches('/').to_owned(),
            screen,
            downloads,
            _profile: profile,
        }
    }

    /// Opens `path` (relative to the server's root, or a whole URL) and waits for it to load.
    pub async fn goto(&self, path: &str) {
        let url = if path.starts_with('/') {
            format!("{}{path}", self.base)
        } else {
            path.to_owned()
        };
        step(format!("opening {path}"), self.client.goto(&url)).await;
    }

    /// The path and query of the current page.
    pub async fn path(&self) -> String {
        let url = step("reading the URL", self.client.current_url()).await;
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// Waits until the current path starts with `prefix` (a click or a submitted form has led
    /// there) and returns the path.
    pub async fn wait_for_path(&self, prefix: &str) -> String {
        until(async || {
            let path = self.path().await;
            if path.starts_with(prefix) {
                Ok(path)
            } else {
                Err(format!("still on {path}, expected {prefix}"))
            }
        })
        .await
    }

    /// Waits until the page shows `text` (a form posted to the page it came from has answered)
    /// and returns the page's text.
    pub async fn wait_for_text(&self, text: &str) -> String {
        until(async || match self.try_text().await {
            Ok(shown) if shown.contains(text) => Ok(shown),
            Ok(shown) => Err(format!("« {text} » never shows: {shown}")),
            Err(error) => Err(format!("« {text} » never shows: {error}")),
        })
        .await
    }

    /// The HTTP status the current page was served with.
    pub async fn status(&self) -> u16 {
        self.script("return performance.getEntriesByType('navigation')[0].responseStatus;")
            .await
            .as_u64()
            .expect("a navigation status") as u16
    }

    pub async fn find(&self, css: &str) -> Element {
        step(
            format!("finding {css}"),
            self.client.find(Locator::Css(css)),
        )
        .await
    }

    /// The first link or button whose visible text starts with `text`, if any.
    pub async fn find_labelled(&self, text: &str) -> Option<Element> {
        let xpath =
            format!("//*[self::a or self::button][starts-with(normalize-space(.), '{text}')]");
        tokio::time::timeout(STEP_LIMIT, self.client.find(Locator::XPath(&xpath)))
            .await
            .unwrap_or_else(|_| panic!("no answer from the browser looking for « {text} »"))
            .ok()
    }

    /// Clicks the first element matching `css`.
    pub async fn click(&self, css: &str) {
        let element = self.find(css).await;
        step(format!("clicking {css}"), element.click()).await;
    }

    /// Clicks the link or button whose text starts with `text`.
    pub async fn click_labelled(&self, text: &str) {
        let element = self
            .find_labelled(text)
            .await
            .unwrap_or_else(|| panic!("no link or button « {text} » on the page"));
        step(format!("clicking « {text} »"), element.click()).await;
    }

    /// Types `text` into the field matching `css`.
    pub async fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        step(format!("typing into {css}"), element.send_keys(text)).await;
    }

    /// Chooses the option labelled `label` in the menu matching `css`.
    pub async fn choose(&self, css: &str, label: &str) {
        let element = self.find(css).await;
        step(
            format!("choosing {label} in {css}"),
            element.select_by_label(label),
        )
        .await;
    }

    /// Whether the element matching `css` is shown.
    pub async fn shows(&self, css: &str) -> bool {
        let element = self.find(css).await;
        step(format!("looking at {css}"), element.is_displayed()).await
    }

    /// The text of the first element matching `css`, as shown.
    pub async fn text_of(&self, css: &str) -> String {
        let element = self.find(css).await;
        step(format!("reading {css}"), element.text()).await
    }

    /// The text of the whole page, as shown.
    pub async fn text(&self) -> String {
        self.text_of("body").await
    }

    /// The page's text in one WebDriver command, or why it could not be read: a page being
    /// replaced (a reload by the kiosk's script, a form's answer) is "not yet", not a failure.
    async fn try_text(&self) -> Result<String, String> {
        let read = self.client.execute(
            "return document.body ? document.body.innerText : '';",
            vec![],
        );
        match tokio::time::timeout(STEP_LIMIT, read).await {
            Ok(Ok(Value::String(text))) => Ok(text),
            Ok(Ok(other)) => Err(format!("no text: {other}")),
            Ok(Err(error)) => Err(error.to_string()),
            Err(_) => Err(format!("no answer from the browser in {STEP_LIMIT:?}")),
        }
    }

    /// Runs `script` in the page (WebDriver's script execution is not bound by the page's CSP).
    pub async fn script(&self, script: &str) -> Value {
        step(
            format!("running {}", first_line(script)),
            self.client.execute(script, vec![]),
        )
        .await
    }

    /// Runs `script`, which calls its last argument with the result when done.
    pub async fn script_async(&self, script: &str) -> Value {
        step(
            format!("running {}", first_line(script)),
            self.client.execute_async(script, vec![]),
        )
        .await
    }

    /// Presses one key (a [`fantoccini::key::Key`] or a character) on whatever has the focus,
    /// as a person at a keyboard does.
    pub async fn press(&self, key: impl Into<char>) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let key = key.into();
        let actions = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        step("pressing a key", self.client.perform_actions(actions)).await;
    }

    /// Types `text` on whatever has the focus.
    pub async fn type_text(&self, text: &str) {
        for c in text.chars() {
            self.press(c).await;
        }
    }

    /// A PNG of what the window shows.
    pub async fn screenshot(&self) -> Vec<u8> {
        step("taking a screenshot", self.client.screenshot()).await
    }

    /// Waits for a finished download (no `.crdownload` left) and returns its path.
    pub async fn downloaded(&self, extension: &str) -> PathBuf {
        until(async || {
            finished_download(&self.downloads, extension)
                .ok_or_else(|| format!("no .{extension} downloaded in {STEP_LIMIT:?}"))
        })
        .await
    }

    /// Ends the session (the browser closes).
    pub async fn close(self) {
        let _ = tokio::time::timeout(STEP_LIMIT, self.client.close()).await;
    }
}

fn first_line(script: &str) -> &str {
    script.trim().lines().next().unwrap_or_default()
}

fn finished_download(folder: &Path, extension: &str) -> Option<PathBuf> {
    let entries = std::fs::read_dir(folder).ok()?;
    let files: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    if files
        .iter()
        .any(|f| f.extension().is_some_and(|e| e == "crdownload"))
    {
        return None;
    }
    files
        .into_iter()
        .find(|f| f.extension().is_some_and(|e| e == extension))
}
