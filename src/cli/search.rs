//! `cartable search QUERY`: the same results as the web search, as text or as the API's JSON.

use crate::model::{DocumentFilter, Level, Subject};
use crate::service::Core;

#[derive(Debug, clap::Args)]
pub struct Args {
    query: String,
    #[arg(long, default_value_t = 10)]
    limit: usize,
    #[arg(long)]
    json: bool,
    #[arg(long)]
    level: Option<String>,
    #[arg(long)]
    subject: Option<String>,
    #[arg(long)]
    class: Option<String>,
}

pub fn run(core: &Core, args: Args) -> anyhow::Result<i32> {
    let filter = DocumentFilter {
        level: args.level.as_deref().and_then(Level::parse),
        subject: args.subject.as_deref().and_then(Subject::parse),
        class: args.class,
        limit: args.limit,
        ..DocumentFilter::default()
    };
    let page = match core.search(&args.query, &filter) {
        Ok(page) => page,
        Err(crate::service::Error::InvalidInput(message)) => {
            eprintln!("recherche impossible : {message}");
            return Ok(2);
        }
        Err(other) => return Err(other.into()),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&page)?);
        return Ok(0);
    }
    if page.hits.is_empty() {
        println!("Aucun résultat pour « {} ».", args.query);
        let any = DocumentFilter {
            limit: 1,
            ..DocumentFilter::default()
        };
        if core.list(&any)?.1 == 0 {
            // A folder never imported into is more likely the wrong one than a bad query.
            eprintln!(
                "Le dossier de données {} ne contient aucun document (un autre dossier : --data DOSSIER).",
                core.data_dir().display()
            );
        }
        return Ok(0);
    }
    println!("{} résultat(s) pour « {} » :", page.total, args.query);
    for (rank, hit) in page.hits.iter().enumerate() {
        println!("\n{}. {}  [{}]", rank + 1, hit.title, hit.id);
        println!("   {} — {}", hit.file_name, hit.levels.join(", "));
        let plain = hit.snippet.replace("<mark>", "«").replace("</mark>", "»");
        println!("   {}", unescape(&plain));
    }
    Ok(0)
}

/// Undoes the snippet's HTML escaping for terminal display.
fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
