//! The pages staff use: login, first-admin setup, upload, their documents, editing, admin.

use maud::{html, Markup};

use crate::model::{Account, Document, School, TextStatus, Visibility};
use crate::web::lang::Lang;
use crate::web::wording;

use super::layout::page;
use super::{pager, Frame, Pages};

/// What the login form shows.
pub struct LoginView<'a> {
    pub problem: Option<&'a str>,
    /// A success message (the first admin was just created).
    pub notice: Option<&'a str>,
    /// The login typed before, kept after a wrong password.
    pub login: &'a str,
    pub csrf: &'a str,
    /// The page to come back to once logged in.
    pub back: &'a str,
}

pub fn login(frame: &Frame<'_>, view: &LoginView<'_>) -> Markup {
    let lang = frame.lang;
    page(
        frame,
        lang.t("Connexion", "Log in"),
        html! {
            h1 { (lang.t("Espace enseignants", "Staff login")) }
            @if let Some(notice) = view.notice { div.notice.ok role="status" { (notice) } }
            @if let Some(problem) = view.problem { div.notice.bad role="alert" { (problem) } }
            form method="post" action="/connexion" {
                input type="hidden" name="csrf" value=(view.csrf);
                input type="hidden" name="retour" value=(view.back);
                label for="login" { (lang.t("Identifiant", "Login")) }
                input #login type="text" name="login" value=(view.login) autocomplete="username" required;
                label for="password" { (lang.t("Mot de passe", "Password")) }
                input #password type="password" name="password" autocomplete="current-password" required;
                div.actions { button type="submit" { (lang.t("Se connecter", "Log in")) } }
            }
            p.hint { (lang.t("Les familles n'ont pas besoin de compte : tous les documents publics sont sur l'accueil.",
                             "Families need no account: every public document is on the home page.")) }
        },
    )
}

pub fn setup(frame: &Frame<'_>, token: &str, problem: Option<&str>) -> Markup {
    let lang = frame.lang;
    page(
        frame,
        lang.t("Premier administrateur", "First administrator"),
        html! {
            h1 { (lang.t("Créer le premier compte administrateur", "Create the first administrator account")) }
            @if let Some(problem) = problem { div.notice.bad role="alert" { (problem) } }
            form method="post" action={ "/setup/" (token) } {
                label for="login" { (lang.t("Identifiant", "Login")) }
                input #login type="text" name="login" autocomplete="username" required;
                label for="password" { (lang.t("Mot de passe (8 caractères au moins)", "Password (8 characters or more)")) }
                input #password type="password" name="password" autocomplete="new-password" required minlength="8";
                div.actions { button type="submit" { (lang.t("Créer le compte", "Create the account")) } }
            }
        },
    )
}

/// Fields shared by the upload and edit forms.
fn metadata_fields(lang: Lang, school: &School, document: Option<&Document>) -> Markup {
    let chosen = |level: &crate::model::Level| document.is_some_and(|d| d.levels.contains(level));
    html! {
        fieldset {
            legend { (lang.t("Classes", "Years")) }
            @for level in &school.levels {
                label { input type="checkbox" name="level" value=(level) checked[chosen(level)]; " " (level) }
            }
        }
        label for="class" { (lang.t("Groupe (facultatif, ex. 2nde B)", "Class (optional, e.g. 2nde B)")) }
        input #class type="text" name="class" value=[document.and_then(|d| d.class.as_deref())];
        label for="subject" { (lang.t("Matière", "Subject")) }
        select #subject name="subject" {
            option value="" { "—" }
            @for subject in &school.subjects {
                option value=(subject) selected[document.and_then(|d| d.subject.as_ref()) == Some(subject)] { (subject) }
            }
        }
        label for="due" { (lang.t("À faire pour (facultatif)", "Due date (optional)")) }
        input #due type="date" name="due" value=[document.and_then(|d| d.due).map(wording::iso_date)];
        label for="visibility" { (lang.t("Visible par", "Visible to")) }
        select #visibility name="visibility" {
            option value="public" selected[document.is_none_or(|d| d.visibility == Visibility::Public)] { (lang.t("Tout le monde (familles)", "Everyone (families)")) }
            option value="staff" selected[document.is_some_and(|d| d.visibility == Visibility::Staff)] { (lang.t("Personnel seulement", "Staff only")) }
        }
    }
}

