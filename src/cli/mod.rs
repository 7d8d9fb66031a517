//! The command line: argument definitions and dispatch to one module per command. Output for
//! people goes to the terminal (progress and summaries on stderr); machine output (`--json`) to
//! stdout.

mod extract;
mod import;
mod maintenance;
mod search;

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::extract::{Extractor, Limits};
use crate::service::{Core, Settings};

#[derive(Debug, Parser)]
#[command(
    name = "cartable",
    version,
    about = "Le point ressources du lycée : documents, recherche, clés USB et dossiers imprimés"
)]
pub struct Cli {
    /// Data folder (catalog, files, index).
    #[arg(
        long,
        global = true,
        env = "CARTABLE_DATA",
        default_value = "cartable-data"
    )]
    pub data: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import files, folders or zip packs; level and subject are inferred from folder names.
    Import(import::Args),
    /// Search the documents, as the web search does.
    Search(search::Args),
    /// Check that catalog, files and index agree; --repair fixes what can be fixed.
    Check(maintenance::CheckArgs),
    /// Rebuild the search index from the stored documents.
    Reindex,
    /// Extract one file's text (used internally, in a child process with limits).
    #[command(hide = true)]
    Extract(extract::Args),
}

/// Runs the command; returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Import(args) => import::run(&open(&cli.data)?, args),
        Command::Search(args) => search::run(&open(&cli.data)?, args),
        Command::Check(args) => maintenance::check(&open(&cli.data)?, args),
        Command::Reindex => maintenance::reindex(&open(&cli.data)?),
    }
}

/// Default upload limit (200 MB), the same for import and the web.
pub const MAX_UPLOAD_BYTES: u64 = 200 * 1024 * 1024;

fn open(data: &std::path::Path) -> anyhow::Result<Core> {
    let binary =
        std::env::current_exe().context("cannot find the cartable binary for text extraction")?;
    let settings = Settings {
        data_dir: data.to_owned(),
        extractor: Extractor::cartable(binary, Limits::default()),
        max_upload_bytes: MAX_UPLOAD_BYTES,
    };
    Core::open(&settings).with_context(|| format!("cannot open the data folder {}", data.display()))
}
