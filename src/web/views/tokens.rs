//! "Mes jetons d'API": the tokens scripts use, each with its id, label, dates and a revoke
//! button; a form to make one; the secret of one just made, shown this once.

use maud::{html, Markup};
use time::OffsetDateTime;

use crate::model::ApiToken;
use crate::service::NewToken;
use crate::web::lang::Lang;
use crate::web::wording;

use super::layout::page;
use super::Frame;

pub struct TokensView<'a> {
    pub csrf: &'a str,
    /// An admin's list holds every account's tokens: it names each one's account.
    pub all_accounts: bool,
    pub tokens: &'a [ApiToken],
    /// The id of the token the last form revoked.
    pub revoked: Option<&'a str>,
    /// The token the form just made.
    pub created: Option<&'a NewToken>,
}

fn day(seconds: i64, lang: Lang) -> String {
    OffsetDateTime::from_unix_timestamp(seconds)
        .map(|moment| wording::day(moment, lang))
        .unwrap_or_default()
}

fn page_title(lang: Lang) -> &'static str {
    lang.t("Jetons d'API", "API tokens")
}

pub fn tokens(frame: &Frame<'_>, view: &TokensView<'_>) -> Markup {
    let lang = frame.lang;
    page(
        frame,
        page_title(lang),
        html! {
            h1 { (page_title(lang)) }
            @if let Some(id) = view.revoked {
                div.notice.ok role="status" { (lang.t("Jeton révoqué : ", "Token revoked: ")) (id) }
            }
            @if let Some(new) = view.created {
                div.notice.ok role="status" {
                    p { (lang.t("Jeton créé : ", "Token created: ")) (new.id) ". "
                        (lang.t("Copiez-le maintenant, il ne sera plus affiché :", "Copy it now, it will not be shown again:")) }
                    p { code.token { (new.token) } }
                    p.hint { (lang.t("Les scripts l'envoient dans l'en-tête « Authorization: Bearer <jeton> ».",
                                      "Scripts send it in the \"Authorization: Bearer <token>\" header.")) }
                }
            }
            p { (lang.t("Un jeton permet à un script (emploi du temps, dépôt automatique) d'utiliser l'API à votre place. Changer le mot de passe d'un compte révoque tous ses jetons.",
                        "A token lets a script (timetable, automatic upload) use the API on your behalf. Changing an account's password revokes all its tokens.")) }
            @if view.tokens.is_empty() {
                p.meta { (lang.t("Aucun jeton.", "No token.")) }
            } @else {
                table.stack {
                    thead { tr {
                        th { (lang.t("Jeton", "Token")) }
                        @if view.all_accounts { th { (lang.t("Compte", "Account")) } }
                        th { (lang.t("Nom", "Name")) }
                        th { (lang.t("Créé le", "Created")) }
                        th { (lang.t("Dernier usage", "Last used")) }
                        th { (lang.t("Action", "Action")) }
                    } }
                    tbody {
                        @for token in view.tokens {
                            tr {
                                td { code { (token.id) } }
                                @if view.all_accounts { td data-label=(lang.t("Compte : ", "Account: ")) { (token.login) } }
                                td data-label=(lang.t("Nom : ", "Name: ")) { (token.label.as_deref().unwrap_or("—")) }
                                td data-label=(lang.t("Créé le : ", "Created: ")) { (day(token.created, lang)) }
                                td data-label=(lang.t("Dernier usage : ", "Last used: ")) {
                                    @match token.last_used {
                                        Some(used) => (day(used, lang)),
                                        None => (lang.t("jamais", "never")),
                                    }
                                }
                                td {
                                    form method="post" action={ "/staff/jetons/" (token.id) "/revoquer" } {
                                        input type="hidden" name="csrf" value=(view.csrf);
                                        button.secondary type="submit" { (lang.t("Révoquer", "Revoke")) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h2 { (lang.t("Nouveau jeton", "New token")) }
            form method="post" action="/staff/jetons" {
                input type="hidden" name="csrf" value=(view.csrf);
                label for="label" { (lang.t("Nom du jeton (pour le reconnaître, facultatif)", "Token name (to recognise it, optional)")) }
                input #label type="text" name="label" maxlength="60";
                div.actions { button type="submit" { (lang.t("Créer un jeton", "Create a token")) } }
            }
        },
    )
}
