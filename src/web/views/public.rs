//! The pages families see: home, a level, search results, a document.

use maud::{html, Markup};

use crate::model::{ClassName, Document, Level, Subject};
use crate::service::{Ejected, FoundDocument};
use crate::web::wording;

use super::layout::{encode, page, search_box};
use super::{document_item, pager, Frame, Pages};

/// `groups`: the classes within a level that have entries in the cahier de texte ("2nde B").
pub fn home(
    frame: &Frame<'_>,
    levels: &[Level],
    groups: &[ClassName],
    recent: &[Document],
) -> Markup {
    let lang = frame.lang;
    page(
        frame,
        lang.t("Accueil", "Home"),
        html! {
            h1 { (frame.school.name) }
            p { (lang.t("Les documents de vos professeurs et du CNED, à lire, télécharger ou emporter.",
                        "Documents from your teachers and the CNED, to read, download or take home.")) }
            (search_box(lang, ""))
            h2 { (lang.t("Choisir une classe", "Choose a year")) }
            // A class leads to its "Pour aujourd'hui" first; its documents are one link below.
            ul.levels {
                @for level in levels {
                    li { a href=(super::homework::level_href("", level)) { (level.full_name()) } }
                }
                @for class in groups {
                    li { a href={ "/classes/" (class.slug()) } { (class) } }
                }
            }
            ul.all-documents {
                @for level in levels {
                    li { a href={ "/niveaux/" (encode(level.as_str())) } { (lang.t("Tous les documents de ", "Every document for ")) (level.full_name()) } }
                }
            }
            h2 { (lang.t("Nouveautés de la semaine", "New this week")) }
            @if recent.is_empty() {
                p { (lang.t("Aucun nouveau document ces 7 derniers jours.", "No new document in the last 7 days.")) }
            } @else {
                ul.documents { @for document in recent { (document_item(document, None, lang)) } }
            }
            p { a.button.secondary href="/nouveautes" { (lang.t("Tout voir, du plus récent au plus ancien", "See everything, newest first")) } }
        },
    )
}

/// Every document, newest first.
pub fn latest(frame: &Frame<'_>, documents: &[Document], total: usize, pages: Pages) -> Markup {
    let lang = frame.lang;
    page(
        frame,
        lang.t("Tous les documents", "All documents"),
        html! {
            h1 { (lang.t("Tous les documents", "All documents")) }
            p { (total) " " (lang.t("document(s), du plus récent au plus ancien.", "document(s), newest first.")) }
            @if documents.is_empty() {
                p { (lang.t("Pas de document sur cette page.", "No document on this page.")) " "
                    a href="/nouveautes" { (lang.t("Revenir à la première page", "Back to the first page")) } }
            } @else {
                ul.documents { @for document in documents { (document_item(document, None, lang)) } }
                (pager(lang, pages, |page| format!("/nouveautes?page={page}")))
            }
        },
    )
}

pub fn level(
    frame: &Frame<'_>,
    level: &Level,
    subjects: &[Subject],
    documents: &[Document],
    subject: Option<&Subject>,
    pages: Pages,
) -> Markup {
    let lang = frame.lang;
    page(
        frame,
        level.full_name(),
        html! {
            h1 { (level.full_name()) @if let Some(subject) = subject { " — " (subject) } }
            @if !subjects.is_empty() {
                h2 { (lang.t("Matières", "Subjects")) }
                ul.levels.subjects {
                    @for s in subjects {
                        li { a href={ "/niveaux/" (encode(level.as_str())) "?matiere=" (encode(s.as_str())) } { (s) } }
                    }
                }
            }
            h2 { (lang.t("Documents", "Documents")) }
            @if documents.is_empty() {
                p { (lang.t("Pas encore de document pour cette classe.", "No document for this year yet.")) }
            } @else {
                ul.documents { @for document in documents { (document_item(document, None, lang)) } }
                // A class's documents in one go: for the zip, the USB stick or the printed pack.
                form.actions method="post" action="/panier" {
                    input type="hidden" name="action" value="ajouter-tout";
                    input type="hidden" name="ids" value=(crate::model::join_ids(documents.iter().map(|d| &d.id)));
                    input type="hidden" name="retour" value="/panier";
                    button.secondary type="submit" {
                        (lang.t("Mettre ces ", "Put these ")) (documents.len()) (lang.t(" documents dans le panier", " documents in the basket"))
                    }
                }
                (pager(lang, pages, |page| {
                    let mut url = format!("/niveaux/{}?page={page}", encode(level.as_str()));
                    if let Some(subject) = subject {
                        url.push_str(&format!("&matiere={}", encode(subject.as_str())));
                    }
                    url
                }))
            }
        },
    )
}

