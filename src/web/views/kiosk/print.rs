//! "Demander une impression" at the kiosk: a class's documents (or the family's selection), all
//! ticked, one button to ask; then the ticket, big, to show at the desk.

use maud::{html, Markup};

use super::{another_class, page, Flow, KioskFrame, RESET_URL};
use crate::model::{Document, PrintRequest};

pub fn pack(kiosk: &KioskFrame<'_>, name: &str, documents: &[Document]) -> Markup {
    let lang = kiosk.frame.lang;
    page(
        kiosk,
        lang.t("Demander une impression", "Ask for a printout"),
        html! {
            h1 { (lang.t("Demander une impression", "Ask for a printout")) " — " (name) }
            @if documents.is_empty() {
                p.kiosk-lead { (lang.t("Pas encore de document ici.", "No document here yet.")) }
            } @else {
                form method="post" action="/kiosque/impression" {
                    p.kiosk-lead { (lang.t("Décochez ce que vous ne voulez pas imprimer.", "Untick what you do not want printed.")) }
                    ul.kiosk-picks {
                        @for document in documents {
                            li {
                                label {
                                    input type="checkbox" name="id" value=(document.id) checked;
                                    span {
                                        span.kiosk-pick-title { (document.title) }
                                        span.meta {
                                            @if let Some(subject) = &document.subject { (subject) " · " }
                                            (document.format.label())
                                            @if let Some(pages) = document.pages { ", " (pages) " " (lang.t("page(s)", "page(s)")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    div.kiosk-actions {
                        button.kiosk-big type="submit" { (lang.t("Demander l'impression", "Ask for the printout")) }
                    }
                }
            }
            (another_class(Flow::Print, lang))
        },
    )
}

pub fn ticket(kiosk: &KioskFrame<'_>, request: &PrintRequest) -> Markup {
    let lang = kiosk.frame.lang;
    page(
        kiosk,
        lang.t("Demande d'impression", "Print request"),
        html! {
            h1 { (lang.t("Demande d'impression enregistrée", "Print request recorded")) }
            (crate::web::views::print::ticket_card(request, lang))
            p.ticket-what { strong { (lang.t("Présentez ce numéro à l'accueil.", "Show this number at the desk.")) } }
            p.hint { (lang.t("Notez-le ou prenez cet écran en photo.", "Write it down or take a photo of this screen.")) }
            div.kiosk-actions {
                a.button.kiosk-big href=(RESET_URL) { (lang.t("Terminer", "Finish")) }
            }
        },
    )
}
