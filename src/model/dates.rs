//! Dates as French readers write them ("12 mars 2026"), and the `YYYY-MM-DD` form that forms,
//! the command line and the catalog use: one definition of each for every layer.

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

/// "2026-03-12".
pub fn iso_date(day: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        day.year(),
        u8::from(day.month()),
        day.day()
    )
}

/// Reads "2026-03-12" (surrounding blanks allowed); `None` for anything else.
pub fn parse_iso_date(text: &str) -> Option<Date> {
    Date::parse(
        text.trim(),
        &time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_read_in_french() {
        let day = parse_iso_date(" 2026-03-12 ").unwrap();
        assert_eq!(iso_date(day), "2026-03-12");
        assert_eq!(french_date(day), "12 mars 2026");
        assert_eq!(parse_iso_date("12/03/2026"), None);
    }
}
