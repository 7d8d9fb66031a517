//! The figures of one library size, and the table of all sizes with the targets at 100,000.

use super::load::{HttpFigures, InProcess};
use super::offline::Browser;

#[derive(Default)]
pub struct Row {
    pub n: usize,
    pub source_mb: f64,
    pub import_seconds: f64,
    pub import_per_second: f64,
    pub catalog_mb: f64,
    pub index_mb: f64,
    pub files_mb: f64,
    pub open_seconds: f64,
    pub serve_seconds: f64,
    /// (VmRSS, anonymous, file-backed), MiB.
    pub rss_idle: (f64, f64, f64),
    pub rss_after: f64,
    pub search: Option<InProcess>,
    pub http: Option<HttpFigures>,
    pub check_seconds: f64,
    /// (documents, seconds, bundle bytes, index.html bytes, search words file bytes)
    pub export: Option<(usize, f64, u64, u64, u64)>,
    pub browser: Option<Browser>,
    /// (pages, seconds, MB)
    pub pack: Option<(u32, f64, f64)>,
}

impl Row {
    pub fn new(n: usize) -> Row {
        Row {
            n,
            ..Row::default()
        }
    }

    /// The figures as lines (label, value), in table order.
    fn lines(&self) -> Vec<(&'static str, String)> {
        let mut lines = vec![
            (
                "import, documents/s",
                format!(
                    "{:.0} ({:.0} s, {:.0} MB of text files)",
                    self.import_per_second, self.import_seconds, self.source_mb
                ),
            ),
            ("catalog MB", format!("{:.1}", self.catalog_mb)),
            ("index MB", format!("{:.1}", self.index_mb)),
            ("stored files MB", format!("{:.1}", self.files_mb)),
            (
                "start-up: Core::open s",
                format!("{:.2}", self.open_seconds),
            ),
            (
                "start-up: serve until listening s (target <= 2)",
                format!("{:.2}", self.serve_seconds),
            ),
            (
                "RSS idle MiB (target <= 60)",
                format!(
                    "{:.1} (anon {:.1} + file {:.1})",
                    self.rss_idle.0, self.rss_idle.1, self.rss_idle.2
                ),
            ),
        ];
        if let Some(s) = &self.search {
            lines.push((
                "search in-process p50 / p99 ms (target p99 <= 20)",
                format!("{:.2} / {:.2}", s.p50, s.p99),
            ));
            lines.push((
                "search in-process CPU time p50 / p99 ms",
                format!("{:.2} / {:.2}", s.cpu_p50, s.cpu_p99),
            ));
        }
        if let Some(http) = &self.http {
            lines.push((
                "search HTTP, 64 connections: p50 / p99 ms",
                format!(
                    "{:.1} / {:.1} ({:.0} req/s, {} ok, {} busy 503, {} other)",
                    http.p50, http.p99, http.per_second, http.ok, http.busy, http.other
                ),
            ));
            lines.push((
                "RSS under search load, peak MiB",
                format!(
                    "{:.1} (anon {:.1} + file {:.1}; after: {:.1})",
                    http.peak_rss.0, http.peak_rss.1, http.peak_rss.2, self.rss_after
                ),
            ));
        }
        lines.push(("check s", format!("{:.2}", self.check_seconds)));
        if let Some((documents, seconds, bundle, index, words)) = self.export {
            lines.push((
                "USB export of one class: documents, s",
                format!("{documents}, {seconds:.2}"),
            ));
            lines.push((
                "offline index.html + recherche.js / bundle (target <= 10%)",
                format!(
                    "({:.2} + {:.2}) MB / {:.1} MB = {:.1}%",
                    index as f64 / 1e6,
                    words as f64 / 1e6,
                    bundle as f64 / 1e6,
                    100.0 * (index + words) as f64 / bundle as f64,
                ),
            ));
        }
        lines.push((
            "offline first results in Chromium ms (target <= 1000)",
            match &self.browser {
                Some(b) => format!(
                    "{:.0} (page clock {:.0}; a second search typed {:.0})",
                    b.first_results, b.in_page, b.typed
                ),
                None => "not measured (no chromium or chromedriver)".to_owned(),
            },
        ));
        if let Some((pages, seconds, mb)) = self.pack {
            lines.push((
                "printable pack: pages, s, MB",
                format!("{pages}, {seconds:.1}, {mb:.1}"),
            ));
        }
        lines
    }

    pub fn print_lines(&self) {
        for (label, value) in self.lines() {
            println!("  {label}: {value}");
        }
    }
}

/// One column per size, one line per figure (Markdown).
pub fn print_table(rows: &[Row]) {
    if rows.is_empty() {
        return;
    }
    println!();
    let header: Vec<String> = rows.iter().map(|r| format!("{} documents", r.n)).collect();
    println!("| figure | {} |", header.join(" | "));
    println!("|---|{}", "---|".repeat(rows.len()));
    let columns: Vec<Vec<(&str, String)>> = rows.iter().map(Row::lines).collect();
    for (i, (label, _)) in columns[0].iter().enumerate() {
        let values: Vec<&str> = columns
            .iter()
            .map(|c| c.get(i).map_or("", |(_, v)| v.as_str()))
            .collect();
        println!("| {label} | {} |", values.join(" | "));
    }
}
