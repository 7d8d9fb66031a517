//! What the benches that drive the real binary share: a staff account, and `cartable serve` on
//! 127.0.0.1:0 with the address read from what it prints once bound (no sleep, no port race).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Adds the staff account `login` with `password` to the data folder (`cartable user add`).
pub fn add_staff(binary: &str, data: &Path, (login, password): (&str, &str)) {
    let mut add = Command::new(binary)
        .args(["--data", data.to_str().unwrap(), "user", "add", login])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("user add runs");
    let _ = add
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes());
    assert!(add.wait().expect("user add ends").success(), "user add");
}

/// Starts `cartable serve` on `data` with `environment` added; returns it and its base URL.
pub fn spawn_serve(binary: &str, data: &Path, environment: &[(&str, &str)]) -> (Child, String) {
    let mut child = Command::new(binary)
        .args([
            "--data",
            data.to_str().unwrap(),
            "serve",
            "--listen",
            "127.0.0.1:0",
        ])
        .env("CARTABLE_MDNS_NAME", "")
        .envs(environment.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cartable serve starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let base = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            line.trim()
                .strip_prefix("http://127.0.0.1:")
                .map(|rest| format!("http://127.0.0.1:{}", rest.trim_end_matches('/')))
        })
        .expect("serve prints its URL");
    std::thread::spawn(move || lines.for_each(drop));
    (child, base)
}
