//! A real server in-process on a listener bound to 127.0.0.1:0 before it starts (no sleep, no
//! port race), with an admin and two teachers, and a small HTTP client that keeps cookies like a
//! browser and never follows redirects, so tests see exactly what the server answered.

use std::collections::BTreeMap;
use std::time::Duration;

use cartable::config::{Capacity, Config, Layer};
use cartable::model::Role;
use cartable::service::{Core, Library, Settings};

use super::real_extractor;

pub const ADMIN: (&str, &str) = ("admin", "mot-de-passe-admin");
pub const TEACHER: (&str, &str) = ("m.dupont", "mot-de-passe-dupont");
pub const OTHER_TEACHER: (&str, &str) = ("mme.martin", "mot-de-passe-martin");

pub struct TestServer {
    pub base: String,
    pub dir: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// An API token of the teacher, for the JSON API.
    pub teacher_token: String,
}

impl TestServer {
    /// A server with an admin and two teachers.
    pub fn start() -> TestServer {
        TestServer::start_with(true, None)
    }

    /// A server with an admin and two teachers, the admission and connection limits of
    /// `capacity`, and files up to `max_upload_mb`.
    pub fn start_with_capacity(capacity: Capacity, max_upload_mb: u64) -> TestServer {
        TestServer::start_configured(true, None, capacity, max_upload_mb)
    }

    /// A server with an admin and two teachers whose desk prints with `command` (`print_command`;
    /// empty: printing off).
    pub fn start_printing_with(command: &str) -> TestServer {
        TestServer::start_with(true, Some(command))
    }

    /// A server of a new school: teachers only, no admin yet (the setup link is open).
    pub fn start_without_admin() -> TestServer {
        TestServer::start_with(false, None)
    }

    /// A server with an admin and two teachers whose USB sticks are the folders inside
    /// `usb_folder` (`usb_folder`: a temporary folder stands for the sticks plugged in).
    pub fn start_with_usb_folder(usb_folder: &std::path::Path) -> TestServer {
        TestServer::start_configured_with(
            true,
            None,
            Capacity::default(),
            5,
            Some(usb_folder.to_owned()),
        )
    }

    fn start_with(with_admin: bool, print_command: Option<&str>) -> TestServer {
        TestServer::start_configured(with_admin, print_command, Capacity::default(), 5)
    }

    fn start_configured(
        with_admin: bool,
        print_command: Option<&str>,
        capacity: Capacity,
        max_upload_mb: u64,
    ) -> TestServer {
        TestServer::start_configured_with(with_admin, print_command, capacity, max_upload_mb, None)
    }

