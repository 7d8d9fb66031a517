//! The frame of every page: header with the school's name, the staff links and the language
//! switch, then the page's own content. No script: every page works without JavaScript.

use maud::{html, Markup, DOCTYPE};

use crate::model::School;
use crate::service::Staff;
use crate::web::assets;
use crate::web::lang::Lang;

/// What the frame needs to know about the request.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    pub lang: Lang,
    pub school: &'a School,
    pub staff: Option<&'a Staff>,
    /// The path of this page, for the language switch to come back to.
    pub path: &'a str,
    /// Reload the page after this many seconds (progress pages, which work without script).
    pub refresh: Option<u32>,
}

pub fn page(frame: &Frame<'_>, title: &str, content: Markup) -> Markup {
    let lang = frame.lang;
    let other = lang.other();
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if let Some(seconds) = frame.refresh { meta http-equiv="refresh" content=(seconds); }
                title { (title) " — " (frame.school.name) }
                link rel="stylesheet" href=(assets::style_url());
            }
            body {
                header.top {
                    a.school href="/" { (frame.school.name) }
                    @if let Some(staff) = frame.staff {
                        a href="/staff/upload" { (lang.t("Déposer", "Upload")) }
                        a href="/staff/documents" { (lang.t("Mes documents", "My documents")) }
                        a href="/staff/cahier" { (lang.t("Cahier de texte", "Homework book")) }
                        a href="/staff/impressions" { (lang.t("Impressions", "Printing")) }
                        a href="/staff/jetons" { (lang.t("Jetons d'API", "API tokens")) }
                        @if staff.account.role == crate::model::Role::Admin {
                            a href="/staff/admin" { (lang.t("Administration", "Administration")) }
                        }
                        form method="post" action="/deconnexion" {
                            input type="hidden" name="csrf" value=(staff.csrf);
                            button.link type="submit" { (lang.t("Déconnexion", "Log out")) " (" (staff.account.login) ")" }
                        }
                    } @else {
                        a href="/connexion" { (lang.t("Espace enseignants", "Staff login")) }
                    }
                    a href="/panier" { (lang.t("Panier", "Basket")) }
                    a href={ "/langue/" (other.code()) "?retour=" (encode(frame.path)) } lang=(other.code()) {
                        (lang.t("English", "Français"))
                    }
                }
                main { (content) }
                footer { (lang.t("Point ressources du lycée — ", "School resource point — ")) (frame.school.name) }
            }
        }
    }
}

/// The search box shown on the home and search pages.
pub fn search_box(lang: Lang, query: &str) -> Markup {
    html! {
        form.search method="get" action="/recherche" role="search" {
            label.visually-hidden for="q" { (lang.t("Rechercher un document", "Search for a document")) }
            input #q type="search" name="q" value=(query) maxlength="500"
                placeholder=(lang.t("Cours, exercice, matière…", "Lesson, exercise, subject…"));
            button type="submit" { (lang.t("Rechercher", "Search")) }
        }
    }
}

/// Percent-encodes a value for a query string.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}
