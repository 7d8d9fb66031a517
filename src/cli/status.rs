//! `cartable status`: what the server running on the data folder is doing (version, uptime,
//! documents, requests being answered, jobs). Exit code 3 when no server runs there.

use crate::control::{Reply, Request, Status};

use super::remote::{self, Unreachable};

/// Exit code when no server runs on the data folder (as `systemctl is-active` says "inactive").
pub const NO_SERVER: i32 = 3;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long)]
    json: bool,
}

pub fn run(data_dir: &std::path::Path, args: Args) -> anyhow::Result<i32> {
    let status = match remote::call(data_dir, &Request::Status, &|_| {}) {
        Ok(Reply::Status(status)) => status,
        Ok(other) => return Err(remote::unexpected(other)),
        Err(error) => match error.downcast_ref::<Unreachable>() {
            Some(Unreachable::NoServer(_)) => {
                eprintln!(
                    "Aucun serveur cartable ne tourne sur le dossier de données {}.",
                    data_dir.display()
                );
                return Ok(NO_SERVER);
            }
            _ => return Err(error),
        },
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&status)?);
    } else {
        print(&status);
    }
    Ok(0)
}

fn print(status: &Status) {
    println!(
        "cartable {} en marche depuis {}",
        status.version,
        duration(status.uptime_seconds)
    );
    println!("{} document(s)", status.documents);
    match &status.site {
        Some(site) => println!("Adresse pour les téléphones : {site}"),
        None => println!("N'écoute que sur cette machine : aucun téléphone ne l'atteint."),
    }
    println!("{} requête(s) HTTP en cours", status.requests_in_flight);
    println!(
        "{} tâche(s) longue(s) du site en cours (envois, zips, clés USB)",
        status.web_jobs
    );
    if status.commands.is_empty() {
        println!("Aucune commande en cours.");
    }
    for command in &status.commands {
        let progress = command
            .progress
            .as_deref()
            .map(|p| format!(", {p}"))
            .unwrap_or_default();
        println!(
            "Commande en cours : {} (depuis {}{progress})",
            command.command,
            duration(command.seconds)
        );
    }
}

/// "2 j 3 h", "5 min 12 s".
fn duration(seconds: u64) -> String {
    let (days, hours, minutes) = (seconds / 86_400, seconds / 3600 % 24, seconds / 60 % 60);
    match (days, hours, minutes) {
        (0, 0, 0) => format!("{seconds} s"),
        (0, 0, _) => format!("{minutes} min {} s", seconds % 60),
        (0, _, _) => format!("{hours} h {minutes} min"),
        _ => format!("{days} j {hours} h"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations_read_in_french() {
        assert_eq!(super::duration(42), "42 s");
        assert_eq!(super::duration(312), "5 min 12 s");
        assert_eq!(super::duration(3 * 3600 + 60), "3 h 1 min");
        assert_eq!(super::duration(2 * 86_400 + 3 * 3600), "2 j 3 h");
    }
}
