//! The command line: argument definitions and dispatch to one module per command. Output for
//! people goes to the terminal (progress and summaries on stderr); machine output (`--json`,
//! tokens) to stdout.

mod export;
mod extract;
mod import;
mod maintenance;
mod pack;
mod remote;
mod search;
mod serve;
mod status;
mod user;

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::config::{Config, Layer};
use crate::extract::{Extractor, Limits};
use crate::service::{Core, Settings};

#[derive(Debug, Parser)]
#[command(
    name = "cartable",
    version,
    about = "Le point ressources du lycée : documents, recherche, clés USB et dossiers imprimés"
)]
pub struct Cli {
    /// Data folder (catalog, files, index); default ./cartable-data.
    #[arg(long, global = true)]
    pub data: Option<PathBuf>,

    /// Configuration file (TOML); environment variables CARTABLE_* and flags override it.
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the resource point on the school network.
    Serve(serve::Args),
    /// Import files, folders or zip packs; level and subject are inferred from folder names.
    Import(import::Args),
    /// Search the documents, as the web search does.
    Search(search::Args),
    /// Manage staff accounts (the first admin, API tokens).
    #[command(subcommand)]
    User(user::Command),
    /// Copy documents for families without a connection: a folder (USB stick) or a zip.
    Export(export::Args),
    /// Check that catalog, files and index agree; --repair fixes what can be fixed.
    Check(maintenance::CheckArgs),
    /// Rebuild the search index from the stored documents.
    Reindex,
    /// What the server running on the data folder is doing; exit code 3 when none runs.
    Status(status::Args),
    /// Extract one file's text (used internally, in a child process with limits).
    #[command(hide = true)]
    Extract(extract::Args),
    /// Build a printable pack from a plan on stdin (used internally, in a child process with
    /// limits).
    #[command(hide = true)]
    Pack(pack::Args),
}

/// Runs the command; returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    // The child commands read no configuration and open nothing: they must start fast.
    let command = match cli.command {
        Command::Extract(args) => return extract::run(args),
        Command::Pack(args) => return pack::run(args),
        command => command,
    };
    let listen = match &command {
        Command::Serve(args) => args.listen.clone(),
        _ => None,
    };
    let flags = Layer {
        data: cli.data,
        listen,
        ..Layer::default()
    };
    let config = resolve(cli.config.as_deref(), flags)?;
    // Asking the server what it does opens nothing: the folder belongs to it.
    let command = match command {
        Command::Status(args) => return status::run(&config.data_dir, args),
        command => command,
    };
    let core = open(&config)?;
    match command {
        Command::Serve(_) => serve::run(&config, core),
        Command::Import(args) => import::run(&core, args),
        Command::Search(args) => search::run(&core, args),
        Command::User(command) => user::run(&core, command),
        Command::Check(args) => maintenance::check(&core, args),
        Command::Export(args) => export::run(&config, &core, args),
        Command::Reindex => maintenance::reindex(&core),
        Command::Extract(_) | Command::Pack(_) | Command::Status(_) => {
            unreachable!("these commands returned above")
        }
    }
}

/// Defaults < file < environment < flags, validated.
fn resolve(file: Option<&std::path::Path>, flags: Layer) -> anyhow::Result<Config> {
    let file = file.map(Layer::from_file).transpose()?.unwrap_or_default();
    let env = Layer::from_env(|name| std::env::var(name).ok())?;
    Ok(Config::resolve(file, env, flags)?)
}

fn open(config: &Config) -> anyhow::Result<Core> {
    let binary =
        std::env::current_exe().context("cannot find the cartable binary for text extraction")?;
    let settings = Settings {
        max_upload_bytes: config.max_upload_bytes,
        session_seconds: config.session_seconds,
        office_command: config.office_command.clone(),
        usb_folder: config.kiosk.usb_folder.clone(),
        ..Settings::new(
            config.data_dir.clone(),
            Extractor::cartable(binary, Limits::default()),
        )
    };
    Core::open(&settings)
        .with_context(|| format!("cannot open the data folder {}", config.data_dir.display()))
}
