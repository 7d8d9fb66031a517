//! The real binary's `cartable serve` in a child process on 127.0.0.1:0, for tests of commands
//! run beside it. The address is read from what it prints once bound (no sleep, no port race);
//! a server still running when the test ends (a failed assertion) is killed.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

pub struct Served {
    child: Option<Child>,
    pub base: String,
    pub data: PathBuf,
}

impl Served {
    /// Starts `cartable serve` on `data` and waits until it prints the URL it answers on.
    pub fn start(data: &Path) -> Served {
        Served::start_with(data, &[])
    }

    /// The same, with settings from the environment (`CARTABLE_HOTSPOT`, say).
    pub fn start_with(data: &Path, environment: &[(&str, &str)]) -> Served {
        Served::start_listening(data, "127.0.0.1:0", environment)
    }

    /// Starts it listening on `listen` (`0.0.0.0:0`: every interface, as in a school); `base`
    /// is still its loopback address.
    pub fn start_listening(data: &Path, listen: &str, environment: &[(&str, &str)]) -> Served {
        let mut child = Command::new(super::binary())
            .arg("--data")
            .arg(data)
            .args(["serve", "--listen", listen])
            .env("CARTABLE_MDNS_NAME", "")
            .env_remove("CARTABLE_DATA")
            .env_remove("RUST_LOG")
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
                let line = line.trim();
                // On every interface it prints their addresses, then localhost's.
                line.strip_prefix("http://127.0.0.1:")
                    .or_else(|| line.strip_prefix("http://localhost:"))
                    .map(|rest| format!("http://127.0.0.1:{}", rest.trim_end_matches('/')))
            })
            .expect("serve prints the URL it answers on");
        std::thread::spawn(move || lines.for_each(drop));
        Served {
            child: Some(child),
            base,
            data: data.to_owned(),
        }
    }

    /// The server's process id (to read its memory in /proc).
    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    pub fn browser(&self) -> super::server::Browser {
        super::server::Browser::new(&self.base)
    }

    /// Stops it as systemd does (SIGTERM) and checks that it exits cleanly.
    pub fn stop(mut self) {
        let child = self.child.take().unwrap();
        terminate(child);
    }

    /// Kills it as a crash or a power cut would (SIGKILL): nothing is cleaned up.
    pub fn kill(mut self) {
        let mut child = self.child.take().unwrap();
        child.kill().expect("the server is killed");
        child.wait().expect("the server is gone");
    }
}

fn terminate(mut child: Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = child.wait().expect("serve stops");
    assert!(status.success(), "serve exits cleanly on SIGTERM: {status}");
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Runs the real binary on `data` with `stdin` as its input.
pub fn run_with_input(data: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(super::binary())
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("CARTABLE_DATA")
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().expect("the binary ends")
}
