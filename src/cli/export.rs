//! `cartable export --to DIR [filters] [--format folder|zip]`: a class's documents for families
//! without a connection, as a folder with its own `index.html` (a USB stick) or a zip. Prints the
//! path it wrote on stdout.

use std::path::PathBuf;

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};

use crate::bundle::{self, HashingWriter};
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
                bail!("la destination {} n'est pas un dossier", args.to.display());
            }
            let (cover, items) = core.bundle(&selection, &school)?;
            let name = format!("{} - {}.zip", cover.selection, cover.date);
            let temp = tempfile::Builder::new()
                .prefix(".cartable-copie-en-cours-")
                .tempfile_in(&args.to)
                .map_err(bundle::FolderError::from)?;
            // Text shrinks in the zip, so the bar counts the documents' own sizes as an upper
            // bound and jumps to the end when done.
            let bar = ProgressBar::new(items.iter().map(|i| i.bytes).sum());
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes}")
                    .expect("valid template"),
            );
            let out = Counted {
                inner: std::io::BufWriter::new(HashingWriter::new(
                    temp.reopen().map_err(bundle::FolderError::from)?,
                )),
                bar: bar.clone(),
            };
            let written = core.export_zip(&selection, &school, out);
            bar.finish_and_clear();
            let (_, sha256) = written?
                .inner
                .into_inner()
                .map_err(|e| bundle::FolderError::from(e.into_error()))?
                .finish();
            let temp = temp.into_temp_path();
            let path = bundle::deliver_file(&temp, &args.to, &name, &sha256)?;
            let _ = temp.keep();
            path
        }
        _ => {
            if !args.to.is_dir() {
                bail!("la destination {} n'est pas un dossier", args.to.display());
            }
            let bar = ProgressBar::new_spinner();
            bar.set_message("Préparation de la version imprimable…");
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
            // The first address phones can reach; the cover's QR code points there.
            let site = crate::announce::lan_url(config.listen);
            let built = core.build_pack(&selection, &school, site.as_deref(), Some(&args.to));
            bar.finish_and_clear();
            let built = built?;
            let name = format!("{} - imprimable.pdf", built.name);
            let path = bundle::deliver_file(&built.path, &args.to, &name, &built.sha256)?;
            let _ = built.path.keep();
            eprintln!("{} pages à imprimer.", built.pages);
            path
        }
    };
    eprintln!("Terminé : vous pouvez retirer la clé.");
    println!("{}", written.display());
    Ok(0)
}

/// Moves a progress bar by what is written through it.
struct Counted<W> {
    inner: W,
    bar: ProgressBar,
}

impl<W: std::io::Write> std::io::Write for Counted<W> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(data)?;
        self.bar.inc(written as u64);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
