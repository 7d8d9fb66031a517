//! How numbers, sizes and dates read on a page, in plain words ("PDF, 850 Ko", "12 mars 2026").

use time::{Date, OffsetDateTime};

use super::lang::Lang;

/// A size as people read it: "850 Ko", "1,2 Mo" (French) or "850 KB", "1.2 MB".
pub fn size(bytes: u64, lang: Lang) -> String {
    let (ko, mo) = (lang.t("Ko", "KB"), lang.t("Mo", "MB"));
    let text = if bytes < 1000 * 1024 {
        format!("{} {ko}", (bytes as f64 / 1024.0).ceil().max(1.0) as u64)
    } else {
        let megabytes = bytes as f64 / (1024.0 * 1024.0);
        if megabytes < 10.0 {
            format!("{megabytes:.1} {mo}")
        } else {
            format!("{megabytes:.0} {mo}")
        }
    };
    if lang == Lang::Fr {
        text.replace('.', ",")
    } else {
        text
    }
}

/// "1 résultat", "13 résultats" ("0 résultat" in French, "0 results" in English): `fr` and `en`
/// are the (one, many) forms of the word.
pub fn count(n: usize, fr: (&str, &str), en: (&str, &str), lang: Lang) -> String {
    let word = match lang {
        Lang::Fr if n <= 1 => fr.0,
        Lang::Fr => fr.1,
        Lang::En if n == 1 => en.0,
        Lang::En => en.1,
    };
    format!("{n} {word}")
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "12 mars 2026" / "12 March 2026".
pub fn date(date: Date, lang: Lang) -> String {
    let month = usize::from(u8::from(date.month())) - 1;
    match lang {
        Lang::Fr => crate::model::french_date(date),
        Lang::En => format!("{} {} {}", date.day(), MONTHS_EN[month], date.year()),
    }
}

pub fn day(moment: OffsetDateTime, lang: Lang) -> String {
    date(moment.date(), lang)
}

pub use crate::model::{iso_date, parse_iso_date};

#[cfg(test)]
mod tests {
    #[test]
    fn counts_agree_with_their_number_in_each_language() {
        let (fr, en) = (("résultat", "résultats"), ("result", "results"));
        assert_eq!(count(0, fr, en, Lang::Fr), "0 résultat");
        assert_eq!(count(1, fr, en, Lang::Fr), "1 résultat");
        assert_eq!(count(13, fr, en, Lang::Fr), "13 résultats");
        assert_eq!(count(0, fr, en, Lang::En), "0 results");
        assert_eq!(count(1, fr, en, Lang::En), "1 result");
    }

    use super::*;

    #[test]
    fn sizes_read_in_plain_words() {
        assert_eq!(size(870_400, Lang::Fr), "850 Ko");
        assert_eq!(size(1_258_291, Lang::Fr), "1,2 Mo");
        assert_eq!(size(1_258_291, Lang::En), "1.2 MB");
        assert_eq!(size(12, Lang::Fr), "1 Ko");
        assert_eq!(size(52_428_800, Lang::Fr), "50 Mo");
    }

    #[test]
    fn dates_read_in_french() {
        let d = parse_iso_date("2026-03-12").unwrap();
        assert_eq!(date(d, Lang::Fr), "12 mars 2026");
        assert_eq!(iso_date(d), "2026-03-12");
        assert_eq!(parse_iso_date("12/03/2026"), None);
    }
}