const RESULTS_FR: (&str, &str) = ("résultat", "résultats");
const RESULTS_EN: (&str, &str) = ("result", "results");

/// What the search page shows.
pub struct SearchView<'a> {
    pub query: &'a str,
    pub level: Option<&'a Level>,
    pub subject: Option<&'a Subject>,
    pub levels: &'a [Level],
    pub subjects: &'a [Subject],
    pub total: usize,
    /// Documents found, each with its snippet and what it matched.
    pub results: &'a [FoundDocument],
    pub page: usize,
    pub per_page: usize,
    /// Why the query could not run (empty, too long), in the user's words.
    pub problem: Option<&'a str>,
    /// Whether the results have every word searched for; when not, the page says so.
    pub all_words: bool,
    /// Cahier de texte entries the words name, shown above the documents.
    pub entries: &'a [crate::service::HomeworkItem],
}

pub fn search(frame: &Frame<'_>, view: &SearchView<'_>) -> Markup {
    let lang = frame.lang;
    let link = |page: usize| {
        let mut url = format!("/recherche?q={}", encode(view.query));
        if let Some(level) = view.level {
            url.push_str(&format!("&niveau={}", encode(level.as_str())));
        }
        if let Some(subject) = view.subject {
            url.push_str(&format!("&matiere={}", encode(subject.as_str())));
        }
        url.push_str(&format!("&page={page}"));
        url
    };
    let filtered = view.level.is_some() || view.subject.is_some();
    page(
        frame,
        lang.t("Recherche", "Search"),
        html! {
            h1 { (lang.t("Recherche", "Search")) }
            form.search method="get" action="/recherche" role="search" {
                label.visually-hidden for="q" { (lang.t("Rechercher un document", "Search for a document")) }
                input #q type="search" name="q" value=(view.query) maxlength="500";
                div.filters {
                    (super::filter_select("niveau", lang.t("Classe", "Year"), view.levels, view.level, lang))
                    (super::filter_select("matiere", lang.t("Matière", "Subject"), view.subjects, view.subject, lang))
                    button type="submit" { (lang.t("Rechercher", "Search")) }
                }
            }
            @if !view.entries.is_empty() {
                section.found-entries {
                    h2 { (lang.t("Consignes", "Homework")) }
                    ul.entries { @for item in view.entries { (super::homework::entry(lang, item, None, super::homework::Where::Site)) } }
                    h2 { (lang.t("Documents", "Documents")) }
                }
            }
            @if let Some(problem) = view.problem {
                div.notice.warn { (problem) }
            } @else if view.results.is_empty() && view.total > 0 {
                div.notice {
                    p { (lang.t("Cette page est après la dernière : la recherche a trouvé ", "This page is past the last one: the search found "))
                        (wording::count(view.total, RESULTS_FR, RESULTS_EN, lang)) "." }
                    p { a href=(link(1)) { (lang.t("Voir les premiers résultats", "See the first results")) } }
                }
            } @else if view.results.is_empty() {
                div.notice {
                    p { strong { (lang.t("Aucun résultat", "No results")) } " " (lang.t("pour", "for")) " « " (view.query) " »." }
                    @if filtered {
                        p { a href={ "/recherche?q=" (encode(view.query)) } { (lang.t("Chercher dans toutes les classes et matières", "Search all years and subjects")) } }
                    } @else {
                        p { (lang.t("Essayez un autre mot, plus court ou plus général.", "Try another, shorter or more general word.")) }
                    }
                }
            } @else {
                @if !view.all_words {
                    div.notice.partial { p { (lang.t(
                        "Aucun document ne contient tous vos mots ; voici ceux qui en contiennent une partie.",
                        "No document contains all your words; here are those that contain some of them.",
                    )) } }
                }
                p { (wording::count(view.total, RESULTS_FR, RESULTS_EN, lang)) }
                ul.documents { @for found in view.results { (document_item(&found.document, Some(found), lang)) } }
                (pager(lang, Pages { page: view.page, has_next: view.page * view.per_page < view.total }, link))
            }
        },
    )
}

