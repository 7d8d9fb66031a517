//! The staff's cahier de texte: their entries ("Mes consignes", everyone's for an admin), and
//! the form that writes one. The form works without script: its "Chercher" button sends the
//! form back with the library's matches as checkboxes (what was typed is kept), and files chosen
//! in it are uploaded like any upload, then attached.

use maud::{html, Markup};

use crate::model::{Document, Homework, Level, Subject};
use crate::web::wording;

use super::homework::day_name;
use super::layout::page;
use super::{pager, Frame, Pages};

/// The list page.
pub struct EntryList<'a> {
    pub entries: &'a [Homework],
    /// Everyone's entries (an admin) rather than one's own.
    pub all: bool,
    pub pages: Pages,
    /// What was just done ("Consigne enregistrée."), said at the top.
    pub done: Option<&'a str>,
}

pub fn list(frame: &Frame<'_>, view: &EntryList<'_>) -> Markup {
    let lang = frame.lang;
    let heading = if view.all {
        lang.t(
            "Cahier de texte : toutes les consignes",
            "Homework book: every entry",
        )
    } else {
        lang.t(
            "Cahier de texte : mes consignes",
            "Homework book: my entries",
        )
    };
    page(
        frame,
        heading,
        html! {
            h1 { (heading) }
            @if let Some(done) = view.done { div.notice.ok role="status" { (done) } }
            div.actions { a.button href="/staff/cahier/nouvelle" { (lang.t("Nouvelle consigne", "New entry")) } }
            @if view.entries.is_empty() {
                p { (lang.t("Aucune consigne pour l'instant.", "No entry yet.")) }
            } @else {
                table.stack {
                    thead { tr {
                        th { (lang.t("Pour le", "Due")) }
                        th { (lang.t("Classes", "Classes")) }
                        th { (lang.t("Consigne", "Instruction")) }
                        th { (lang.t("Actions", "Actions")) }
                    } }
                    tbody {
                        @for entry in view.entries {
                            tr {
                                td data-label={ (lang.t("Pour le", "Due")) " : " } { (day_name(entry.due, lang)) }
                                td data-label={ (lang.t("Classes", "Classes")) " : " } { @for class in &entry.classes {
                                    a href={ "/classes/" (class.slug()) "?semaine=" (entry.due) } { (class) } " "
                                } }
                                td data-label={ (lang.t("Consigne", "Instruction")) " : " } {
                                    @if let Some(subject) = &entry.subject { strong { (subject) } " — " }
                                    (first_line(&entry.instruction))
                                    @if !entry.documents.is_empty() {
                                        " " span.meta { "(" (entry.documents.len()) " " (lang.t("document(s)", "document(s)")) ")" }
                                    }
                                    @if view.all { " " span.meta { "— " (entry.owner) } }
                                }
                                td { a.button.secondary href={ "/staff/cahier/" (entry.id) } { (lang.t("Modifier", "Edit")) } }
                            }
                        }
                    }
                }
                (pager(lang, view.pages, |page| format!("/staff/cahier?page={page}")))
            }
        },
    )
}

/// An instruction's first line, cut to fit a table cell.
fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    if line.chars().count() > 90 || text.lines().nth(1).is_some() {
        let short: String = line.chars().take(90).collect();
        format!("{}…", short.trim_end())
    } else {
        line.to_owned()
    }
}

/// The form as typed so far (or as stored, for an edit).
pub struct EntryForm<'a> {
    /// The entry being changed; `None` for a new one.
    pub id: Option<i64>,
    pub csrf: &'a str,
    /// Whole levels ticked among the school's.
    pub levels: &'a [Level],
    /// Classes typed ("2nde B, Tle STMG 1").
    pub other_classes: &'a str,
    /// The due date as the date input sends it (YYYY-MM-DD).
    pub due: &'a str,
    pub subject: Option<&'a Subject>,
    pub instruction: &'a str,
    /// Documents attached: ticked.
    pub attached: &'a [Document],
    /// Documents offered: the search's matches, or the teacher's newest.
    pub offered: &'a [Document],
    /// What was searched for; empty when `offered` are the teacher's newest.
    pub search: &'a str,
    /// Why the entry was not saved, or what the last step did.
    pub problem: Option<&'a str>,
    pub notice: Option<&'a str>,
    pub max_upload_bytes: u64,
}