pub fn upload_form(frame: &Frame<'_>, csrf: &str, max_upload_bytes: u64) -> Markup {
    let lang = frame.lang;
    page(
        frame,
        lang.t("Déposer des documents", "Upload documents"),
        html! {
            h1 { (lang.t("Déposer des documents", "Upload documents")) }
            form method="post" action="/staff/upload" enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(csrf);
                label for="title" { (lang.t("Titre (facultatif, pour un seul fichier : sinon pris dans chaque document ; modifiable ensuite)", "Title (optional, for a single file: otherwise taken from each document; editable later)")) }
                input #title type="text" name="title";
                (metadata_fields(lang, frame.school, None))
                label for="file" { (lang.t("Fichiers", "Files")) }
                input #file type="file" name="file" multiple required;
                p.hint { (lang.t("PDF, Word, OpenDocument, PowerPoint, Excel, HTML, texte ou images ; ", "PDF, Word, OpenDocument, PowerPoint, Excel, HTML, text or images; "))
                         (wording::size(max_upload_bytes, lang)) (lang.t(" au plus par fichier.", " at most per file.")) }
                div.actions { button type="submit" { (lang.t("Déposer", "Upload")) } }
            }
        },
    )
}

/// What happened to one uploaded file.
pub enum UploadResult {
    Added(Document),
    Duplicate(Document),
    Refused { file_name: String, reason: String },
}

pub fn upload_results(frame: &Frame<'_>, results: &[UploadResult]) -> Markup {
    let lang = frame.lang;
    page(
        frame,
        lang.t("Dépôt terminé", "Upload done"),
        html! {
            h1 { (lang.t("Résultat du dépôt", "Upload result")) }
            ul.documents {
                @for result in results {
                    li {
                        @match result {
                            UploadResult::Added(document) => {
                                @if document.text_status == TextStatus::Ok {
                                    div.notice.ok { (lang.t("Ajouté : ", "Added: ")) a href={ "/documents/" (document.id) } { (document.title) } }
                                } @else {
                                    div.notice.warn {
                                        (lang.t("Enregistré, mais sans texte lisible : ", "Stored, but without readable text: "))
                                        a href={ "/documents/" (document.id) } { (document.title) }
                                        " (" (document.text_reason.as_deref().unwrap_or("")) "). "
                                        (lang.t("Les familles pourraient ne pas réussir à l'ouvrir ; il ne sera trouvé que par son titre.",
                                                "Families may not be able to open it; it will be found by its title only."))
                                    }
                                }
                            }
                            UploadResult::Duplicate(document) => {
                                div.notice { (lang.t("Déjà présent : ", "Already there: ")) a href={ "/documents/" (document.id) } { (document.title) } }
                            }
                            UploadResult::Refused { file_name, reason } => {
                                div.notice.bad { (lang.t("Refusé : ", "Refused: ")) (file_name) " — " (reason) }
                            }
                        }
                    }
                }
            }
            div.actions {
                a.button href="/staff/upload" { (lang.t("Déposer d'autres fichiers", "Upload more files")) }
                a.button.secondary href="/staff/documents" { (lang.t("Mes documents", "My documents")) }
            }
        },
    )
}

/// What "Mes documents" shows.
pub struct MyDocuments<'a> {
    pub documents: &'a [Document],
    /// Every document (an admin) rather than one's own.
    pub all: bool,
    pub pages: Pages,
    /// A document was just deleted: say so.
    pub deleted: bool,
}

pub fn my_documents(frame: &Frame<'_>, view: &MyDocuments<'_>) -> Markup {
    let (documents, all, pages) = (view.documents, view.all, view.pages);
    let lang = frame.lang;
    let heading = if all {
        lang.t("Tous les documents", "All documents")
    } else {
        lang.t("Mes documents", "My documents")
    };
    page(
        frame,
        heading,
        html! {
            h1 { (heading) }
            @if view.deleted { div.notice.ok role="status" { (lang.t("Document supprimé.", "Document deleted.")) } }
            @if documents.is_empty() {
                p { (lang.t("Aucun document pour l'instant.", "No document yet.")) " " a href="/staff/upload" { (lang.t("Déposer des documents", "Upload documents")) } }
            } @else {
                table.stack {
                    thead { tr { th { (lang.t("Titre", "Title")) } th { (lang.t("Classes", "Years")) } th { (lang.t("Téléchargements", "Downloads")) } th { (lang.t("Actions", "Actions")) } } }
                    tbody {
                        @for document in documents {
                            tr {
                                td { a href={ "/documents/" (document.id) } { (document.title) }
                                     @if document.visibility == Visibility::Staff { " " span.meta { (lang.t("(personnel)", "(staff)")) } } }
                                td data-label=(lang.t("Classes : ", "Years: ")) { (document.levels.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(", ")) }
                                td data-label=(lang.t("Téléchargements : ", "Downloads: ")) { (document.downloads) }
                                td { a.button.secondary href={ "/staff/documents/" (document.id) } { (lang.t("Modifier", "Edit")) } }
                            }
                        }
                    }
                }
            }
            (pager(lang, pages, |page| format!("/staff/documents?page={page}")))
        },
    )
}

