//! `cartable export --to DIR [filters] [--format folder|zip]`: a class's documents for families
//! without a connection, as a folder with its own `index.html` (a USB stick) or a zip. Prints the
//! path it wrote on stdout.

use std::path::PathBuf;

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Config;
use crate::model::{DocumentFilter, Level, Subject};
use crate::service::{Core, Selection};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to write into (the USB stick's mount point, say).
    #[arg(long)]
    to: PathBuf,
    #[arg(long)]
    level: Option<String>,
    #[arg(long)]
    class: Option<String>,
    #[arg(long)]
    subject: Option<String>,
    /// Only documents added on or after this day (YYYY-MM-DD).
    #[arg(long)]
    since: Option<String>,
    #[arg(long, default_value = "folder", value_parser = ["folder", "zip", "pdf"])]
    format: String,
}

pub fn run(config: &Config, core: &Core, args: Args) -> anyhow::Result<i32> {
    let since = args
        .since
        .as_deref()
        .map(|d| {
            crate::model::parse_iso_date(d)
                .with_context(|| format!("invalid date {d} (expected YYYY-MM-DD)"))
        })
        .transpose()?;
    let selection = Selection {
        filter: DocumentFilter {
            level: args.level.as_deref().and_then(Level::parse),
            class: args.class.clone(),
            subject: args.subject.as_deref().and_then(Subject::parse),
            since,
            ..DocumentFilter::default()
        },
        ids: None,
    };
    let school = core.school(&config.school_name)?.name;
    let written = match args.format.as_str() {
        "folder" => {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {wide_msg}")
                    .expect("valid template"),
            );
            let folder = core.export_folder(&selection, &school, &args.to, &|progress| {
                bar.set_length(progress.total_bytes);
                bar.set_position(progress.done_bytes);
                bar.set_message(progress.current.clone());
            });
            bar.finish_and_clear();
            folder?
        }
        "zip" => {
            if !args.to.is_dir() {
                bail!("the destination {} is not a folder", args.to.display());
            }
            let (cover, items) = core.bundle(&selection, &school)?;
            let name = crate::bundle::safe(&format!("{} - {}.zip", cover.selection, cover.date));
            let temp = tempfile::NamedTempFile::new_in(&args.to)
                .context("cannot write in the destination")?;
            // Text shrinks in the zip, so the bar counts the documents' own sizes as an upper
            // bound and jumps to the end when done.
            let bar = ProgressBar::new(items.iter().map(|i| i.bytes).sum());
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes}")
                    .expect("valid template"),
            );
            let file = core.export_zip(
                &selection,
                &school,
                bar.wrap_write(std::io::BufWriter::new(temp.reopen()?)),
            );
            bar.finish_and_clear();
            let mut file = file?;
            std::io::Write::flush(&mut file)?;
            drop(file);
            // The same file through the temp handle: fsync flushes the file, not the descriptor.
            temp.as_file().sync_all()?;
            let path = args.to.join(name);
            temp.persist(&path).context("cannot name the zip")?;
            path
        }
        _ => {
            if !args.to.is_dir() {
                bail!("the destination {} is not a folder", args.to.display());
            }
            let bar = ProgressBar::new_spinner();
            bar.set_message("Préparation de la version imprimable…");
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
            // The first address phones can type; the cover's QR code points there.
            let site = crate::announce::urls(config.listen).into_iter().next();
            let built = core.build_pack_in(&selection, &school, site.as_deref(), &args.to);
            bar.finish_and_clear();
            let built = built?;
            let (cover, _) = core.bundle(&selection, &school)?;
            let name = crate::bundle::safe(&format!(
                "{} - {} - imprimable.pdf",
                cover.selection, cover.date
            ));
            let path = args.to.join(name);
            built.path.persist(&path).context("cannot name the PDF")?;
            eprintln!("{} pages à imprimer.", built.pages);
            path
        }
    };
    eprintln!("Terminé : vous pouvez retirer la clé.");
    println!("{}", written.display());
    Ok(0)
}
