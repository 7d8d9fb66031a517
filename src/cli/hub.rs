//! `cartable key new`, `cartable publish --to s3://…` and `cartable sync --from s3://…`: an
//! académie's hub on an S3-compatible store and the kiosks fed from it (see docs/hub.md). The
//! S3 credentials come from the `AWS_*` environment, never from the command line.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context};

use crate::control::{Reply, Request};
use crate::hub::{Address, Bucket, Pace, SecretKey};
use crate::model::{DocumentFilter, Level, Subject};
use crate::service::{publisher_key_path, Core, Selection, Synced};

use super::maintenance::size;
use super::remote;

#[derive(Debug, clap::Subcommand)]
pub enum KeyCommand {
    New {
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
pub struct PublishArgs {
    #[arg(long)]
    to: String,
    #[arg(long)]
    key: Option<PathBuf>,
    #[arg(long)]
    level: Option<String>,
    #[arg(long)]
    class: Option<String>,
    #[arg(long)]
    subject: Option<String>,
    #[arg(long)]
    since: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    #[arg(long)]
    from: String,
    #[arg(long, env = "CARTABLE_HUB_KEY")]
    key: Option<String>,
    #[arg(long, value_parser = parse_duration)]
    every: Option<Duration>,
    #[arg(long, value_parser = parse_rate)]
    max_rate: Option<u64>,
}

/// `cartable key new`: a publisher's key pair; the secret in a file of its own, the public key
/// on stdout for the kiosks.
pub fn key(data_dir: &Path, command: KeyCommand) -> anyhow::Result<i32> {
    let KeyCommand::New { out } = command;
    let path = out.unwrap_or_else(|| publisher_key_path(data_dir));
    if path.exists() {
        bail!(
            "{} existe déjà : une clé que des bornes ont épinglée ne se remplace pas (déplacez-la vous-même si c'est voulu)",
            path.display()
        );
    }
    let key = SecretKey::generate()?;
    key.save(&path)?;
    println!("{}", key.public());
    eprintln!(
        "Clé d'éditeur créée : {} (secrète : à sauvegarder, jamais à copier sur une borne).\n\
         Sa clé publique, ci-dessus, se donne aux bornes : cartable sync --from s3://SEAU/PRÉFIXE --key CLÉ",
        path.display()
    );
    Ok(0)
}

pub fn publish(core: &Core, args: PublishArgs) -> anyhow::Result<i32> {
    let address = Address::parse(&args.to)?;
    let key_path = args
        .key
        .unwrap_or_else(|| publisher_key_path(core.data_dir()));
    let key = SecretKey::load(&key_path).with_context(|| {
        format!(
            "pas de clé d'éditeur dans {} : créez-la avec « cartable key new »",
            key_path.display()
        )
    })?;
    let since = args
        .since
        .as_deref()
        .map(|d| {
            crate::model::parse_iso_date(d)
                .with_context(|| format!("date invalide « {d} » (attendu : AAAA-MM-JJ)"))
        })
        .transpose()?;
    let selection = Selection {
        filter: DocumentFilter {
            level: args.level.as_deref().and_then(Level::parse),
            class: args.class,
            subject: args.subject.as_deref().and_then(Subject::parse),
            since,
            ..DocumentFilter::default()
        },
        ids: None,
    };
    let bucket = Bucket::open(&address)?;
    let published = core.publish(&bucket, &key, &selection, &|name, done, total| {
        eprintln!("Envoi {}/{total} : {name}", done + 1);
    })?;
    eprintln!(
        "{} document(s) publié(s) sur {address} : {} fichier(s) envoyé(s) ({}), {} déjà sur le hub.",
        published.documents,
        published.uploaded,
        size(published.uploaded_bytes),
        published.already_there
    );
    match published.serial {
        Some(serial) => eprintln!("Catalogue signé n° {serial} envoyé."),
        None => eprintln!("Catalogue inchangé : rien d'autre à envoyer."),
    }
    Ok(0)
}

/// `cartable sync`: once, or every `--every` (a failed round is reported and the next one tried).
pub fn sync(core: &Core, args: SyncArgs) -> anyhow::Result<i32> {
    let address = Address::parse(&args.from)?;
    let Some(every) = args.every else {
        sync_once(core, &address, args.key.as_deref(), args.max_rate)?;
        return Ok(0);
    };
    loop {
        if let Err(error) = sync_once(core, &address, args.key.as_deref(), args.max_rate) {
            eprintln!("erreur : {error:#}");
        }
        eprintln!("Prochaine synchronisation dans {} s.", every.as_secs());
        std::thread::sleep(every);
    }
}

fn sync_once(
    core: &Core,
    address: &Address,
    key: Option<&str>,
    max_rate: Option<u64>,
) -> anyhow::Result<()> {
    let bucket = Bucket::open(address)?;
    let mut pace = Pace::new(max_rate);
    let started = std::time::Instant::now();
    let fetched = core.fetch_hub(&bucket, key, &mut pace, &|name, done, total| {
        eprintln!("Téléchargement {}/{total} : {name}", done + 1);
    })?;
    if fetched.up_to_date {
        eprintln!(
            "Déjà à jour : le catalogue n° {} de {address} est celui déjà appliqué.",
            fetched.serial
        );
        return Ok(());
    }
    eprintln!(
        "Catalogue n° {} vérifié (signature de l'éditeur) ; {} fichier(s) téléchargé(s) ({} en {:.1} s){}.",
        fetched.serial,
        fetched.files,
        size(fetched.bytes),
        started.elapsed().as_secs_f64(),
        if fetched.resumed > 0 {
            format!(
                ", {} repris d'une synchronisation interrompue",
                size(fetched.resumed)
            )
        } else {
            String::new()
        }
    );
    let request = Request::ApplyHub {
        hub: address.to_string(),
        envelope: fetched.envelope.clone(),
        key: key.map(str::to_owned),
    };
    match remote::run(core, &request, &|_| {})? {
        Reply::Synced(synced) => report(&synced),
        other => return Err(remote::unexpected(other)),
    }
    core.remember_catalog(&address.to_string(), &fetched);
    Ok(())
}

fn report(synced: &Synced) {
    for title in &synced.added {
        eprintln!("Ajouté : « {title} »");
    }
    for title in &synced.updated {
        eprintln!("Mis à jour : « {title} »");
    }
    for title in &synced.removed {
        eprintln!("Supprimé : « {title} »");
    }
    for (title, why) in &synced.skipped {
        eprintln!("Non copié : « {title} » : {why}");
    }
    eprintln!(
        "Synchronisé (catalogue n° {} du {}) : {} ajouté(s), {} mis à jour, {} supprimé(s), {} non copié(s).",
        synced.serial,
        synced.published,
        synced.added.len(),
        synced.updated.len(),
        synced.removed.len(),
        synced.skipped.len()
    );
}

/// "1h", "30m", "90s", "1d".
fn parse_duration(text: &str) -> Result<Duration, String> {
    let wrong = || format!("durée invalide « {text} » (exemples : 30m, 1h, 1d)");
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().map_err(|_| wrong())?;
    let seconds = match unit {
        "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        "d" | "j" => 86_400,
        _ => return Err(wrong()),
    };
    match number * seconds {
        0 => Err(wrong()),
        total => Ok(Duration::from_secs(total)),
    }
}

/// "2MB/s", "500kB/s", "1MiB/s" (or "Mo/s", "ko/s"): bytes per second.
fn parse_rate(text: &str) -> Result<u64, String> {
    let wrong = || format!("débit invalide « {text} » (exemples : 2MB/s, 500kB/s)");
    let unit_text = text.trim().trim_end_matches("/s");
    let split = unit_text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(unit_text.len());
    let (number, unit) = unit_text.split_at(split);
    let number: f64 = number.replace(',', ".").parse().map_err(|_| wrong())?;
    let scale: f64 = match unit.to_ascii_lowercase().as_str() {
        "b" | "o" | "" => 1.0,
        "kb" | "ko" => 1e3,
        "kib" => 1024.0,
        "mb" | "mo" => 1e6,
        "mib" => 1024.0 * 1024.0,
        "gb" | "go" => 1e9,
        _ => return Err(wrong()),
    };
    let rate = (number * scale) as u64;
    if rate < 1024 {
        return Err(wrong());
    }
    Ok(rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_rates_read_as_people_write_them() {
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("30m"), Ok(Duration::from_secs(1800)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("une heure").is_err());
        assert_eq!(parse_rate("2MB/s"), Ok(2_000_000));
        assert_eq!(parse_rate("500kB/s"), Ok(500_000));
        assert_eq!(
            parse_rate("1,5 Mo/s".replace(' ', "").as_str()),
            Ok(1_500_000)
        );
        assert!(parse_rate("vite").is_err());
    }
}
