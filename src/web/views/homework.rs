//! "Pour aujourd'hui / cette semaine": a class's cahier de texte for one week, as families read
//! it on a phone. Today comes first and stands out; the week's earlier days follow, greyed. Each
//! document is one tap away (its page, or "Ouvrir" straight to the file). Also the pieces the
//! kiosk and search pages share: an entry, day names, a level's class link.

use maud::{html, Markup};
use time::{Date, Duration};

use crate::model::{ClassName, Document, Level};
use crate::service::{HomeworkItem, HomeworkWeek};
use crate::web::lang::Lang;
use crate::web::wording;

use super::instruction::instruction;
use super::layout::{encode, page};
use super::Frame;

/// What the family page shows besides the week.
pub struct ClassPage<'a> {
    pub week: &'a HomeworkWeek,
    pub today: Date,
    /// On a level's page, its groups that have entries, for a link to each.
    pub groups: &'a [ClassName],
}

/// Where a level's class chooser leads: its cahier de texte, or its documents when its name is
/// not one a class can have (a free level such as "Prépa").
pub fn level_href(prefix: &str, level: &Level) -> String {
    match ClassName::new(level.clone(), None)
        .filter(|class| ClassName::parse(&class.slug()).as_ref() == Some(class))
    {
        Some(class) => format!("{prefix}/classes/{}", class.slug()),
        None if prefix.is_empty() => {
            format!("/niveaux/{}", encode(level.as_str()))
        }
        None => format!("{prefix}/trouver/{}", encode(level.as_str())),
    }
}

/// The week of `class` as a URL (`?semaine=` is the week's Monday).
pub fn week_url(prefix: &str, class: &ClassName, monday: Date) -> String {
    format!("{prefix}/classes/{}?semaine={}", class.slug(), monday)
}

pub fn class_week(frame: &Frame<'_>, view: &ClassPage<'_>) -> Markup {
    let lang = frame.lang;
    let week = view.week;
    let class = &week.class;
    let title = format!(
        "{} — {}",
        lang.t("Pour aujourd'hui", "For today"),
        class.full_name()
    );
    let level = ClassName::new(class.level().clone(), None).expect("a level alone is a class");
    page(
        frame,
        &title,
        html! {
            h1 { (lang.t("Pour aujourd'hui", "For today")) " — " (class.full_name()) }
            p.lead { (week_span(week, lang)) }
            @if week.items.is_empty() {
                div.notice {
                    p { strong { (lang.t("Rien de noté pour cette semaine.", "Nothing written down for this week.")) } }
                    p { a href={ "/niveaux/" (encode(class.level().as_str())) } {
                        (lang.t("Voir tous les documents de ", "See every document for ")) (class.level().full_name())
                    } }
                }
            } @else {
                (week_days(lang, week, view.today, Where::Site))
            }
            // Today's work comes first on a phone's screen; other weeks and classes after it.
            (week_nav(lang, "", week, view.today))
            @if class.group().is_some() {
                p { a href={ "/classes/" (level.slug()) } {
                    (lang.t("Toute la ", "All of ")) (level.full_name()) (lang.t(" (tous les groupes)", " (every class)"))
                } }
            } @else if !view.groups.is_empty() {
                p { (lang.t("Par classe : ", "By class: "))
                    @for (i, group) in view.groups.iter().enumerate() {
                        @if i > 0 { ", " }
                        a href={ "/classes/" (group.slug()) } { (group) }
                    }
                }
            }
            (take_away(lang, class, week.monday))
            p { a href={ "/niveaux/" (encode(class.level().as_str())) } {
                (lang.t("Tous les documents de ", "Every document for ")) (class.level().full_name())
            } }
        },
    )
}

