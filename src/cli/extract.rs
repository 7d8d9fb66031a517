//! `cartable extract`: the child side of sandboxed extraction. It confines itself first (memory,
//! CPU), then extracts one file (its search text, or with `--reading` the structured text of
//! its reading view) and writes the result as JSON on stdout.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use crate::extract::{extract_in_process, read_in_process};
use crate::model::Format;
use crate::sandbox::confine_current_process;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_parser = parse_format)]
    format: Format,
    #[arg(long)]
    max_text: usize,
    #[arg(long)]
    memory_bytes: u64,
    #[arg(long)]
    cpu_seconds: u64,
    /// Reads the headings, paragraphs and lists of the reading view instead.
    #[arg(long)]
    reading: bool,
    path: PathBuf,
}

fn parse_format(name: &str) -> Result<Format, String> {
    Format::from_name(name).ok_or_else(|| format!("unknown format {name}"))
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    confine_current_process(args.memory_bytes, args.cpu_seconds).context("cannot set limits")?;
    let mut stdout = std::io::stdout().lock();
    if args.reading {
        let reading = read_in_process(&args.path, args.format, args.max_text);
        serde_json::to_writer(&mut stdout, &reading)?;
    } else {
        let extraction = extract_in_process(&args.path, args.format, args.max_text);
        serde_json::to_writer(&mut stdout, &extraction)?;
    }
    stdout.flush()?;
    Ok(0)
}
