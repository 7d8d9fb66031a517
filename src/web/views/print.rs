//! Printing pages: the ticket a family takes to the desk, the public page of a selection (where
//! a printed pack's QR code leads), and the desk's print queue.

use maud::{html, Markup};
use time::OffsetDateTime;

use crate::model::{join_ids, Document, PrintRequest, PrintStatus};
use crate::service::{PrintQueue, QueuedPrint};
use crate::web::lang::Lang;
use crate::web::wording;

use super::layout::page;
use super::Frame;

/// Whether an open ticket's page reloads itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Updating {
    /// Every so many seconds (the response carries the `Refresh`).
    Every(u32),
    /// The family stopped it.
    Stopped,
    /// Printed or cancelled: nothing more will change.
    Never,
}

/// The ticket, big enough to read from a step away, with what to do next.
pub fn ticket(frame: &Frame<'_>, request: &PrintRequest, updating: Updating) -> Markup {
    let lang = frame.lang;
    page(
        frame,
        lang.t("Demande d'impression", "Print request"),
        html! {
            h1 { (lang.t("Demande d'impression enregistrée", "Print request recorded")) }
            (ticket_card(request, lang))
            @match request.status {
                PrintStatus::Done => div.notice.ok role="status" {
                    strong { (lang.t("C'est imprimé : passez prendre vos documents à l'accueil avec ce numéro.",
                                     "It is printed: collect your documents at the front desk with this number.")) }
                },
                PrintStatus::Cancelled => div.notice.warn role="status" {
                    (lang.t("Demande annulée par l'accueil. Vous pouvez en faire une nouvelle depuis le panier.",
                            "Request cancelled by the desk. You can make a new one from the basket."))
                },
                PrintStatus::Waiting | PrintStatus::Printing => {
                    p.ticket-what { strong { (lang.t("Présentez ce numéro à l'accueil.", "Show this number at the front desk.")) } }
                    p role="status" { (status_text(request.status, lang)) }
                    @match updating {
                        Updating::Every(seconds) => p.hint {
                            (lang.t("Cette page se met à jour toute seule toutes les ", "This page updates by itself every "))
                            (seconds) (lang.t(" secondes. ", " seconds. "))
                            a href={ "/impression/" (request.id) "?fixe" } { (lang.t("Ne plus la mettre à jour", "Stop updating it")) }
                        },
                        Updating::Stopped | Updating::Never => p.hint {
                            a href={ "/impression/" (request.id) } { (lang.t("Mettre à jour maintenant", "Update now")) }
                        },
                    }
                },
            }
            p.hint { (lang.t("Notez-le ou prenez cette page en photo. Aucune donnée personnelle n'est demandée.",
                             "Write it down or take a photo of this page. No personal data is asked for.")) }
            div.actions { a.button.secondary href="/panier" { (lang.t("Retour au panier", "Back to the basket")) } }
        },
    )
}

/// The number to show at the desk, big, with the pages and documents it stands for (the phone's
/// ticket page and the kiosk's).
pub fn ticket_card(request: &PrintRequest, lang: Lang) -> Markup {
    html! {
        div.ticket role="status" {
            p.ticket-label { (lang.t("Votre numéro", "Your number")) }
            p.ticket-number { (request.ticket) }
            p.ticket-pages {
                (lang.t("Environ ", "About ")) (request.pages) (lang.t(" pages", " pages"))
                " · " (request.ids.len()) " " (lang.t("document(s)", "document(s)"))
            }
        }
    }
}

fn status_text(status: PrintStatus, lang: Lang) -> &'static str {
    match status {
        PrintStatus::Waiting => lang.t("En attente d'impression.", "Waiting to be printed."),
        PrintStatus::Printing => lang.t("En cours d'impression.", "Being printed."),
        PrintStatus::Done => lang.t("Imprimé.", "Printed."),
        PrintStatus::Cancelled => lang.t("Demande annulée.", "Request cancelled."),
    }
}