/// `changed`: what a staff member's edit did, said at the top.
pub fn document(
    frame: &Frame<'_>,
    document: &Document,
    excerpt: &str,
    changed: Option<&str>,
) -> Markup {
    let lang = frame.lang;
    let reading = super::reading::reading_link(document);
    page(
        frame,
        &document.title,
        html! {
            @if let Some(changed) = changed { div.notice.ok role="status" { (changed) } }
            h1 { (document.title) }
            dl.facts {
                @if let Some(subject) = &document.subject { dt { (lang.t("Matière", "Subject")) } dd { (subject) } }
                @if !document.levels.is_empty() {
                    dt { (lang.t("Classe", "Year")) }
                    dd { (document.levels.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(", "))
                         @if let Some(class) = &document.class { " (" (class) ")" } }
                }
                @if let Some(author) = document.author.as_ref() {
                    dt { (lang.t("Professeur", "Teacher")) } dd { (author) }
                }
                dt { (lang.t("Ajouté le", "Added on")) } dd { (wording::day(document.created, lang)) }
                @if let Some(due) = document.due { dt { (lang.t("À faire pour", "Due on")) } dd.due { (wording::date(due, lang)) } }
                dt { (lang.t("Fichier", "File")) }
                dd { (document.format.label()) ", " (wording::size(document.bytes, lang))
                     @if let Some(pages) = document.pages { ", " (pages) " " (lang.t("page(s)", "page(s)")) } }
            }
            div.actions {
                // Reading needs no application on a phone: it comes first when there is one.
                @if let Some(reading) = &reading {
                    a.button href=(reading) { (lang.t("Lire", "Read")) }
                }
                a.button.secondary[reading.is_some()] href={ "/documents/" (document.id) "/file" } download {
                    (lang.t("Télécharger", "Download")) " (" (wording::size(document.bytes, lang)) ")"
                }
                form method="post" action="/panier" {
                    input type="hidden" name="action" value="ajouter";
                    input type="hidden" name="id" value=(document.id);
                    input type="hidden" name="retour" value="/panier";
                    button.secondary type="submit" { (lang.t("Ajouter au panier", "Add to basket")) }
                }
                @if frame.staff.is_some() {
                    a.button.secondary href={ "/staff/cahier/nouvelle?document=" (document.id) } { (lang.t("Joindre à une consigne", "Attach to an entry")) }
                }
            }
            @if document.text_status != crate::model::TextStatus::Ok {
                p.notice.warn { (lang.t("Ce document n'a pas de texte lisible par l'ordinateur (document scanné ou endommagé) : il se peut qu'il ne s'ouvre pas sur tous les appareils.",
                                        "This document has no machine-readable text (scanned or damaged): it may not open on every device.")) }
            }
            @if !excerpt.is_empty() {
                h2 { (lang.t("Début du document", "Beginning of the document")) }
                div.excerpt { (excerpt) }
            }
        },
    )
}