pub fn form(frame: &Frame<'_>, view: &EntryForm<'_>) -> Markup {
    let lang = frame.lang;
    let heading = match view.id {
        Some(_) => lang.t("Modifier la consigne", "Edit the entry"),
        None => lang.t("Nouvelle consigne", "New entry"),
    };
    let action = match view.id {
        Some(id) => format!("/staff/cahier/{id}"),
        None => "/staff/cahier/nouvelle".to_owned(),
    };
    let school = frame.school;
    page(
        frame,
        heading,
        html! {
            h1 { (heading) }
            @if let Some(problem) = view.problem { div.notice.bad role="alert" { (problem) } }
            @if let Some(notice) = view.notice { div.notice.ok role="status" { (notice) } }
            form.entry method="post" action=(action) enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(view.csrf);
                fieldset {
                    legend { (lang.t("Pour quelles classes ?", "For which classes?")) }
                    @for level in &school.levels {
                        label.inline { input type="checkbox" name="classe" value=(level) checked[view.levels.contains(level)]; " " (level.full_name()) }
                    }
                    label for="autres" { (lang.t("Ou des classes précises, séparées par des virgules (ex. 2nde B, Tle STMG 1)", "Or given classes, separated by commas (e.g. 2nde B, Tle STMG 1)")) }
                    input #autres type="text" name="autres_classes" value=(view.other_classes) maxlength="300";
                }
                label for="due" { (lang.t("Pour le", "Due on")) }
                input #due type="date" name="due" value=(view.due) required;
                label for="subject" { (lang.t("Matière", "Subject")) }
                select #subject name="subject" {
                    option value="" { "—" }
                    @for subject in &school.subjects {
                        option value=(subject) selected[view.subject == Some(subject)] { (subject) }
                    }
                }
                label for="instruction" { (lang.t("Consigne", "Instruction")) }
                textarea #instruction name="instruction" rows="6" maxlength="4000" required { (view.instruction) }
                p.hint { (lang.t("Texte simple : les retours à la ligne sont gardés, les adresses web deviennent des liens.",
                                 "Plain text: line breaks are kept, web addresses become links.")) }
                fieldset {
                    legend { (lang.t("Documents joints", "Attached documents")) }
                    @if !view.attached.is_empty() {
                        ul.picks { @for document in view.attached { (pick(document, true, lang)) } }
                    }
                    label for="cherche" { (lang.t("Chercher un document de la bibliothèque", "Search the library for a document")) }
                    div.search {
                        input #cherche type="search" name="cherche" value=(view.search) maxlength="200";
                        button.secondary type="submit" name="action" value="chercher" { (lang.t("Chercher", "Search")) }
                    }
                    @if view.offered.is_empty() {
                        @if !view.search.is_empty() { p.hint { (lang.t("Aucun document trouvé.", "No document found.")) } }
                    } @else {
                        p.hint { @if view.search.is_empty() { (lang.t("Vos derniers documents :", "Your latest documents:")) }
                                 @else { (lang.t("Trouvés :", "Found:")) } }
                        ul.picks { @for document in view.offered { (pick(document, false, lang)) } }
                    }
                    label for="file" { (lang.t("Ou déposer un fichier maintenant (il rejoint la bibliothèque, visible par les familles)",
                                               "Or upload a file now (it joins the library, visible to families)")) }
                    input #file type="file" name="file" multiple;
                    p.hint { (wording::size(view.max_upload_bytes, lang)) (lang.t(" au plus par fichier.", " at most per file.")) }
                }
                div.actions { button type="submit" name="action" value="enregistrer" { (lang.t("Enregistrer la consigne", "Save the entry")) } }
            }
            @if let Some(id) = view.id {
                form method="post" action={ "/staff/cahier/" (id) "/supprimer" } {
                    input type="hidden" name="csrf" value=(view.csrf);
                    label { input type="checkbox" name="confirm" value="yes" required; " "
                            (lang.t("Je confirme la suppression de cette consigne (les documents restent).", "I confirm this entry is deleted (the documents stay).")) }
                    div.actions { button.danger type="submit" { (lang.t("Supprimer la consigne", "Delete the entry")) } }
                }
            }
            p { a href="/staff/cahier" { (lang.t("← Mes consignes", "← My entries")) } }
        },
    )
}

/// A document as a checkbox of the form.
fn pick(document: &Document, checked: bool, lang: crate::web::lang::Lang) -> Markup {
    html! {
        li {
            label.inline {
                input type="checkbox" name="document" value=(document.id) checked[checked];
                " " (document.title)
                " " span.meta {
                    "(" @if let Some(subject) = &document.subject { (subject) ", " }
                    (document.format.label())
                    @if document.visibility == crate::model::Visibility::Staff { ", " (lang.t("personnel seulement", "staff only")) }
                    ")"
                }
            }
        }
    }
}
