//! `cartable remove ID...`: removes documents as the web's "Supprimer" does (catalog row, search
//! index, then the stored file), handed to the server when it runs (see `remote`). Exit code 1
//! when an id names no document, after removing the others.

use crate::control::{Reply, Request};
use crate::service::Core;

use super::remote;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(required = true)]
    ids: Vec<String>,
}

pub fn run(core: &Core, args: Args) -> anyhow::Result<i32> {
    let request = Request::Remove { ids: args.ids };
    let (removed, unknown) = match remote::run(core, &request, &|_| {})? {
        Reply::Removed { removed, unknown } => (removed, unknown),
        other => return Err(remote::unexpected(other)),
    };
    for (id, title) in &removed {
        eprintln!("Supprimé : {id} « {title} »");
    }
    for id in &unknown {
        eprintln!("erreur : aucun document n'a l'identifiant « {id} »");
    }
    eprintln!(
        "{} document(s) supprimé(s), {} identifiant(s) inconnu(s).",
        removed.len(),
        unknown.len()
    );
    Ok(if unknown.is_empty() { 0 } else { 1 })
}
