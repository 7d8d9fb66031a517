//! `cartable import PATH...`: files, folders and zip packs, with a progress bar on a terminal and
//! a summary at the end. Exit code 0 when every file is stored (even without text), 1 otherwise.

use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressStyle};

use crate::model::{Level, Metadata, Source, Subject, TextStatus, Visibility};
use crate::service::{Core, ImportOutcome};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files, folders or zip archives to import.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Level of every imported document (repeatable); inferred from folder names otherwise.
    #[arg(long)]
    level: Vec<String>,
    /// Subject of every imported document; inferred from folder names otherwise.
    #[arg(long)]
    subject: Option<String>,
    /// Class of every imported document (e.g. "2nde B").
    #[arg(long)]
    class: Option<String>,
    /// Author shown on the documents.
    #[arg(long)]
    author: Option<String>,
    /// Where the documents come from: cned or teacher.
    #[arg(long, value_parser = ["cned", "teacher"])]
    source: Option<String>,
    /// Who may see them: public (families) or staff.
    #[arg(long, value_parser = ["public", "staff"])]
    visibility: Option<String>,
}

pub fn run(core: &Core, args: Args) -> anyhow::Result<i32> {
    let given = Metadata {
        levels: args.level.iter().filter_map(|l| Level::parse(l)).collect(),
        subject: args.subject.as_deref().and_then(Subject::parse),
        class: args.class.clone(),
        author: args.author.clone(),
        source: args.source.as_deref().and_then(Source::from_name),
        visibility: args.visibility.as_deref().and_then(Visibility::from_name),
        ..Metadata::default()
    };
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
            .expect("the template is valid"),
    );
    let started = std::time::Instant::now();
    let report = core.import(&args.paths, &given, &|outcome, done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        bar.set_message(outcome.source().to_owned());
    })?;
    bar.finish_and_clear();

    let added = report.added().count();
    let refused: Vec<(&str, &str)> = report.refused().collect();
    let without_text: Vec<_> = report.without_text().collect();
    eprintln!(
        "{added} ajouté(s), {} déjà présent(s), {} refusé(s), {} sans texte cherchable — en {:.1} s.",
        report.duplicates(),
        refused.len(),
        without_text.len(),
        started.elapsed().as_secs_f64()
    );
    if !refused.is_empty() {
        eprintln!("\nRefusés :");
        for (source, reason) in &refused {
            eprintln!("- {source} : {reason}");
        }
    }
    if !without_text.is_empty() {
        eprintln!("\nEnregistrés, trouvables par leur titre seulement :");
        for outcome in &report.outcomes {
            if let ImportOutcome::Added { source, document } = outcome {
                if document.text_status != TextStatus::Ok {
                    let reason = document.text_reason.as_deref().unwrap_or("pas de texte");
                    eprintln!("- {source} : {reason}");
                }
            }
        }
    }
    Ok(if refused.is_empty() { 0 } else { 1 })
}
