//! The kiosk screen's pages (`/kiosque`): a frame of their own with large type and targets, a
//! "Terminer" button, and what brings the screen home after a while without a touch — the
//! kiosk script, or a refresh when script is off. The home page, the class chooser shared by
//! the three flows, and the QR codes drawn as inline SVG live here; the flows in the submodules.

pub mod classes;
pub mod copy;
pub mod find;
pub mod print;

use maud::{html, Markup, DOCTYPE};

use crate::model::Level;
use crate::service::{Drive, QrModules};
use crate::web::assets;

use super::layout::encode;
use super::Frame;

/// How a kiosk page reloads without script (the script, when it runs, goes home by itself after
/// a while without a touch and reloads when a stick comes or goes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reload {
    /// Home (clearing the basket) once the idle time has passed.
    Idle,
    /// To `url` after `seconds`: a page waiting for a USB stick looks again (the URL counts the
    /// looks, so the page still goes home once the idle time has passed).
    Watch { seconds: u32, url: String },
    /// The same page every `seconds`, script or not: a copy under way.
    Progress { seconds: u32 },
}

/// What every kiosk page knows besides its content.
#[derive(Debug, Clone)]
pub struct KioskFrame<'a> {
    pub frame: Frame<'a>,
    /// Seconds without a touch before the screen goes home.
    pub idle: u32,
    pub reload: Reload,
    /// The sticks plugged in now, as `/kiosque/cles.json` says them, for the script to notice a
    /// change; `None` where this visitor may not copy to sticks.
    pub drives: Option<String>,
}

/// Where the screen goes after a while without a touch: the basket is cleared there.
pub const RESET_URL: &str = "/kiosque/fin";

pub fn page(kiosk: &KioskFrame<'_>, title: &str, content: Markup) -> Markup {
    let frame = &kiosk.frame;
    let lang = frame.lang;
    let other = lang.other();
    let watching = !matches!(kiosk.reload, Reload::Progress { .. });
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @match &kiosk.reload {
                    Reload::Idle => noscript { meta http-equiv="refresh" content={ (kiosk.idle) ";url=" (RESET_URL) }; }
                    Reload::Watch { seconds, url } => noscript { meta http-equiv="refresh" content={ (seconds) ";url=" (url) }; }
                    Reload::Progress { seconds } => meta http-equiv="refresh" content=(seconds);
                }
                title { (title) " — " (frame.school.name) }
                link rel="stylesheet" href=(assets::style_url());
                script src=(assets::kiosk_script_url()) defer {}
            }
            body.kiosk data-idle=[watching.then_some(kiosk.idle)] data-drives=[kiosk.drives.as_deref()] {
                header.kiosk-top {
                    a.kiosk-school href="/kiosque" { (frame.school.name) }
                    a.kiosk-lang href={ "/langue/" (other.code()) "?retour=" (encode(frame.path)) } lang=(other.code()) {
                        (lang.t("English", "Français"))
                    }
                    a.button.kiosk-end href=(RESET_URL) { (lang.t("Terminer", "Finish")) }
                }
                main.kiosk-main { (content) }
                footer.kiosk-foot {
                    (lang.t("Sans action pendant ", "After ")) (minutes(kiosk.idle, lang))
                    (lang.t(", la borne efface vos choix et revient à l'accueil.", " without a touch, the screen clears your choices and goes back home."))
                }
            }
        }
    }
}

/// "2 minutes", "45 secondes".
fn minutes(seconds: u32, lang: crate::web::lang::Lang) -> String {
    if seconds >= 60 && seconds.is_multiple_of(60) {
        let n = seconds / 60;
        format!("{n} {}", if n == 1 { "minute" } else { "minutes" })
    } else {
        format!("{seconds} {}", lang.t("secondes", "seconds"))
    }
}

/// How busy the server is for families right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crowd {
    Calm,
    Busy,
    /// Families are being asked to wait: phones get the waiting page.
    Full,
}

/// The school Wi-Fi, shown on the kiosk itself only.
#[derive(Debug, Clone)]
pub struct Wifi<'a> {
    pub name: &'a str,
    /// `None` for an open network.
    pub password: Option<&'a str>,
    pub qr: Option<QrModules>,
}

/// Where phones find the site: `cartable.local:8080` and `192.168.1.10:8080`, never loopback.
#[derive(Debug, Clone, Default)]
pub struct Site {
    pub local: Option<String>,
    pub ip: Option<String>,
    pub qr: Option<QrModules>,
}

/// What the home page shows.
#[derive(Debug, Clone)]
pub struct Home<'a> {
    /// `None` on a phone, or before the admin names the Wi-Fi.
    pub wifi: Option<Wifi<'a>>,
    /// Whether this is the kiosk itself (a hint for the admin when the Wi-Fi has no name).
    pub on_kiosk: bool,
    pub site: Site,
    pub busy: Crowd,
    pub drives: &'a [Drive],
}

