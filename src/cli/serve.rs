//! `cartable serve`: the resource point. Prints the URLs it answers on, advertises itself with
//! mDNS, offers a one-time setup link while no admin exists, fills an empty data folder with a
//! few sample documents, and stops gracefully on SIGTERM or Ctrl-C.

use anyhow::Context;

use crate::config::Config;
use crate::model::{Level, Metadata, Source, Subject};
use crate::service::{Core, Library};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long)]
    pub listen: Option<String>,
}

/// A sample document a new data folder starts with, so a first look shows a working resource
/// point.
struct Sample {
    file_name: &'static str,
    content: &'static [u8],
    levels: &'static [&'static str],
    subject: Option<&'static str>,
}

const SAMPLES: [Sample; 3] = [
    Sample {
        file_name: "Bienvenue sur cartable.md",
        content: include_bytes!("../../assets/samples/bienvenue.md"),
        levels: &[],
        subject: None,
    },
    Sample {
        file_name: "Fiche méthode - Réviser efficacement.md",
        content: include_bytes!("../../assets/samples/reviser.md"),
        levels: &["2nde", "1re", "Tle"],
        subject: None,
    },
    Sample {
        file_name: "Les fonctions affines.md",
        content: include_bytes!("../../assets/samples/fonctions-affines.md"),
        levels: &["2nde"],
        subject: Some("Mathématiques"),
    },
];

/// Threads for blocking service work.
const BLOCKING_THREADS: usize = 8;

pub fn run(config: &Config, core: Core) -> anyhow::Result<i32> {
    if !core.owns_data() {
        anyhow::bail!(
            "another cartable already serves the data folder {}",
            config.data_dir.display()
        );
    }
    seed_samples(&core)?;
    // Short blocking work (searches, SQLite) runs on a small pool: on a 2-4 core Pi more threads
    // only add memory and contention. Long jobs (uploads, zips, USB copies) run on threads of
    // their own (`Library::long_job`), so slow clients never hold this pool.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(BLOCKING_THREADS)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("cannot listen on {} (is another server using that port?)", config.listen))?;
        let address = listener.local_addr()?;
        let library = Library::new(core);
        eprintln!("cartable sert « {} » sur :", config.school_name);
        for url in crate::announce::urls(address) {
            eprintln!("  {url}");
        }
        let _announcement = match &config.mdns_name {
            Some(name) => match crate::announce::advertise(name, address) {
                Ok(announcement) => {
                    eprintln!("  http://{name}.local:{}/", address.port());
                    Some(announcement)
                }
                Err(reason) => {
                    tracing::warn!(%reason, "mDNS advertising unavailable; serving without it");
                    None
                }
            },
            None => None,
        };
        let setup_token = first_admin_link(&library).await?;
        if let Some(token) = &setup_token {
            eprintln!("\nAucun administrateur : créez le premier compte avec ce lien (valable une fois) :");
            eprintln!("  http://localhost:{}/setup/{token}", address.port());
            eprintln!("ou avec « cartable user add LOGIN --role admin ».\n");
        }
        crate::serve(config, library, listener, setup_token, shutdown_signal()).await
    })?;
    eprintln!("cartable arrêté.");
    Ok(0)
}

async fn first_admin_link(library: &Library) -> anyhow::Result<Option<String>> {
    let has_admin = library.blocking(|core| core.accounts().has_admin()).await?;
    Ok((!has_admin).then(crate::service::random_token))
}

/// A new, empty data folder gets the sample documents, once: samples the staff delete stay deleted.
fn seed_samples(core: &Core) -> anyhow::Result<()> {
    let (_, total) = core.list(&crate::model::DocumentFilter::default())?;
    if !core.first_time("samples")? || total > 0 {
        return Ok(());
    }
    for sample in SAMPLES {
        let metadata = Metadata {
            levels: sample
                .levels
                .iter()
                .filter_map(|l| Level::parse(l))
                .collect(),
            subject: sample.subject.and_then(Subject::parse),
            source: Some(Source::Teacher),
            ..Metadata::default()
        };
        match core.add(sample.content, sample.file_name, &metadata, false) {
            Ok(_) => {}
            // A small disk under its reserve still serves, without samples.
            Err(crate::service::Error::NoRoom(no_room)) => {
                eprintln!("Exemples non ajoutés : {no_room}.");
                break;
            }
            Err(error) => return Err(error.into()),
        }
    }
    core.commit()?;
    Ok(())
}

/// Resolves on SIGTERM or Ctrl-C.
async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {},
            _ = terminate.recv() => {},
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