/// The public documents of a selection, to put in the basket, download or print.
pub fn selection(frame: &Frame<'_>, documents: &[Document]) -> Markup {
    let lang = frame.lang;
    let ids = join_ids(documents.iter().map(|d| &d.id));
    page(
        frame,
        lang.t("Documents choisis", "Chosen documents"),
        html! {
            h1 { (lang.t("Documents choisis", "Chosen documents")) }
            @if documents.is_empty() {
                p { (lang.t("Ces documents ne sont plus disponibles.", "These documents are no longer available.")) }
                div.actions { a.button href="/" { (lang.t("Retour à l'accueil", "Back to the home page")) } }
            } @else {
                (super::documents_total(documents, lang))
                ul.documents {
                    @for document in documents {
                        li {
                            a.title href={ "/documents/" (document.id) } { (document.title) }
                            div.meta {
                                @if let Some(subject) = &document.subject { (subject) " · " }
                                (document.format.label()) ", " (wording::size(document.bytes, lang))
                            }
                            a href={ "/documents/" (document.id) "/file" } download {
                                (lang.t("Télécharger", "Download")) " (" (wording::size(document.bytes, lang)) ")"
                            }
                        }
                    }
                }
                div.actions {
                    form method="post" action="/panier" {
                        input type="hidden" name="action" value="ajouter-tout";
                        input type="hidden" name="ids" value=(ids);
                        input type="hidden" name="retour" value="/panier";
                        button type="submit" { (lang.t("Tout mettre dans le panier", "Put them all in the basket")) }
                    }
                    (super::zip_link(documents, "button secondary", lang))
                    a.button.secondary href={ "/panier/imprimable.pdf?ids=" (ids) } download {
                        (lang.t("Version imprimable (PDF)", "Printable version (PDF)"))
                    }
                }
            }
        },
    )
}

/// What the queue page says above the table.
#[derive(Debug, Clone)]
pub enum QueueNotice {
    Printed(u32),
    Done(u32),
    Cancelled(u32),
    /// Why an action failed, in French (the printer's own words included).
    Failed(String),
}

impl QueueNotice {
    /// The notice after a successful action (`fait=imprimer|terminer|annuler` in the query).
    pub fn done(action: &str, ticket: u32) -> Option<QueueNotice> {
        match action {
            "imprimer" => Some(QueueNotice::Printed(ticket)),
            "terminer" => Some(QueueNotice::Done(ticket)),
            "annuler" => Some(QueueNotice::Cancelled(ticket)),
            _ => None,
        }
    }
}

