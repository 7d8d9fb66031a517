//! Child processes: those of this binary that read untrusted files (text extraction, printable
//! packs), and the outside programs it runs (LibreOffice, the print command). A child of ours
//! confines itself with rlimits before it reads anything; for every child the parent bounds its
//! wall-clock time, runs it in its own process group (killed as a whole), and caps what it reads
//! back. Whatever the child does (hang, abort, overflow its stack, run out of memory), the
//! parent carries on.

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// How a confined child ended.
#[derive(Debug)]
pub enum Outcome {
    Exited {
        status: ExitStatus,
        stdout: Vec<u8>,
        stderr: Vec<u8>,
    },
    /// Killed after the wall-clock limit; what it had written by then.
    TimedOut {
        stdout: Vec<u8>,
        stderr: Vec<u8>,
    },
    CannotStart(std::io::Error),
}

/// Runs `command` with `input` on its stdin, killing it (and its group) after `wall_time`.
/// Its stdout and stderr are read on their own threads, each capped at `output_cap` bytes, so a
/// child writing more than a pipe holds never blocks.
pub fn run(mut command: Command, input: &[u8], wall_time: Duration, output_cap: u64) -> Outcome {
    let spawned = command
        .stdin(if input.is_empty() {
            Stdio::null()
        } else {
            Stdio::piped()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group, so a timeout kills whatever it started too, and nothing is
        // left holding the output pipes open.
        .process_group(0)
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(error) => return Outcome::CannotStart(error),
    };
    if let Some(mut stdin) = child.stdin.take() {
        let input = input.to_vec();
        // A child that dies early closes its end; the error is the child's story, told by its
        // exit status.
        std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
    }
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut output = Vec::new();
            if let Some(pipe) = pipe {
                let _ = pipe.take(output_cap).read_to_end(&mut output);
            }
            output
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let started = Instant::now();
    let mut pause = Duration::from_micros(200);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                // Anything the child left running would hold the output pipes open.
                let pid = rustix::process::Pid::from_child(&child);
                let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
                break Some(status);
            }
            Ok(None) if started.elapsed() >= wall_time => {
                kill_group(&mut child);
                break None;
            }
            Ok(None) => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(20));
            }
            Err(error) => {
                tracing::error!(%error, "cannot wait for a child process");
                kill_group(&mut child);
                break None;
            }
        }
    };
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    match status {
        Some(status) => Outcome::Exited {
            status,
            stdout,
            stderr,
        },
        None => Outcome::TimedOut { stdout, stderr },
    }
}

/// Kills the child and everything in its process group, then reaps the child.
fn kill_group(child: &mut Child) {
    let pid = rustix::process::Pid::from_child(child);
    let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    let _ = child.kill();
    let _ = child.wait();
}

/// Applies the limits to the current process; child subcommands call it before reading any
/// file, so the limits hold even if a parser misbehaves from its first byte.
pub fn confine_current_process(memory_bytes: u64, cpu_seconds: u64) -> std::io::Result<()> {
    use rustix::process::{setrlimit, Resource, Rlimit};
    let cap = |limit: u64| Rlimit {
        current: Some(limit),
        maximum: Some(limit),
    };
    setrlimit(Resource::As, cap(memory_bytes))?;
    // The soft CPU limit sends SIGXCPU; the hard one a second later SIGKILL.
    setrlimit(
        Resource::Cpu,
        Rlimit {
            current: Some(cpu_seconds),
            maximum: Some(cpu_seconds + 1),
        },
    )?;
    // A crashing parser must not leave core files on a small SD card.
    setrlimit(Resource::Core, cap(0))?;
    // Its own process group keeps it from a terminal's Ctrl-C: it must still go when its parent
    // does (a stopped export, a stopped server), not write on for minutes.
    rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL))?;
    Ok(())
}

/// Further limits for an outside program run under [`confine_current_process`]'s (LibreOffice):
/// it starts processes and writes files, so both are capped too. Called by `cartable confine`
/// just before it becomes that program; rlimits survive `exec`.
pub fn confine_outside_program(
    memory_bytes: u64,
    cpu_seconds: u64,
    processes: u64,
    file_bytes: u64,
) -> std::io::Result<()> {
    use rustix::process::{setrlimit, Resource, Rlimit};
    confine_current_process(memory_bytes, cpu_seconds)?;
    let cap = |limit: u64| Rlimit {
        current: Some(limit),
        maximum: Some(limit),
    };
    // A larger file than this gets SIGXFSZ: a document cannot fill the SD card through it.
    setrlimit(Resource::Fsize, cap(file_bytes))?;
    // RLIMIT_NPROC counts every process and thread of the user, not of this tree: the cap is
    // what the user runs now plus `processes`. (Root is not held by it; the unit runs as its
    // own user.)
    setrlimit(Resource::Nproc, cap(tasks_of_this_user() + processes))?;
    Ok(())
}

/// Processes and threads of this process's user, from /proc.
fn tasks_of_this_user() -> u64 {
    let uid = rustix::process::getuid().as_raw().to_string();
    let Ok(processes) = std::fs::read_dir("/proc") else {
        return 0;
    };
    processes
        .flatten()
        .filter_map(|process| std::fs::read_to_string(process.path().join("status")).ok())
        .filter(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Uid:"))
                .and_then(|ids| ids.split_whitespace().next())
                == Some(uid.as_str())
        })
        .map(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Threads:"))
                .and_then(|n| n.trim().parse::<u64>().ok())
                .unwrap_or(1)
        })
        .sum()
}
