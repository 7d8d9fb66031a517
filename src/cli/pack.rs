//! `cartable pack`: the child side of printable packs. It confines itself first (memory, CPU),
//! reads the plan as JSON on stdin, writes the PDF to `--out`, and answers the summary as JSON
//! on stdout. Before each document it says `part N` on stdout too (then `parts done`), so that
//! if a document crashes it, the parent knows which one and builds the pack again without it.

use std::io::{BufWriter, Read, Write};
use std::path::PathBuf;

use anyhow::Context;

use crate::bundle::pack::{self, Plan, Step, WriteFailure};
use crate::bundle::HashingWriter;
use crate::extract::{extract_in_process, Limits};
use crate::model::TextStatus;
use crate::sandbox::confine_current_process;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long)]
    memory_bytes: u64,
    #[arg(long)]
    cpu_seconds: u64,
    #[arg(long)]
    out: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    confine_current_process(args.memory_bytes, args.cpu_seconds).context("cannot set limits")?;
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input)?;
    let plan: Plan = serde_json::from_slice(&input).context("unreadable pack plan")?;
    // As much text as the catalog keeps of a document (2 MB, about 700 pages).
    let max_text = Limits::default().max_text;
    let mut text_of = |path: &std::path::Path, format| {
        let extraction = extract_in_process(path, format, max_text);
        match extraction.status {
            TextStatus::Ok if !extraction.text.trim().is_empty() => Ok(extraction.text),
            _ => Err(extraction
                .reason
                .unwrap_or_else(|| "le document ne contient pas de texte lisible".to_owned())),
        }
    };
    // Progress goes to stdout, where nothing else is written: the parent reads it to know which
    // document was being read if this process dies. A parent gone away is not our concern.
    let mut stdout = std::io::stdout().lock();
    let mut progress = |step: Step| {
        let _ = writeln!(stdout, "{}", step.line());
        let _ = stdout.flush();
    };
    let written = std::fs::File::create(&args.out).and_then(|file| {
        let out = BufWriter::new(HashingWriter::new(file));
        let (mut summary, out) = pack::write_pack(&plan, &mut text_of, &mut progress, out)?;
        let (file, sha256) = out.into_inner().map_err(|e| e.into_error())?.finish();
        file.sync_all()?;
        summary.sha256 = sha256;
        Ok(summary)
    });
    let mut stdout = std::io::stdout().lock();
    match written {
        Ok(summary) => {
            serde_json::to_writer(&mut stdout, &summary)?;
            writeln!(stdout)?;
            stdout.flush()?;
            Ok(0)
        }
        Err(error) => {
            eprintln!("cannot write {}: {error}", args.out.display());
            writeln!(stdout, "{}", WriteFailure::of(&error).line())?;
            Ok(WRITE_FAILED_EXIT)
        }
    }
}

/// Exit status when the pack file could not be written (as opposed to a crash on a document).
const WRITE_FAILED_EXIT: i32 = 3;