/// The desk's queue. `printer` is the print command's program when one is available.
pub fn queue(
    frame: &Frame<'_>,
    csrf: &str,
    queue: &PrintQueue,
    printer: Option<&str>,
    notice: Option<&QueueNotice>,
) -> Markup {
    let lang = frame.lang;
    let now = OffsetDateTime::now_utc();
    page(
        frame,
        lang.t("Impressions", "Printing"),
        html! {
            h1 { (lang.t("Demandes d'impression", "Print requests")) }
            @match notice {
                Some(QueueNotice::Printed(n)) => div.notice.ok role="status" { (lang.t("Demande n° ", "Request no. ")) (n) (lang.t(" envoyée à l'imprimante.", " sent to the printer.")) },
                Some(QueueNotice::Done(n)) => div.notice.ok role="status" { (lang.t("Demande n° ", "Request no. ")) (n) (lang.t(" terminée.", " done.")) },
                Some(QueueNotice::Cancelled(n)) => div.notice.ok role="status" { (lang.t("Demande n° ", "Request no. ")) (n) (lang.t(" annulée.", " cancelled.")) },
                Some(QueueNotice::Failed(message)) => div.notice.bad role="alert" { (message) },
                None => {},
            }
            @if printer.is_none() {
                p.hint { (lang.t("Pas d'imprimante configurée sur cette machine (commande « print_command ») : téléchargez le PDF et imprimez-le depuis un poste.",
                                 "No printer set up on this machine (“print_command” setting): download the PDF and print it from a computer.")) }
            }
            @if queue.open.is_empty() {
                p { (lang.t("Aucune demande en attente.", "No request waiting.")) }
            } @else {
                table.queue.stack {
                    thead { tr {
                        th { (lang.t("N°", "No.")) } th { (lang.t("Documents", "Documents")) }
                        th { (lang.t("Pages", "Pages")) } th { (lang.t("Demandé", "Asked")) } th { (lang.t("Actions", "Actions")) }
                    } }
                    tbody { @for item in &queue.open { (open_row(item, csrf, printer, now, lang)) } }
                }
            }
            @if !queue.closed_today.is_empty() {
                h2 { (lang.t("Traitées aujourd'hui", "Handled today")) }
                table.queue.closed.stack {
                    thead { tr {
                        th { (lang.t("N°", "No.")) } th { (lang.t("Documents", "Documents")) }
                        th { (lang.t("Pages", "Pages")) } th { (lang.t("État", "Status")) }
                    } }
                    tbody {
                        @for item in &queue.closed_today {
                            tr {
                                td.ticket-cell { (item.request.ticket) }
                                td { (documents(item, lang)) }
                                td data-label=(lang.t("Pages : ", "Pages: ")) { (item.request.pages) }
                                td { (status_text(item.request.status, lang)) " " (ago(item.request.updated, now, lang)) }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn open_row(
    item: &QueuedPrint,
    csrf: &str,
    printer: Option<&str>,
    now: OffsetDateTime,
    lang: Lang,
) -> Markup {
    let request = &item.request;
    let action = format!("/staff/impressions/{}", request.id);
    html! {
        tr {
            td.ticket-cell { (request.ticket) }
            td { (documents(item, lang)) }
            td data-label=(lang.t("Pages : ", "Pages: ")) { (request.pages) }
            td data-label=(lang.t("Demandé ", "Asked ")) {
                (ago(request.created, now, lang))
                @if request.status == PrintStatus::Printing {
                    br; span.meta { (lang.t("envoyée à l'imprimante", "sent to the printer")) }
                }
            }
            td {
                div.row-actions {
                    @if let Some(printer) = printer {
                        form method="post" action=(action) {
                            input type="hidden" name="csrf" value=(csrf);
                            button type="submit" name="action" value="imprimer" title=(printer) {
                                @if request.status == PrintStatus::Printing { (lang.t("Imprimer à nouveau", "Print again")) }
                                @else { (lang.t("Imprimer", "Print")) }
                            }
                        }
                    }
                    a.button.secondary href={ (action) "/pdf" } download { (lang.t("Télécharger le PDF", "Download the PDF")) }
                    form method="post" action=(action) {
                        input type="hidden" name="csrf" value=(csrf);
                        button.secondary type="submit" name="action" value="terminer" { (lang.t("Terminé", "Done")) }
                    }
                    form method="post" action=(action) {
                        input type="hidden" name="csrf" value=(csrf);
                        button.secondary type="submit" name="action" value="annuler" { (lang.t("Annuler", "Cancel")) }
                    }
                }
            }
        }
    }
}

fn documents(item: &QueuedPrint, lang: Lang) -> Markup {
    html! {
        (item.titles.len() + item.missing) " " (lang.t("document(s)", "document(s)"))
        ul.titles { @for title in &item.titles { li { (title) } } }
        @if item.missing > 0 {
            span.meta { (item.missing) (lang.t(" retiré(s) depuis", " removed since")) }
        }
    }
}

/// "à l'instant", "il y a 5 min", "il y a 2 h", then the date: relative times need no time zone.
fn ago(moment: OffsetDateTime, now: OffsetDateTime, lang: Lang) -> String {
    let minutes = (now - moment).whole_minutes().max(0);
    match (minutes, lang) {
        (0, _) => lang.t("à l'instant", "just now").to_owned(),
        (1..=59, Lang::Fr) => format!("il y a {minutes} min"),
        (1..=59, Lang::En) => format!("{minutes} min ago"),
        (60..=1439, Lang::Fr) => format!("il y a {} h", minutes / 60),
        (60..=1439, Lang::En) => format!("{} h ago", minutes / 60),
        _ => format!(
            "{} {}",
            lang.t("le", "on"),
            wording::date(moment.date(), lang)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_in_plain_words() {
        let now = time::macros::datetime!(2026-03-12 14:32 UTC);
        let minutes = |m: i64| now - time::Duration::minutes(m);
        assert_eq!(ago(minutes(0), now, Lang::Fr), "à l'instant");
        assert_eq!(ago(minutes(5), now, Lang::Fr), "il y a 5 min");
        assert_eq!(ago(minutes(5), now, Lang::En), "5 min ago");
        assert_eq!(ago(minutes(130), now, Lang::Fr), "il y a 2 h");
        assert_eq!(ago(minutes(3 * 1440), now, Lang::Fr), "le 9 mars 2026");
    }
}