pub fn home(kiosk: &KioskFrame<'_>, home: &Home<'_>) -> Markup {
    let lang = kiosk.frame.lang;
    page(
        kiosk,
        lang.t("Borne", "Kiosk"),
        html! {
            h1.visually-hidden { (lang.t("Borne du point ressources", "Resource point kiosk")) }
            @if let Some(drive) = home.drives.first() {
                p.kiosk-stick role="status" {
                    (lang.t("Clé USB « ", "USB stick “")) (drive.label) (lang.t(" » branchée : touchez « Copier sur ma clé USB ».", "” plugged in: touch “Copy to my USB stick”."))
                }
            }
            nav.kiosk-choices aria-label=(lang.t("Que voulez-vous faire ?", "What would you like to do?")) {
                @for flow in Flow::ALL {
                    a.kiosk-choice href=(flow.path()) {
                        span.kiosk-choice-title { (flow.title(lang)) }
                        span.kiosk-choice-what { (flow.what(lang)) }
                    }
                }
            }
            (busy(home.busy, lang))
            section.kiosk-phone {
                h2 { (lang.t("Sur votre téléphone", "On your phone")) }
                div.kiosk-codes {
                    @if let Some(wifi) = &home.wifi {
                        div.kiosk-code {
                            h3 { (lang.t("1. Rejoindre le Wi-Fi", "1. Join the Wi-Fi")) }
                            @if let Some(code) = &wifi.qr { (qr(code, lang.t("QR code du Wi-Fi", "Wi-Fi QR code"))) }
                            p { (lang.t("Réseau : ", "Network: ")) strong.kiosk-address { (wifi.name) } }
                            @match wifi.password {
                                Some(password) => p { (lang.t("Mot de passe : ", "Password: ")) strong.kiosk-address.kiosk-secret { (password) } },
                                None => p { (lang.t("Sans mot de passe.", "No password.")) },
                            }
                        }
                    } @else if home.on_kiosk {
                        p.hint { (lang.t("Le nom et le mot de passe du Wi-Fi s'affichent ici quand un administrateur les a saisis (Administration, Établissement).",
                                         "The Wi-Fi's name and password show here once an administrator enters them (Administration, School).")) }
                    }
                    div.kiosk-code {
                        h3 { @if home.wifi.is_some() { (lang.t("2. ", "2. ")) } (lang.t("Ouvrir le site", "Open the site")) }
                        @if let Some(code) = &home.site.qr { (qr(code, lang.t("QR code du site", "Site QR code"))) }
                        @if home.site.local.is_none() && home.site.ip.is_none() {
                            p { (lang.t("Le site n'est pas joignable depuis un téléphone pour l'instant : demandez à l'accueil.",
                                        "The site cannot be reached from a phone right now: ask at the desk.")) }
                        }
                        @if let Some(local) = &home.site.local { p { strong.kiosk-address { (local) } } }
                        @if let Some(ip) = &home.site.ip {
                            p { @if home.site.local.is_some() { (lang.t("ou ", "or ")) } strong.kiosk-address { (ip) } }
                        }
                    }
                }
            }
        },
    )
}

/// "Affluence : calme", and what to do when the Wi-Fi is full.
fn busy(busy: Crowd, lang: crate::web::lang::Lang) -> Markup {
    let (word, class) = match busy {
        Crowd::Calm => (lang.t("calme", "quiet"), "kiosk-busy calm"),
        Crowd::Busy => (lang.t("beaucoup de monde", "busy"), "kiosk-busy busy"),
        Crowd::Full => (
            lang.t(
                "saturé, attente sur les téléphones",
                "full, phones have to wait",
            ),
            "kiosk-busy full",
        ),
    };
    html! {
        div class=(class) role="status" {
            p { (lang.t("Affluence en ce moment : ", "How busy right now: ")) strong { (word) } }
            p {
                @if busy == Crowd::Full { strong { (lang.t("Le Wi-Fi est saturé. ", "The Wi-Fi is full. ")) } }
                @else { (lang.t("Le Wi-Fi est plein ou ne marche pas sur votre téléphone ? ", "Wi-Fi full, or not working on your phone? ")) }
                (lang.t("Pas besoin d'Internet : copiez les documents sur une clé USB ici même, ou venez à l'accueil pour une impression.",
                        "No Internet needed: copy the documents to a USB stick right here, or come to the desk for a printout."))
            }
        }
    }
}

/// The three things a family comes to the kiosk for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Find,
    Copy,
    Print,
}

impl Flow {
    pub const ALL: [Flow; 3] = [Flow::Find, Flow::Copy, Flow::Print];