/// The days that have entries, in reading order: today (always, in the current week), then the
/// days after it, then the week's earlier days marked past. Another week reads in order.
pub fn days(week: &HomeworkWeek, today: Date) -> Vec<(Date, bool)> {
    let mut with_entries: Vec<Date> = week.items.iter().map(|i| i.entry.due).collect();
    with_entries.dedup();
    if today < week.monday || today > week.sunday() {
        return with_entries.into_iter().map(|d| (d, false)).collect();
    }
    let mut days = vec![(today, false)];
    days.extend(
        with_entries
            .iter()
            .filter(|d| **d > today)
            .map(|d| (*d, false)),
    );
    days.extend(
        with_entries
            .iter()
            .filter(|d| **d < today)
            .map(|d| (*d, true)),
    );
    days
}

/// Where an entry's document links lead: the site's document page and file, or the kiosk's
/// document page (copy, print, QR code for a phone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Where {
    Site,
    Kiosk,
}

/// The week's days with entries, as [`days`] orders them.
pub fn week_days(lang: Lang, week: &HomeworkWeek, today: Date, at: Where) -> Markup {
    html! {
        @for (day, past) in days(week, today) {
            (day_section(lang, week, day, day == today, past, at))
        }
    }
}

fn day_section(
    lang: Lang,
    week: &HomeworkWeek,
    day: Date,
    today: bool,
    past: bool,
    at: Where,
) -> Markup {
    let items: Vec<&HomeworkItem> = week.on(day).collect();
    let class = match (today, past) {
        (true, _) => "day today",
        (_, true) => "day past",
        _ => "day",
    };
    html! {
        section class=(class) {
            h2 {
                @if today { (lang.t("Aujourd'hui, ", "Today, ")) }
                (day_name(day, lang))
                @if past { span.meta { " — " (lang.t("déjà passé", "already past")) } }
            }
            @if items.is_empty() {
                p { (lang.t("Rien de noté pour aujourd'hui.", "Nothing written down for today.")) }
            } @else {
                ul.entries { @for item in items { (entry(lang, item, Some(&week.class), at)) } }
            }
        }
    }
}

/// One entry: its subject, the classes it names (unless it is exactly the page's), the
/// instruction, and each document with its page and a direct "Ouvrir". `page_class` is `None`
/// where no class is chosen (search results).
pub fn entry(lang: Lang, item: &HomeworkItem, page_class: Option<&ClassName>, at: Where) -> Markup {
    let entry = &item.entry;
    let own = page_class.is_some_and(|c| entry.classes.len() == 1 && &entry.classes[0] == c);
    html! {
        li.entry {
            h3 {
                @match &entry.subject {
                    Some(subject) => (subject),
                    None => (lang.t("Consigne", "Instruction")),
                }
                @if !own {
                    " " span.classes { (class_list(&entry.classes)) }
                }
            }
            @if page_class.is_none() {
                p.due { (lang.t("Pour le ", "For ")) (day_name(entry.due, lang)) }
            }
            p.instruction { (instruction(&entry.instruction)) }
            @if !item.documents.is_empty() {
                ul.entry-documents {
                    @for document in &item.documents { (document_line(lang, document, at)) }
                }
            }
        }
    }
}

fn document_line(lang: Lang, document: &Document, at: Where) -> Markup {
    if at == Where::Kiosk {
        return html! {
            li { a.kiosk-pick href={ "/kiosque/document/" (document.id) } {
                span.kiosk-pick-title { (document.title) }
                " " span.meta { "(" (document.format.label()) ", " (wording::size(document.bytes, lang)) ")" }
            } }
        };
    }
    html! {
        li {
            a href={ "/documents/" (document.id) } { (document.title) }
            " " span.meta { "(" (document.format.label()) ", " (wording::size(document.bytes, lang)) ")" }
            " " a.button.secondary.small href={ "/documents/" (document.id) "/open" }
                aria-label={ (lang.t("Ouvrir ", "Open ")) (document.title) } { (lang.t("Ouvrir", "Open")) }
        }
    }
}

