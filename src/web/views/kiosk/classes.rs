//! A class's "Pour aujourd'hui" at the kiosk: the same week as the family page, in large type,
//! each document a big tap to its kiosk page (copy it, have it printed, scan it to a phone), and
//! the class's documents one tap away.

use maud::{html, Markup};
use time::Date;

use crate::model::ClassName;
use crate::service::HomeworkWeek;

use super::super::homework::{week_days, week_nav, week_span, Where};
use super::super::layout::encode;
use super::{another_class, page, Flow, KioskFrame};

pub fn class_week(
    kiosk: &KioskFrame<'_>,
    week: &HomeworkWeek,
    today: Date,
    groups: &[ClassName],
) -> Markup {
    let lang = kiosk.frame.lang;
    let class = &week.class;
    let level = class.level();
    let title = format!(
        "{} — {}",
        lang.t("Pour aujourd'hui", "For today"),
        class.full_name()
    );
    html! {
        (page(
            kiosk,
            &title,
            html! {
                h1 { (title) }
                p.kiosk-lead { (week_span(week, lang)) }
                div.kiosk-actions {
                    a.button href={ "/kiosque/trouver/" (encode(level.as_str())) } {
                        (lang.t("Tous les documents de ", "Every document for ")) (level.full_name())
                    }
                    @if class.group().is_some() {
                        @if let Some(whole) = ClassName::new(level.clone(), None) {
                            a.button.secondary href={ "/kiosque/classes/" (whole.slug()) } {
                                (lang.t("Toute la ", "All of ")) (level.full_name())
                            }
                        }
                    }
                    @for group in groups {
                        a.button.secondary href={ "/kiosque/classes/" (group.slug()) } { (group) }
                    }
                }
                @if week.items.is_empty() {
                    p.kiosk-lead { (lang.t("Rien de noté pour cette semaine.", "Nothing written down for this week.")) }
                } @else {
                    div.kiosk-week { (week_days(lang, week, today, Where::Kiosk)) }
                }
                (week_nav(lang, "/kiosque", week, today))
                (another_class(Flow::Find, lang))
            },
        ))
    }
}
