//! `cartable backup --to DIR|FILE.zip` and `cartable restore FROM`. A backup reads the data
//! folder itself, beside a running server or not (see `service::back_up` for why it does not go
//! through the server); a restore writes into an empty folder, which no server can be using.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::service::{self, Settings};

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    #[arg(long)]
    to: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    from: PathBuf,
}

pub fn back_up(data_dir: &Path, args: BackupArgs) -> anyhow::Result<i32> {
    let started = Instant::now();
    let report = service::back_up(data_dir, &args.to)?;
    let what = if report.archive {
        "fichier zip (copie complète)"
    } else {
        "dossier"
    };
    eprintln!(
        "Sauvegarde terminée en {:.1} s : {} document(s) dans le {what} {}.",
        started.elapsed().as_secs_f64(),
        report.documents,
        report.target.display()
    );
    eprintln!(
        "{} fichier(s) copié(s) ({}), {} déjà présent(s), {} retiré(s) ; taille de la sauvegarde : {}.",
        report.files_copied,
        size(report.bytes_copied),
        report.files_already_there,
        report.files_removed,
        size(report.total_bytes)
    );
    if report.retakes > 0 {
        eprintln!(
            "Des documents ont été supprimés ou remplacés pendant la sauvegarde : le catalogue a été relu {} fois ; la sauvegarde est l'état d'après.",
            report.retakes
        );
    }
    Ok(0)
}

pub fn restore(settings: &Settings, args: RestoreArgs) -> anyhow::Result<i32> {
    let started = Instant::now();
    let (report, check) = service::restore(&args.from, settings)?;
    eprintln!(
        "Restauration terminée en {:.1} s : {} document(s) ({}) dans {}, chaque fichier vérifié ; index de recherche reconstruit.",
        started.elapsed().as_secs_f64(),
        report.documents,
        size(report.bytes),
        settings.data_dir.display()
    );
    if check.is_healthy() {
        eprintln!("Vérification : tout est en ordre.");
        Ok(0)
    } else {
        eprintln!("Vérification : des problèmes restent, voyez « cartable check ».");
        Ok(1)
    }
}

/// A size for people: "12,3 Mo".
fn size(bytes: u64) -> String {
    let megabytes = bytes as f64 / (1024.0 * 1024.0);
    format!("{megabytes:.1} Mo").replace('.', ",")
}