pub fn edit(frame: &Frame<'_>, csrf: &str, document: &Document) -> Markup {
    let lang = frame.lang;
    page(
        frame,
        lang.t("Modifier", "Edit"),
        html! {
            h1 { (lang.t("Modifier : ", "Edit: ")) (document.title) }
            form method="post" action={ "/staff/documents/" (document.id) } {
                input type="hidden" name="csrf" value=(csrf);
                label for="title" { (lang.t("Titre", "Title")) }
                input #title type="text" name="title" value=(document.title) required;
                (metadata_fields(lang, frame.school, Some(document)))
                div.actions { button type="submit" { (lang.t("Enregistrer", "Save")) } }
            }
            h2 { (lang.t("Remplacer le fichier", "Replace the file")) }
            p.hint { (lang.t("Le lien du document ne change pas.", "The document's link does not change.")) }
            form method="post" action={ "/staff/documents/" (document.id) "/file" } enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(csrf);
                label for="file" { (lang.t("Nouveau fichier", "New file")) }
                input #file type="file" name="file" required;
                div.actions { button.secondary type="submit" { (lang.t("Remplacer", "Replace")) } }
            }
            h2 { (lang.t("Supprimer", "Delete")) }
            form method="post" action={ "/staff/documents/" (document.id) "/delete" } {
                input type="hidden" name="csrf" value=(csrf);
                label { input type="checkbox" name="confirm" value="yes" required; " "
                        (lang.t("Je confirme la suppression définitive de ce document.", "I confirm this document is deleted for good.")) }
                div.actions { button.danger type="submit" { (lang.t("Supprimer", "Delete")) } }
            }
        },
    )
}

/// How busy the server is now, for the admin page.
#[derive(Debug, Clone, Copy)]
pub struct Crowd {
    pub families_served: usize,
    pub families_waiting: usize,
    /// Family requests shown the waiting page since the server started.
    pub families_refused: u64,
}

/// What the admin's last form did, said at the top of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminNotice {
    Added(String),
    Disabled(String),
    Enabled(String),
    PasswordChanged(String),
    SchoolSaved,
}

impl AdminNotice {
    /// From the `fait` (the form's action) and `compte` query values of the page's address.
    pub fn from_query(done: &str, login: String) -> Option<AdminNotice> {
        Some(match done {
            "add" => AdminNotice::Added(login),
            "disable" => AdminNotice::Disabled(login),
            "enable" => AdminNotice::Enabled(login),
            "reset" => AdminNotice::PasswordChanged(login),
            "etablissement" => AdminNotice::SchoolSaved,
            _ => return None,
        })
    }

    fn say(&self, lang: Lang) -> String {
        let (fr, en, login) = match self {
            AdminNotice::Added(login) => ("Compte créé : ", "Account created: ", login.as_str()),
            AdminNotice::Disabled(login) => {
                ("Compte désactivé : ", "Account disabled: ", login.as_str())
            }
            AdminNotice::Enabled(login) => {
                ("Compte réactivé : ", "Account enabled: ", login.as_str())
            }
            AdminNotice::PasswordChanged(login) => (
                "Mot de passe changé (ses sessions sont fermées, ses jetons d'API sont révoqués) : ",
                "Password changed (its sessions are closed, its API tokens revoked): ",
                login.as_str(),
            ),
            AdminNotice::SchoolSaved => (
                "Réglages de l'établissement enregistrés.",
                "School settings saved.",
                "",
            ),
        };
        format!("{}{login}", lang.t(fr, en))
    }
}