/// "2nde B, Tle".
pub fn class_list(classes: &[ClassName]) -> String {
    classes
        .iter()
        .map(ClassName::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// "Semaine du lundi 30 novembre au dimanche 6 décembre 2026".
pub fn week_span(week: &HomeworkWeek, lang: Lang) -> String {
    format!(
        "{}{}{}{}",
        lang.t("Semaine du ", "Week of "),
        day_name(week.monday, lang),
        lang.t(" au ", " to "),
        day_name(week.sunday(), lang)
    )
}

/// Earlier and next weeks, and back to this one.
pub fn week_nav(lang: Lang, prefix: &str, week: &HomeworkWeek, today: Date) -> Markup {
    let class = &week.class;
    let current = crate::model::week_start(today);
    html! {
        nav.pages aria-label=(lang.t("Semaines", "Weeks")) {
            a.button.secondary href=(week_url(prefix, class, week.monday - Duration::days(7))) { (lang.t("← Semaine précédente", "← Previous week")) }
            @if week.monday != current {
                a.button.secondary href=(week_url(prefix, class, current)) { (lang.t("Cette semaine", "This week")) }
            }
            a.button.secondary href=(week_url(prefix, class, week.monday + Duration::days(7))) { (lang.t("Semaine suivante →", "Next week →")) }
        }
    }
}

/// The sheet, the pack and the feeds of the week (served by `homework_files`).
fn take_away(lang: Lang, class: &ClassName, monday: Date) -> Markup {
    let base = format!("/classes/{}", class.slug());
    html! {
        section.take-away {
            h2 { (lang.t("À imprimer ou à suivre", "To print or follow")) }
            ul {
                li { a href={ (base) "/feuille.pdf?semaine=" (monday) } { (lang.t("Feuille de la semaine (PDF, A4)", "The week's sheet (PDF, A4)")) } }
                li { a href={ (base) "/paquet.pdf?semaine=" (monday) } { (lang.t("Feuille et documents de la semaine (PDF à imprimer)", "Sheet and documents of the week (PDF to print)")) } }
                li { a href={ (base) "/flux.atom" } { (lang.t("Flux Atom (lecteur de flux)", "Atom feed (feed reader)")) } }
                li { a href={ (base) "/devoirs.ics" } { (lang.t("Agenda des devoirs (.ics)", "Homework calendar (.ics)")) } }
            }
        }
    }
}

const WEEKDAYS_FR: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// "mardi 1 décembre 2026" / "Tuesday 1 December 2026".
pub fn day_name(day: Date, lang: Lang) -> String {
    let index = usize::from(day.weekday().number_days_from_monday());
    let name = match lang {
        Lang::Fr => WEEKDAYS_FR[index],
        Lang::En => WEEKDAYS_EN[index],
    };
    format!("{name} {}", wording::date(day, lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_named_in_each_language() {
        use time::macros::date;
        let tuesday = day_name(date!(2026 - 12 - 01), Lang::Fr);
        assert!(
            tuesday.starts_with("mardi 1") && tuesday.ends_with("décembre 2026"),
            "{tuesday}"
        );
        assert!(day_name(date!(2026 - 12 - 06), Lang::En).starts_with("Sunday 6 December"));
    }

    #[test]
    fn levels_lead_to_their_cahier_de_texte_unless_no_class_can_bear_their_name() {
        let level = |name: &str| Level::parse(name).unwrap();
        assert_eq!(level_href("", &level("2nde")), "/classes/2nde");
        assert_eq!(
            level_href("/kiosque", &level("Tle")),
            "/kiosque/classes/tle"
        );
        assert_eq!(level_href("", &level("BTS 1")), "/classes/bts-1");
        assert_eq!(level_href("", &level("Prépa")), "/niveaux/Pr%C3%A9pa");
        assert_eq!(
            level_href("/kiosque", &level("Prépa")),
            "/kiosque/trouver/Pr%C3%A9pa"
        );
    }
}
