//! The waiting page a family gets when the server is full: a few hundred bytes, no stylesheet
//! or script to fetch, refreshing itself (a GET) after the wait it announces.

use maud::{html, Markup, DOCTYPE};

use crate::web::lang::Lang;

/// `seconds`: the announced wait, also the refresh delay; `refresh`: false for a form that was
/// sent (refreshing would not send it again), which then offers to go back instead.
pub fn page(lang: Lang, seconds: u64, refresh: bool) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if refresh {
                    meta http-equiv="refresh" content=(seconds);
                }
                title { (lang.t("Un instant…", "One moment…")) }
            }
            body {
                h1 { (lang.t("Beaucoup de monde en ce moment", "Many people right now")) }
                @if refresh {
                    p {
                        (lang.t("Votre page s'ouvrira toute seule dans environ ", "Your page will open by itself in about "))
                        strong { (seconds) " s" } "."
                        (lang.t(" Gardez cette page ouverte : vous gardez votre tour.", " Keep this page open: you keep your turn."))
                    }
                } @else {
                    p {
                        (lang.t("Réessayez dans environ ", "Try again in about "))
                        strong { (seconds) " s" }
                        (lang.t(" : revenez en arrière et renvoyez le formulaire.", ": go back and send the form again."))
                    }
                }
                p { a href="/" { (lang.t("Accueil", "Home")) } }
                p { (lang.t("Si le Wi-Fi est saturé, l'accueil peut copier vos documents sur une clé USB ou les imprimer.", "If the Wi-Fi is full, the desk can copy your documents to a USB stick or print them.")) }
            }
        }
    }
}
