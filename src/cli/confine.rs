//! `cartable confine`: runs an outside program (LibreOffice) under memory, CPU time, process
//! count and file size limits. It sets them on itself, then becomes the program (`exec`), so
//! the limits hold from the program's first instruction without any unsafe `pre_exec`.

use std::os::unix::process::CommandExt;
use std::process::Command;

use anyhow::Context;

use crate::sandbox::confine_outside_program;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long)]
    memory_bytes: u64,
    #[arg(long)]
    cpu_seconds: u64,
    #[arg(long)]
    processes: u64,
    #[arg(long)]
    file_bytes: u64,
    /// The program and its arguments, after `--`.
    #[arg(last = true, required = true)]
    command: Vec<String>,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    confine_outside_program(
        args.memory_bytes,
        args.cpu_seconds,
        args.processes,
        args.file_bytes,
    )
    .context("cannot set limits")?;
    let (program, rest) = args.command.split_first().context("no program to run")?;
    // Only returns when the program could not be started.
    let error = Command::new(program).args(rest).exec();
    Err(error).with_context(|| format!("cannot start {program}"))
}
