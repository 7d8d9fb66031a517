//! Search quality on the shared corpus: imports ../shared/corpus/public, runs every known-item
//! query of queries.tsv, then the project's own sound-alike queries (benches/corpus/phonetic.tsv,
//! kind "phonetic"), through the search service and prints success@5 and MRR by kind.
//! Exits non-zero below success@5 = 0.95 overall or 0.85 for any kind (the core issue's bar), or
//! below 0.90 for the sound-alike queries (issue 12's bar).
//! Run with `cargo bench --bench search_quality`.

mod corpus;

use std::collections::BTreeMap;

use cartable::model::DocumentFilter;

const OVERALL_BAR: f64 = 0.95;
const KIND_BAR: f64 = 0.85;
const PHONETIC_BAR: f64 = 0.90;

fn main() {
    let Some(corpus_dir) = corpus::corpus_dir() else {
        eprintln!(
            "search_quality: no corpus at ../shared/corpus (set CARTABLE_CORPUS); nothing measured"
        );
        return;
    };
    let data = tempfile::tempdir().expect("temp dir");
    let core = corpus::open_core(data.path());
    let (report, _) = corpus::import(&core, &corpus_dir);
    let by_name = corpus::documents_by_file_name(&report);
    let verbose = std::env::args().any(|a| a == "--verbose");

    // kind -> (queries, found in top 5, sum of reciprocal ranks)
    let mut by_kind: BTreeMap<String, (usize, usize, f64)> = BTreeMap::new();
    for query in corpus::queries(&corpus_dir) {
        let expected = by_name.get(&query.expected_file);
        let page = core
            .search(
                &query.query,
                &DocumentFilter {
                    limit: 10,
                    ..DocumentFilter::default()
                },
            )
            .map(|p| p.hits)
            .unwrap_or_default();
        let rank = expected.and_then(|id| page.iter().position(|h| h.id == id.as_str()));
        let entry = by_kind.entry(query.kind.clone()).or_default();
        entry.0 += 1;
        if let Some(rank) = rank {
            entry.2 += 1.0 / (rank as f64 + 1.0);
            if rank < 5 {
                entry.1 += 1;
            }
        }
        if verbose && rank.is_none_or(|r| r >= 5) {
            let top: Vec<&str> = page.iter().take(3).map(|h| h.file_name.as_str()).collect();
            println!(
                "miss [{}] {:?} -> expected {:?}, rank {:?}, top {:?}",
                query.kind, query.query, query.expected_file, rank, top
            );
        }
    }

    println!(
        "{:<10} {:>7} {:>10} {:>6}",
        "kind", "queries", "success@5", "MRR"
    );
    let mut total = (0usize, 0usize, 0f64);
    let mut failed = false;
    for (kind, (count, found, rr)) in &by_kind {
        let success = *found as f64 / *count as f64;
        println!(
            "{kind:<10} {count:>7} {success:>10.3} {:>6.3}",
            rr / *count as f64
        );
        failed |= success < KIND_BAR || (kind == "phonetic" && success < PHONETIC_BAR);
        total.0 += count;
        total.1 += found;
        total.2 += rr;
    }
    let overall = total.1 as f64 / total.0 as f64;
    println!(
        "{:<10} {:>7} {overall:>10.3} {:>6.3}",
        "overall",
        total.0,
        total.2 / total.0 as f64
    );
    failed |= overall < OVERALL_BAR;
    if failed {
        eprintln!("search_quality: below the bar (success@5 >= {OVERALL_BAR} overall, >= {KIND_BAR} per kind, >= {PHONETIC_BAR} phonetic)");
        std::process::exit(1);
    }
}