    pub fn path(self) -> &'static str {
        match self {
            Flow::Find => "/kiosque/trouver",
            Flow::Copy => "/kiosque/cle",
            Flow::Print => "/kiosque/impression",
        }
    }

    pub fn title(self, lang: crate::web::lang::Lang) -> &'static str {
        match self {
            Flow::Find => lang.t("Trouver un document", "Find a document"),
            Flow::Copy => lang.t("Copier sur ma clé USB", "Copy to my USB stick"),
            Flow::Print => lang.t("Demander une impression", "Ask for a printout"),
        }
    }

    fn what(self, lang: crate::web::lang::Lang) -> &'static str {
        match self {
            Flow::Find => lang.t(
                "Cours, exercices et devoirs de votre classe",
                "Lessons, exercises and homework for your year",
            ),
            Flow::Copy => lang.t(
                "Les documents d'une classe, à emporter",
                "A year's documents, to take home",
            ),
            Flow::Print => lang.t(
                "Un numéro à présenter à l'accueil",
                "A number to show at the desk",
            ),
        }
    }
}

/// "Choisissez la classe": the class tiles of a flow, and the family's selection first when it
/// holds documents (copy and print only).
pub fn classes(
    flow: Flow,
    levels: &[Level],
    basket: usize,
    lang: crate::web::lang::Lang,
) -> Markup {
    html! {
        h2 { (lang.t("Choisissez la classe", "Choose the year")) }
        ul.kiosk-classes {
            @if basket > 0 && flow != Flow::Find {
                li { a.kiosk-selection href={ (flow.path()) "/selection" } {
                    (lang.t("Ma sélection", "My selection")) " (" (basket) ")"
                } }
            }
            @for level in levels {
                @let href = match flow {
                    // A family looking for its class's work sees the week's entries first.
                    Flow::Find => super::homework::level_href("/kiosque", level),
                    _ => format!("{}/{}", flow.path(), encode(level.as_str())),
                };
                li { a href=(href) { (level.full_name()) } }
            }
        }
    }
}

/// The class chooser of the copy and print flows.
pub fn chooser(kiosk: &KioskFrame<'_>, flow: Flow, levels: &[Level], basket: usize) -> Markup {
    let lang = kiosk.frame.lang;
    page(
        kiosk,
        flow.title(lang),
        html! {
            h1 { (flow.title(lang)) }
            (classes(flow, levels, basket, lang))
            (back(lang))
        },
    )
}

/// "← Accueil".
pub fn back(lang: crate::web::lang::Lang) -> Markup {
    html! {
        div.kiosk-actions { a.button.secondary href="/kiosque" { (lang.t("← Accueil", "← Home")) } }
    }
}

/// "← Autre classe": back to a flow's class tiles.
pub fn another_class(flow: Flow, lang: crate::web::lang::Lang) -> Markup {
    html! {
        div.kiosk-actions {
            a.button.secondary href=(flow.path()) { (lang.t("← Autre classe", "← Another year")) }
        }
    }
}

pub fn error(kiosk: &KioskFrame<'_>, title: &str, message: &str) -> Markup {
    page(
        kiosk,
        title,
        html! {
            h1 { (title) }
            p.kiosk-lead { (message) }
            (back(kiosk.frame.lang))
        },
    )
}

/// A QR code as inline SVG, black on white with its quiet zone, scaled by the stylesheet.
pub fn qr(code: &QrModules, label: &str) -> Markup {
    let side = code.width + 2 * QUIET_ZONE;
    html! {
        svg.qr xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (side) " " (side) }
            role="img" aria-label=(label) shape-rendering="crispEdges" {
            rect width=(side) height=(side) fill="#fff" {}
            path d=(qr_path(code)) fill="#000" {}
        }
    }
}

/// Modules of light around a code, as the QR standard asks.
const QUIET_ZONE: usize = 4;

/// The dark modules as one SVG path, a rectangle per run of dark modules in a row.
pub fn qr_path(code: &QrModules) -> String {
    let mut d = String::new();
    for y in 0..code.width {
        let mut x = 0;
        while x < code.width {
            if !code.is_dark(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < code.width && code.is_dark(x, y) {
                x += 1;
            }
            let run = x - start;
            d.push_str(&format!(
                "M{} {}h{run}v1h-{run}z",
                start + QUIET_ZONE,
                y + QUIET_ZONE
            ));
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_qr_path_draws_one_rectangle_per_run_of_dark_modules() {
        let code = QrModules {
            width: 3,
            dark: vec![true, true, false, false, false, false, true, false, true],
        };
        assert_eq!(qr_path(&code), "M4 4h2v1h-2zM4 6h1v1h-1zM6 6h1v1h-1z");
    }

    #[test]
    fn idle_times_read_in_minutes_when_they_are_whole() {
        use crate::web::lang::Lang;
        assert_eq!(minutes(120, Lang::Fr), "2 minutes");
        assert_eq!(minutes(60, Lang::Fr), "1 minute");
        assert_eq!(minutes(45, Lang::En), "45 seconds");
    }
}
