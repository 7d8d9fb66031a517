//! The command line: argument definitions and dispatch to one module per command. Output for
//! people goes to the terminal (progress and summaries on stderr); machine output (`--json`,
//! tokens) to stdout. The help is French, or English for an English locale (`help`); its texts
//! live beside each other there rather than in doc comments here.

mod allocator;
mod backup;
mod confine;
mod errors;
mod export;
mod extract;
mod help;
mod hub;
mod import;
mod lang;
mod maintenance;
mod pack;
mod remote;
mod remove;
mod search;
mod serve;
mod status;
mod user;

use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::config::{Config, Layer};
use crate::extract::{Extractor, Limits};
use crate::service::{Core, Settings};

// The texts of the help are in `help`, in both languages.
#[derive(Debug, Parser)]
#[command(name = "cartable", version)]
pub struct Cli {
    #[arg(long, global = true)]
    pub data: Option<PathBuf>,

    #[arg(long, global = true)]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

/// Reads the command line; prints the help, the version or what is wrong (in the locale's
/// language) and exits when there is nothing to run.
pub fn parse() -> Cli {
    let lang = lang::Lang::from_env(|name| std::env::var(name).ok());
    let command = help::localized(Cli::command(), lang);
    let hidden: Vec<String> = command
        .get_subcommands()
        .filter(|sub| sub.is_hide_set())
        .map(|sub| sub.get_name().to_owned())
        .collect();
    match command
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches))
    {
        Ok(cli) => cli,
        Err(error) => errors::exit(error, lang, &hidden),
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Serve(serve::Args),
    Import(import::Args),
    Search(search::Args),
    #[command(subcommand)]
    User(user::Command),
    Export(export::Args),
    Check(maintenance::CheckArgs),
    Reindex,
    Remove(remove::Args),
    Status(status::Args),
    Backup(backup::BackupArgs),
    Restore(backup::RestoreArgs),
    #[command(subcommand)]
    Key(hub::KeyCommand),
    Publish(hub::PublishArgs),
    Sync(hub::SyncArgs),
    /// Extract one file's text (used internally, in a child process with limits).
    #[command(hide = true)]
    Extract(extract::Args),
    /// Build a printable pack from a plan on stdin (used internally, in a child process with
    /// limits).
    #[command(hide = true)]
    Pack(pack::Args),
    /// Run an outside program (LibreOffice) under limits (used internally).
    #[command(hide = true)]
    Confine(confine::Args),
}

/// Runs the command; returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    // The child commands read no configuration and open nothing: they must start fast.
    if matches!(cli.command, Command::Serve(_)) {
        allocator::settle();
    }
    let command = match cli.command {
        Command::Extract(args) => return extract::run(args),
        Command::Pack(args) => return pack::run(args),
        Command::Confine(args) => return confine::run(args),
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
    let (config, chosen_by) = resolve(cli.config.as_deref(), flags)?;
    // Asking the server what it does opens nothing: the folder belongs to it.
    let command = match command {
        Command::Status(args) => return status::run(&config.data_dir, args),
        // Into an empty folder: nothing to open first.
        Command::Restore(args) => return backup::restore(&settings(&config)?, args),
        // A key is a file of its own: no catalog needed.
        Command::Key(command) => return hub::key(&config.data_dir, command),
        command => command,
    };
    // Only these start a data folder; the others, run in the wrong folder, would answer from an
    // empty catalog they just made ("Aucun résultat") instead of saying where they looked.
    let starts_a_folder = matches!(
        command,
        Command::Serve(_)
            | Command::Import(_)
            | Command::User(user::Command::Add { .. })
            | Command::Sync(_)
    );
    if !starts_a_folder && !crate::service::has_catalog(&config.data_dir) {
        bail!(
            "aucun catalogue dans le dossier de données {} ({chosen_by}) : indiquez le bon dossier avec --data DOSSIER",
            config.data_dir.display()
        );
    }
    // Reads the folder beside the server, owning nothing: nothing to open (see `backup`).
    let command = match command {
        Command::Backup(args) => return backup::back_up(&config.data_dir, args),
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
        Command::Remove(args) => remove::run(&core, args),
        Command::Publish(args) => hub::publish(&core, args),
        Command::Sync(args) => hub::sync(&core, args),
        Command::Extract(_)
        | Command::Pack(_)
        | Command::Confine(_)
        | Command::Status(_)
        | Command::Backup(_)
        | Command::Restore(_)
        | Command::Key(_) => {
            unreachable!("these commands returned above")
        }
    }
}

/// Defaults < file < environment < flags, validated; with what chose the data folder, in
/// words, for messages about it.
fn resolve(file: Option<&std::path::Path>, flags: Layer) -> anyhow::Result<(Config, String)> {
    let file_layer = file.map(Layer::from_file).transpose()?.unwrap_or_default();
    let env = Layer::from_env(|name| std::env::var(name).ok())?;
    let chosen_by = if flags.data.is_some() {
        "donné par --data".to_owned()
    } else if env.data.is_some() {
        "donné par CARTABLE_DATA".to_owned()
    } else if let (Some(_), Some(file)) = (&file_layer.data, file) {
        format!("donné par {}", file.display())
    } else {
        "le dossier par défaut, ./cartable-data dans le dossier courant".to_owned()
    };
    Ok((Config::resolve(file_layer, env, flags)?, chosen_by))
}

fn open(config: &Config) -> anyhow::Result<Core> {
    Core::open(&settings(config)?)
        .with_context(|| format!("cannot open the data folder {}", config.data_dir.display()))
}

fn settings(config: &Config) -> anyhow::Result<Settings> {
    let binary =
        std::env::current_exe().context("cannot find the cartable binary for text extraction")?;
    let settings = Settings {
        max_upload_bytes: config.max_upload_bytes,
        disk_reserve_bytes: config.disk_reserve_bytes,
        session_seconds: config.session_seconds,
        office_command: config.office_command.clone(),
        usb_folder: config.kiosk.usb_folder.clone(),
        ..Settings::new(
            config.data_dir.clone(),
            Extractor::cartable(binary, Limits::default()),
        )
    };
    Ok(settings)
}
