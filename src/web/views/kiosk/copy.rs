//! "Copier sur ma clé USB" at the kiosk: a class's documents (or the family's selection), the
//! sticks plugged in with one big button each, then the copy's progress until the stick may be
//! removed.

use maud::{html, Markup};

use crate::service::UsbCopy as Copy;
use crate::service::{Drive, Ejected};
use crate::web::wording;

use super::{another_class, back, page, Flow, KioskFrame, RESET_URL};

/// What the copy page of a pack shows.
#[derive(Debug, Clone)]
pub struct CopyView<'a> {
    /// "2nde", or "Ma sélection".
    pub name: &'a str,
    pub documents: usize,
    pub bytes: u64,
    /// `None`: this visitor may not copy (a phone); else the sticks plugged in now.
    pub drives: Option<&'a [Drive]>,
    /// Where the copy form posts.
    pub action: &'a str,
}

pub fn pack(kiosk: &KioskFrame<'_>, view: &CopyView<'_>) -> Markup {
    let lang = kiosk.frame.lang;
    page(
        kiosk,
        lang.t("Copier sur ma clé USB", "Copy to my USB stick"),
        html! {
            h1 { (lang.t("Copier sur ma clé USB", "Copy to my USB stick")) " — " (view.name) }
            @if view.documents == 0 {
                p.kiosk-lead { (lang.t("Pas encore de document ici.", "No document here yet.")) }
            } @else {
                p.kiosk-lead {
                    (view.documents) " " (lang.t("document(s), ", "document(s), ")) (wording::size(view.bytes, lang))
                }
                @match view.drives {
                    None => p.notice { (lang.t("La copie sur clé USB se fait sur l'écran de la borne, dans le hall.",
                                               "Copying to a USB stick is done on the kiosk screen, in the hall.")) },
                    Some([]) => div.kiosk-plug role="status" {
                        p.kiosk-lead { strong { (lang.t("Branchez votre clé USB sur la borne.", "Plug your USB stick into the kiosk.")) } }
                        p { (lang.t("Elle apparaîtra ici toute seule dans quelques secondes.", "It will show here by itself in a few seconds.")) }
                    },
                    Some(drives) => div.kiosk-actions {
                        @for drive in drives {
                            form method="post" action=(view.action) {
                                input type="hidden" name="cle" value=(drive.mount_point.to_string_lossy());
                                @if drive.free_bytes < view.bytes {
                                    button.kiosk-big type="submit" disabled {
                                        (lang.t("« ", "“")) (drive.label) (lang.t(" » : pas assez de place", "”: not enough room"))
                                        " (" (wording::size(drive.free_bytes, lang)) (lang.t(" libres)", " free)"))
                                    }
                                } @else {
                                    button.kiosk-big type="submit" {
                                        (lang.t("Copier sur la clé « ", "Copy to the stick “")) (drive.label) (lang.t(" »", "”"))
                                    }
                                }
                            }
                        }
                    },
                }
            }
            (another_class(Flow::Copy, lang))
        },
    )
}

pub fn progress(kiosk: &KioskFrame<'_>, copy: &Copy) -> Markup {
    let lang = kiosk.frame.lang;
    page(
        kiosk,
        lang.t("Copie sur clé USB", "Copy to USB stick"),
        html! {
            @match copy {
                Copy::Running { label, done_bytes, total_bytes, .. } => {
                    h1 { (lang.t("Copie en cours…", "Copying…")) }
                    p.kiosk-lead { strong { (lang.t("Ne retirez pas la clé « ", "Do not remove the stick “")) (label) (lang.t(" ».", "”.")) } }
                    progress.kiosk-progress max=(total_bytes.max(&1)) value=(done_bytes) { (done_bytes * 100 / total_bytes.max(&1)) " %" }
                    p { (wording::size(*done_bytes, lang)) " / " (wording::size(*total_bytes, lang)) }
                }
                Copy::Done { label, folder, ejected } => {
                    h1 { (lang.t("Copie terminée", "Copy finished")) }
                    div.notice.ok role="status" {
                        @match ejected {
                            Ejected::Failed(_) => p.kiosk-lead { (lang.t("Attendez que le voyant de la clé « ", "Wait until the light of the stick “")) (label) (lang.t(" » ne clignote plus, puis retirez-la.", "” stops blinking, then remove it.")) },
                            _ => p.kiosk-lead { strong { (lang.t("Vous pouvez retirer la clé « ", "You may remove the stick “")) (label) (lang.t(" ».", "”.")) } },
                        }
                        p { (lang.t("À la maison, ouvrez le dossier « ", "At home, open the folder “")) (folder) (lang.t(" » puis le fichier index.html.", "” then the file index.html.")) }
                    }
                    div.kiosk-actions {
                        a.button.kiosk-big href=(RESET_URL) { (lang.t("Terminer", "Finish")) }
                        a.button.secondary href="/kiosque/cle" { (lang.t("Copier une autre classe", "Copy another year")) }
                    }
                }
                Copy::Failed { label, message } => {
                    h1 { (lang.t("La copie n'a pas pu se faire", "The copy failed")) }
                    div.notice.bad role="alert" {
                        p.kiosk-lead { (lang.t("Clé « ", "Stick “")) (label) (lang.t(" » : ", "”: ")) (message) "." }
                        p { (lang.t("Rien d'incomplet n'est resté sur la clé. Retirez-la et réessayez, ou demandez à l'accueil.",
                                    "Nothing incomplete was left on the stick. Remove it and try again, or ask at the desk.")) }
                    }
                    (back(lang))
                }
            }
        },
    )
}
