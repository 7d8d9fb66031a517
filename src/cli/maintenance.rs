//! `cartable check [--repair]` and `cartable reindex`, done by the server when it runs on the
//! data folder (see `remote`).

use crate::control::{Reply, Request};
use crate::service::Core;

use super::remote;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[arg(long)]
    repair: bool,
    #[arg(long)]
    json: bool,
}

pub fn check(core: &Core, args: CheckArgs) -> anyhow::Result<i32> {
    let request = Request::Check {
        repair: args.repair,
    };
    let report = match remote::run(core, &request, &|_| {})? {
        Reply::Checked(report) => report,
        other => return Err(remote::unexpected(other)),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        eprintln!("{} document(s) vérifié(s).", report.documents);
        let problems = [
            (
                "fichier(s) manquant(s) (à restaurer depuis une sauvegarde)",
                &report.missing_files,
            ),
            ("fichier(s) modifié(s) sur le disque", &report.altered_files),
            ("fichier(s) orphelin(s)", &report.orphan_files),
            ("document(s) absent(s) de l'index", &report.unindexed),
            (
                "entrée(s) d'index sans document",
                &report.stale_index_entries,
            ),
        ];
        for (label, list) in problems {
            if !list.is_empty() {
                eprintln!("- {} {label} : {}", list.len(), list.join(", "));
            }
        }
        if report.repaired {
            eprintln!(
                "Place libérée : {} (fichiers orphelins et temporaires, versions imprimables et vues de lecture refaites à la demande).",
                size(report.freed_bytes)
            );
        }
        if report.is_healthy() {
            eprintln!("Tout est en ordre.");
        } else if report.repaired {
            eprintln!("Réparation faite (orphelins supprimés, index remis à jour).");
        } else {
            eprintln!("Lancez « cartable check --repair » pour réparer ce qui peut l'être.");
        }
    }
    let unrepairable = !report.missing_files.is_empty() || !report.altered_files.is_empty();
    Ok(
        if report.is_healthy() || (report.repaired && !unrepairable) {
            0
        } else {
            1
        },
    )
}

/// "12,4 Mo", "512 Ko": what a person reads.
pub(super) fn size(bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    if bytes as f64 >= MB / 10.0 {
        format!("{:.1} Mo", bytes as f64 / MB).replace('.', ",")
    } else {
        format!("{} Ko", bytes.div_ceil(1024))
    }
}

pub fn reindex(core: &Core) -> anyhow::Result<i32> {
    let started = std::time::Instant::now();
    let count = match remote::run(core, &Request::Reindex, &|_| {})? {
        Reply::Reindexed { documents } => documents,
        other => return Err(remote::unexpected(other)),
    };
    eprintln!(
        "Index reconstruit : {count} document(s) en {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    Ok(0)
}