    fn start_configured_with(
        with_admin: bool,
        print_command: Option<&str>,
        capacity: Capacity,
        max_upload_mb: u64,
        usb_folder: Option<std::path::PathBuf>,
    ) -> TestServer {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let data = dir.path().join("data");
        let core = Core::open(&Settings {
            max_upload_bytes: max_upload_mb * 1024 * 1024,
            usb_folder,
            ..Settings::new(data.clone(), real_extractor())
        })
        .expect("the data folder opens");
        for ((login, password), role) in [
            (ADMIN, Role::Admin),
            (TEACHER, Role::Teacher),
            (OTHER_TEACHER, Role::Teacher),
        ] {
            if role == Role::Admin && !with_admin {
                continue;
            }
            core.accounts()
                .add(login, role, password)
                .expect("account created");
        }
        let teacher_token = core
            .accounts()
            .new_api_token(TEACHER.0, None)
            .expect("token")
            .token;
        let flags = Layer {
            data: Some(data),
            listen: Some("127.0.0.1:0".into()),
            school_name: Some("Lycée Jean Moulin".into()),
            max_upload_mb: Some(max_upload_mb),
            print_command: print_command.map(str::to_owned),
            ..Layer::default()
        };
        let mut config = Config::resolve(Layer::default(), Layer::default(), flags)
            .expect("valid configuration");
        config.capacity = capacity;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let base = format!("http://{}", listener.local_addr().expect("bound address"));
        let (shutdown, stop) = tokio::sync::oneshot::channel::<()>();
        let library = Library::new(core);
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                cartable::serve(
                    &config,
                    library,
                    listener,
                    Some("jeton-de-test".into()),
                    async {
                        let _ = stop.await;
                    },
                )
                .await
                .expect("the server runs");
            });
        });
        TestServer {
            base,
            dir,
            shutdown: Some(shutdown),
            thread: Some(thread),
            teacher_token,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// An answer: status, headers (lowercase names, all values) and body.
pub struct Answer {
    pub status: u16,
    pub headers: BTreeMap<String, Vec<String>>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .and_then(|v| v.first())
            .map(String::as_str)
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// The value of `<input type="hidden" name="csrf" value="...">` on the page.
    pub fn csrf(&self) -> String {
        let text = self.text();
        let at = text
            .find("name=\"csrf\" value=\"")
            .expect("a form with a CSRF token")
            + "name=\"csrf\" value=\"".len();
        text[at..].split('"').next().unwrap().to_owned()
    }
}

/// One part of a multipart form.
pub enum Part<'a> {
    Field(&'a str, &'a str),
    File(&'a str, &'a str, &'a [u8]),
}

/// A client that keeps cookies, like a browser.
pub struct Browser {
    base: String,
    agent: ureq::Agent,
    pub cookies: BTreeMap<String, String>,
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(30)))
            .build();
        Browser {
            base: base.to_owned(),
            agent: config.into(),
            cookies: BTreeMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn answer(
        &mut self,
        response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Answer {
        let mut response = response.expect("the server answers");
        let mut headers: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, value) in response.headers() {
            headers
                .entry(name.as_str().to_owned())
                .or_default()
                .push(value.to_str().unwrap_or("").to_owned());
        }
        for cookie in headers.get("set-cookie").cloned().unwrap_or_default() {
            let pair = cookie.split(';').next().unwrap_or("");
            if let Some((name, value)) = pair.split_once('=') {
                if value.is_empty() || cookie.contains("Max-Age=0") {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(100 * 1024 * 1024)
            .read_to_vec()
            .expect("a body");
        Answer {
            status,
            headers,
            body,
        }
    }

    pub fn get(&mut self, path: &str) -> Answer {
        self.get_with(path, &[])
    }

    pub fn get_with(&mut self, path: &str, headers: &[(&str, &str)]) -> Answer {
        let mut request = self.agent.get(format!("{}{path}", self.base));
        if !self.cookies.is_empty() {
            request = request.header("Cookie", self.cookie_header());
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.call();
        self.answer(response)
    }

    pub fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let body = serde_urlencoded::to_string(fields).expect("encodable form");
        let mut request = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Content-Type", "application/x-www-form-urlencoded");
        if !self.cookies.is_empty() {
            request = request.header("Cookie", self.cookie_header());
        }
        let response = request.send(body.as_bytes());
        self.answer(response)
    }

    pub fn post_multipart(
        &mut self,
        path: &str,
        parts: &[Part<'_>],
        headers: &[(&str, &str)],
    ) -> Answer {
        let boundary = "----cartable-test-boundary-7d1f";
        let mut body = Vec::new();
        for part in parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match part {
                Part::Field(name, value) => {
                    body.extend_from_slice(
                        format!(
                            "Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                        )
                        .as_bytes(),
                    );
                }
                Part::File(name, file_name, content) => {
                    body.extend_from_slice(
                        format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
                    );
                    body.extend_from_slice(content);
                    body.extend_from_slice(b"\r\n");
                }
            }
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let mut request = self.agent.post(format!("{}{path}", self.base)).header(
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        );
        if !self.cookies.is_empty() {
            request = request.header("Cookie", self.cookie_header());
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send(&body[..]);
        self.answer(response)
    }

    /// Posts the login form with the token `csrf`, as a person typing `login` and `password`.
    pub fn post_login(&mut self, csrf: &str, login: &str, password: &str) -> Answer {
        self.post_form(
            "/connexion",
            &[("csrf", csrf), ("login", login), ("password", password)],
        )
    }

    /// Logs in through the real form; panics unless the server accepts.
    pub fn log_in(&mut self, (login, password): (&str, &str)) {
        let csrf = self.get("/connexion").csrf();
        let answer = self.post_login(&csrf, login, password);
        assert_eq!(
            answer.status,
            303,
            "login of {login} refused: {}",
            answer.text()
        );
    }
}
