//! `cartable export --to DIR [filters] [--format folder|zip|pdf]`: a class's documents for
//! families without a connection, as a folder with its own `index.html` (a USB stick), a zip, or
//! a printable pack. Creates DIR when missing; prints the path it wrote on stdout.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};

use crate::bundle::{self, HashingWriter};
use crate::config::Config;
use crate::model::{DocumentFilter, Level, Subject};
use crate::service::{Core, Selection};

use super::remote;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long)]
    to: PathBuf,
    #[arg(long)]
    level: Option<String>,
    #[arg(long)]
    class: Option<String>,
    #[arg(long)]
    subject: Option<String>,
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
                .with_context(|| format!("date invalide « {d} » (attendu : AAAA-MM-JJ)"))
        })
        .transpose()?;
    make_destination(&args.to)?;
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
        _ => printable(config, core, &selection, &school, &args.to)?,
    };
    let absolute = std::path::absolute(&written).unwrap_or_else(|_| written.clone());
    let on_a_stick = core
        .removable_drives()
        .iter()
        .any(|drive| absolute.starts_with(&drive.mount_point));
    if on_a_stick {
        eprintln!("Terminé : vous pouvez retirer la clé.");
    } else {
        eprintln!("Terminé.");
    }
    println!("{}", written.display());
    Ok(0)
}

/// The printable pack of `selection` in `to`, its cover pointing to the server: the running
/// server's own address, or where this configuration serves, never one only this machine reaches.
fn printable(
    config: &Config,
    core: &Core,
    selection: &Selection,
    school: &str,
    to: &Path,
) -> anyhow::Result<PathBuf> {
    let running = if core.owns_data() {
        None
    } else {
        remote::status_now(core.data_dir())
    };
    let serving = running.is_some();
    let site = match running {
        Some(status) => status.site,
        None => crate::announce::lan_url(config.listen),
    };
    let bar = ProgressBar::new_spinner();
    bar.set_message("Préparation de la version imprimable…");
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    let built = core.build_pack(selection, school, site.as_deref(), Some(to));
    bar.finish_and_clear();
    let built = built?;
    let name = format!("{} - imprimable.pdf", built.name);
    let path = bundle::deliver_file(&built.path, to, &name, &built.sha256)?;
    let _ = built.path.keep();
    match &built.link {
        Some(link) if serving => eprintln!("Adresse imprimée sur la couverture : {link}"),
        Some(link) => eprintln!(
            "Adresse imprimée sur la couverture : {link} (aucun serveur ne tourne : c'est là que « cartable serve » répondra avec cette configuration)."
        ),
        None => eprintln!(
            "Pas d'adresse du serveur sur la couverture : il n'écoute que sur cette machine, qu'aucun téléphone n'atteint. Les familles demanderont les documents à l'accueil."
        ),
    }
    if built.without_libreoffice > 0 {
        eprintln!(
            "LibreOffice n'est pas installé : {} document(s) Word, OpenDocument ou diaporama imprimé(s) en texte, sans leur mise en page.",
            built.without_libreoffice
        );
    }
    eprintln!("{} pages à imprimer.", built.pages);
    Ok(path)
}

/// Creates `to` when it is missing, unless it would be made on the system's disk where a USB
/// stick is mounted (`/media/...`): there, a missing folder means the stick is not plugged in,
/// and a copy "to the stick" would fill the system's disk.
fn make_destination(to: &Path) -> anyhow::Result<()> {
    if to.is_dir() {
        return Ok(());
    }
    if to.exists() {
        bail!("la destination {} n'est pas un dossier", to.display());
    }
    let to = std::path::absolute(to)?;
    let existing = to
        .ancestors()
        .find(|a| a.is_dir())
        .unwrap_or(Path::new("/"));
    let under_mounts = ["/media", "/run/media", "/mnt"]
        .iter()
        .any(|mounts| existing.starts_with(mounts));
    if under_mounts && same_file_system(existing, Path::new("/")) {
        bail!(
            "la destination {} n'existe pas : la clé USB est-elle branchée ?",
            to.display()
        );
    }
    std::fs::create_dir_all(&to)
        .with_context(|| format!("impossible de créer le dossier {}", to.display()))
}

fn same_file_system(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (a.metadata(), b.metadata()) {
        (Ok(a), Ok(b)) => a.dev() == b.dev(),
        _ => false,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_stick_is_not_made_on_the_system_s_disk() {
        let media = Path::new("/media");
        // Only where /media is on the system's disk, as on a Pi: elsewhere the folder would be
        // created, which a test must not do outside its own folders.
        if media.is_dir() && same_file_system(media, Path::new("/")) {
            let absent = media.join("cartable-cle-absente").join("Documents");
            let error = make_destination(&absent).unwrap_err().to_string();
            assert!(error.contains("la clé USB est-elle branchée"), "{error}");
            assert!(!media.join("cartable-cle-absente").exists());
        }
        let dir = tempfile::tempdir().unwrap();
        let wanted = dir.path().join("partage").join("2nde B");
        make_destination(&wanted).unwrap();
        assert!(wanted.is_dir());
        let file = dir.path().join("fichier");
        std::fs::write(&file, b"").unwrap();
        assert!(make_destination(&file).is_err());
    }
}