pub fn basket(
    frame: &Frame<'_>,
    documents: &[Document],
    drives: &[crate::service::Drive],
) -> Markup {
    let lang = frame.lang;
    let ids = crate::model::join_ids(documents.iter().map(|d| &d.id));
    page(
        frame,
        lang.t("Panier", "Basket"),
        html! {
            h1 { (lang.t("Mon panier", "My basket")) }
            @if documents.is_empty() {
                p { (lang.t("Le panier est vide. Ajoutez des documents depuis leur page.", "The basket is empty. Add documents from their page.")) }
            } @else {
                (super::documents_total(documents, lang))
                ul.documents {
                    @for document in documents {
                        li {
                            a.title href={ "/documents/" (document.id) } { (document.title) }
                            div.meta { (document.format.label()) ", " (wording::size(document.bytes, lang)) }
                            form method="post" action="/panier" {
                                input type="hidden" name="action" value="retirer";
                                input type="hidden" name="id" value=(document.id);
                                button.secondary type="submit" { (lang.t("Retirer", "Remove")) }
                            }
                        }
                    }
                }
                div.actions {
                    (super::zip_link(documents, "button", lang))
                    a.button.secondary href={ "/panier/imprimable.pdf?ids=" (ids) } download {
                        (lang.t("Version imprimable (PDF)", "Printable version (PDF)"))
                    }
                    form method="post" action="/panier/impression" {
                        button type="submit" { (lang.t("Demander l'impression", "Ask for printing")) }
                    }
                    @for drive in drives {
                        form method="post" action="/panier/cle" {
                            input type="hidden" name="cle" value=(drive.mount_point.to_string_lossy());
                            button type="submit" {
                                (lang.t("Copier sur la clé USB « ", "Copy to the USB stick “")) (drive.label)
                                (lang.t(" » (", "” (")) (wording::size(drive.free_bytes, lang)) (lang.t(" libres)", " free)"))
                            }
                        }
                    }
                    form method="post" action="/panier" {
                        input type="hidden" name="action" value="vider";
                        button.secondary type="submit" { (lang.t("Vider le panier", "Empty the basket")) }
                    }
                }
                p.hint { (lang.t("Le zip contient un fichier index.html qui liste et cherche les documents, sans connexion.",
                                 "The zip holds an index.html that lists and searches the documents, offline.")) }
                p.hint { (lang.t("« Demander l'impression » donne un numéro à présenter à l'accueil, qui imprime les documents pour vous.",
                                 "“Ask for printing” gives you a number to show at the front desk, which prints the documents for you.")) }
            }
        },
    )
}

pub fn copy_progress(frame: &Frame<'_>, copy: &crate::service::UsbCopy) -> Markup {
    use crate::service::UsbCopy as Copy;
    let lang = frame.lang;
    page(
        frame,
        lang.t("Copie sur clé USB", "Copy to USB stick"),
        html! {
            h1 { (lang.t("Copie sur la clé USB", "Copy to the USB stick")) }
            @match copy {
                Copy::Running { label, done_bytes, total_bytes, current } => {
                    p { (lang.t("Copie en cours sur « ", "Copying to “")) (label) (lang.t(" » : ne retirez pas la clé.", "”: do not remove the stick.")) }
                    progress max=(total_bytes.max(&1)) value=(done_bytes) { (done_bytes * 100 / total_bytes.max(&1)) " %" }
                    p.meta { (wording::size(*done_bytes, lang)) " / " (wording::size(*total_bytes, lang)) " — " (current) }
                    p.hint { (lang.t("Cette page se met à jour toute seule.", "This page updates by itself.")) }
                }
                Copy::Done { label, folder, ejected } => {
                    div.notice.ok role="status" {
                        p { strong { (lang.t("Copie terminée et vérifiée.", "Copy finished and checked.")) } }
                        @match ejected {
                            Ejected::Failed(reason) => {
                                p { (lang.t("La clé « ", "The stick “")) (label) (lang.t(" » n'a pas pu être éjectée (", "” could not be ejected (")) (reason) (lang.t(") : attendez que son voyant ne clignote plus avant de la retirer.", "): wait until its light stops blinking before removing it.")) }
                            }
                            Ejected::Ejected => {
                                p { (lang.t("La clé « ", "The stick “")) (label) (lang.t(" » est éjectée : vous pouvez la retirer.", "” is ejected: you may remove it.")) }
                            }
                            Ejected::NotManaged => {
                                p { (lang.t("Vous pouvez retirer la clé « ", "You may remove the stick “")) (label) (lang.t(" ».", "”.")) }
                            }
                        }
                        p { (lang.t("Sur la clé, ouvrez le dossier « ", "On the stick, open the folder “")) (folder) (lang.t(" » puis le fichier index.html.", "” then the file index.html.")) }
                    }
                }
                Copy::Failed { label, message } => {
                    div.notice.bad role="alert" {
                        p { strong { (lang.t("La copie sur « ", "The copy to “")) (label) (lang.t(" » n'a pas pu se faire : ", "” failed: ")) } (message) "." }
                        p { (lang.t("Rien d'incomplet n'est resté sur la clé. Vous pouvez la retirer et réessayer.", "Nothing incomplete was left on the stick. You may remove it and try again.")) }
                    }
                }
            }
            div.actions { a.button.secondary href="/panier" { (lang.t("Retour au panier", "Back to the basket")) } }
        },
    )
}