pub fn admin(
    frame: &Frame<'_>,
    csrf: &str,
    accounts: &[Account],
    crowd: Crowd,
    notice: Option<&AdminNotice>,
) -> Markup {
    let lang = frame.lang;
    let school = frame.school;
    page(
        frame,
        lang.t("Administration", "Administration"),
        html! {
            h1 { (lang.t("Administration", "Administration")) }
            @if let Some(notice) = notice { div.notice.ok role="status" { (notice.say(lang)) } }
            p.crowd {
                (lang.t("En ce moment : ", "Right now: "))
                strong { (crowd.families_served) } (lang.t(" famille(s) servie(s), ", " family request(s) being served, "))
                strong { (crowd.families_waiting) } (lang.t(" en attente", " waiting"))
                @if crowd.families_refused > 0 {
                    " (" (crowd.families_refused) (lang.t(" fois invitées à patienter depuis le démarrage)", " times asked to wait since start-up)"))
                }
                "."
            }
            h2 { (lang.t("Comptes du personnel", "Staff accounts")) }
            table.stack {
                thead { tr { th { (lang.t("Identifiant", "Login")) } th { (lang.t("Rôle", "Role")) } th { (lang.t("Actions", "Actions")) } } }
                tbody {
                    @for account in accounts {
                        tr {
                            td { (account.login) @if account.disabled { " " span.meta { (lang.t("(désactivé)", "(disabled)")) } } }
                            td data-label=(lang.t("Rôle : ", "Role: ")) { (account.role.label()) }
                            td {
                                form method="post" action="/staff/admin/accounts" {
                                    input type="hidden" name="csrf" value=(csrf);
                                    input type="hidden" name="login" value=(account.login);
                                    @if account.disabled {
                                        button.secondary type="submit" name="action" value="enable" { (lang.t("Réactiver", "Enable")) }
                                    } @else {
                                        button.secondary type="submit" name="action" value="disable" { (lang.t("Désactiver", "Disable")) }
                                    }
                                    label for={ "pw-" (account.login) } { (lang.t("Nouveau mot de passe", "New password")) }
                                    input id={ "pw-" (account.login) } type="password" name="password" autocomplete="new-password" minlength="8";
                                    button.secondary type="submit" name="action" value="reset" { (lang.t("Changer le mot de passe", "Reset password")) }
                                }
                            }
                        }
                    }
                }
            }
            h2 { (lang.t("Ajouter un compte", "Add an account")) }
            form method="post" action="/staff/admin/accounts" {
                input type="hidden" name="csrf" value=(csrf);
                label for="new-login" { (lang.t("Identifiant", "Login")) }
                input #new-login type="text" name="login" required;
                label for="new-role" { (lang.t("Rôle", "Role")) }
                select #new-role name="role" { option value="teacher" { (lang.t("enseignant", "teacher")) } option value="admin" { (lang.t("administrateur", "administrator")) } }
                label for="new-password" { (lang.t("Mot de passe (8 caractères au moins)", "Password (8 characters or more)")) }
                input #new-password type="password" name="password" autocomplete="new-password" minlength="8" required;
                div.actions { button type="submit" name="action" value="add" { (lang.t("Ajouter", "Add")) } }
            }
            h2 { (lang.t("Établissement", "School")) }
            form method="post" action="/staff/admin/school" {
                input type="hidden" name="csrf" value=(csrf);
                label for="name" { (lang.t("Nom de l'établissement", "School name")) }
                input #name type="text" name="name" value=(school.name) required;
                label for="wifi_name" { (lang.t("Nom du Wi-Fi (pour le QR code de la borne)", "Wi-Fi name (for the kiosk QR code)")) }
                input #wifi_name type="text" name="wifi_name" value=(school.wifi_name);
                label for="wifi_security" { (lang.t("Sécurité du Wi-Fi", "Wi-Fi security")) }
                select #wifi_security name="wifi_security" {
                    @for security in crate::model::WifiSecurity::ALL {
                        option value=(security.name()) selected[security == school.wifi_security] { (security.label()) }
                    }
                }
                label for="wifi_password" { (lang.t("Mot de passe du Wi-Fi (affiché sur l'écran de la borne seulement, jamais sur un téléphone)", "Wi-Fi password (shown on the kiosk screen only, never on a phone)")) }
                input #wifi_password type="text" name="wifi_password" value=(school.wifi_password);
                label for="levels" { (lang.t("Classes proposées (une par ligne)", "Years offered (one per line)")) }
                textarea #levels name="levels" rows="8" { (school.levels.iter().map(|l| l.to_string()).collect::<Vec<_>>().join("\n")) }
                label for="subjects" { (lang.t("Matières proposées (une par ligne)", "Subjects offered (one per line)")) }
                textarea #subjects name="subjects" rows="10" { (school.subjects.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("\n")) }
                div.actions { button type="submit" { (lang.t("Enregistrer", "Save")) } }
            }
        },
    )
}

pub fn error_page(frame: &Frame<'_>, title: &str, message: &str) -> Markup {
    let lang = frame.lang;
    page(
        frame,
        title,
        html! {
            h1 { (title) }
            p { (message) }
            div.actions { a.button href="/" { (lang.t("Retour à l'accueil", "Back to the home page")) } }
        },
    )
}
