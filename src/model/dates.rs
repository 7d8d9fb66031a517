//! Dates as French readers write them ("12 mars 2026"), for pages and for bundles alike.

use time::Date;

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// "12 mars 2026".
pub fn french_date(day: Date) -> String {
    let month = MONTHS[usize::from(u8::from(day.month())) - 1];
    format!("{} {month} {}", day.day(), day.year())
}
