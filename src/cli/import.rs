//! `cartable import PATH...`: files, folders and zip packs, with a progress bar on a terminal and
//! a summary at the end. Exit code 0 when every file is stored (even without text), 1 otherwise.
//! While the server runs on the data folder, it does the import (see `remote`).

use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressStyle};

use crate::control::{ImportOptions, Reply, Request};
use crate::service::Core;

use super::remote;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[arg(long)]
    level: Vec<String>,
    #[arg(long)]
    subject: Option<String>,
    #[arg(long)]
    class: Option<String>,
    #[arg(long)]
    author: Option<String>,
    #[arg(long, value_parser = ["cned", "teacher"])]
    source: Option<String>,
    #[arg(long, value_parser = ["public", "staff"])]
    visibility: Option<String>,
}

pub fn run(core: &Core, args: Args) -> anyhow::Result<i32> {
    let options = ImportOptions {
        levels: args.level,
        subject: args.subject,
        class: args.class,
        author: args.author,
        source: args.source,
        visibility: args.visibility,
    };
    // The server reads the files itself when it does the work: it needs absolute paths.
    let paths = if core.owns_data() {
        args.paths
    } else {
        args.paths
            .iter()
            .map(std::path::absolute)
            .collect::<Result<_, _>>()?
    };
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
            .expect("the template is valid"),
    );
    let started = std::time::Instant::now();
    let request = Request::Import { paths, options };
    let reply = remote::run(core, &request, &|reply| {
        if let Reply::Progress {
            done,
            total,
            current,
        } = reply
        {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
            bar.set_message(current);
        }
    });
    bar.finish_and_clear();
    let summary = match reply? {
        Reply::Imported(summary) => summary,
        other => return Err(remote::unexpected(other)),
    };
    eprintln!(
        "{} ajouté(s), {} déjà présent(s), {} refusé(s), {} sans texte cherchable — en {:.1} s.",
        summary.added,
        summary.duplicates,
        summary.refused.len(),
        summary.without_text.len(),
        started.elapsed().as_secs_f64()
    );
    if !summary.refused.is_empty() {
        eprintln!("\nRefusés :");
        for (source, reason) in &summary.refused {
            eprintln!("- {source} : {reason}");
        }
    }
    if !summary.without_text.is_empty() {
        eprintln!("\nEnregistrés, trouvables par leur titre seulement :");
        for (source, reason) in &summary.without_text {
            eprintln!("- {source} : {reason}");
        }
    }
    Ok(if summary.refused.is_empty() { 0 } else { 1 })
}
