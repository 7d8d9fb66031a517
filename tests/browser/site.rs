//! The resource point the browser tests visit: the real binary's `cartable serve` on a new data
//! folder (which seeds its three sample documents), with accounts made by `cartable user add` as
//! an admin would, a document whose title is one long file name, and one print request.

use std::path::{Path, PathBuf};

use crate::common;
use common::served::{run_with_input, Served};
use common::server::Part;

pub const ADMIN: (&str, &str) = ("proviseur", "mot-de-passe-proviseur");
pub const TEACHER: (&str, &str) = ("mme.durand", "mot-de-passe-durand");

/// A file name as CNED packs and teachers' exports write them: the title made from it holds a
/// 36-letter word a phone cannot break.
pub const LONG_FILE_NAME: &str =
    "CNED_2nde_Mathematiques_Sequence03_FonctionsAffinesEtEquationsDeDroites_Corrige.pdf";

pub struct Site {
    pub served: Served,
    _dir: tempfile::TempDir,
    /// The document whose title comes from [`LONG_FILE_NAME`].
    pub long_title: String,
    /// The sample « Les fonctions affines ».
    pub affine: String,
    /// The ticket page of the print request (`/impression/N`).
    pub ticket: String,
    /// Where USB sticks show up (`usb_folder`): a folder made in it is a stick plugged in.
    pub sticks: PathBuf,
}

impl Site {
    pub fn start() -> Site {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let data = dir.path().join("data");
        add_user(&data, ADMIN, "admin");
        add_user(&data, TEACHER, "teacher");
        let token = common::run_cartable(&data, &["user", "token", ADMIN.0]);
        assert!(token.status.success(), "user token: {token:?}");
        let token = String::from_utf8(token.stdout).expect("UTF-8 token");
        let sticks = dir.path().join("sticks");
        std::fs::create_dir(&sticks).expect("the sticks' folder");
        let served = Served::start_with(
            &data,
            &[
                ("CARTABLE_SCHOOL_NAME", "Lycée Jean Moulin"),
                (
                    "CARTABLE_USB_FOLDER",
                    sticks.to_str().expect("a UTF-8 path"),
                ),
            ],
        );

        let pdf = common::pdf_with_lines(&["Coefficient directeur et ordonnée à l'origine"]);
        let authorization = format!("Bearer {}", token.trim());
        let answer = served.browser().post_multipart(
            "/api/documents",
            &[
                Part::Field("level", "2nde"),
                Part::Field("subject", "Mathématiques"),
                Part::File("file", LONG_FILE_NAME, &pdf),
            ],
            &[("Authorization", &authorization)],
        );
        assert_eq!(answer.status, 201, "{}", answer.text());
        let long_title = answer.json()["documents"][0]["id"]
            .as_str()
            .expect("an id")
            .to_owned();

        // The Wi-Fi an admin saves for the kiosk's QR code (and the school's own levels).
        let mut admin = served.browser();
        admin.log_in(ADMIN);
        let csrf = admin.get("/staff/admin").csrf();
        let saved = admin.post_form(
            "/staff/admin/school",
            &[
                ("csrf", csrf.as_str()),
                ("name", "Lycée Jean Moulin"),
                ("wifi_name", "Lycee-Familles"),
                ("wifi_security", "wpa"),
                ("wifi_password", "bienvenue2026"),
                ("levels", "2nde\n1re\nTle"),
                (
                    "subjects",
                    "Mathématiques\nFrançais\nHistoire-Géographie\nSVT",
                ),
            ],
        );
        assert_eq!(saved.status, 303, "{}", saved.text());

        let mut family = served.browser();
        let found = family.get("/api/search?q=fonctions%20affines").json();
        let affine = found["hits"][0]["id"]
            .as_str()
            .expect("the sample")
            .to_owned();
        add_homework(&mut admin, &[&affine, &long_title]);
        let added = family.post_form(
            "/panier",
            &[
                ("action", "ajouter"),
                ("id", &long_title),
                ("retour", "/panier"),
            ],
        );
        assert_eq!(added.status, 303, "{}", added.text());
        let request = family.post_form("/panier/impression", &[]);
        assert_eq!(request.status, 303, "{}", request.text());
        let ticket = request
            .header("location")
            .expect("the ticket's address")
            .to_owned();
        Site {
            served,
            _dir: dir,
            long_title,
            affine,
            ticket,
            sticks,
        }
    }

    pub fn base(&self) -> &str {
        &self.served.base
    }

    pub fn data(&self) -> PathBuf {
        self.served.data.clone()
    }
}

/// `cartable user add LOGIN --role ROLE`, the password on stdin, as an admin types it.
pub fn add_user(data: &Path, (login, password): (&str, &str), role: &str) {
    let output = run_with_input(
        data,
        &["user", "add", login, "--role", role],
        format!("{password}\n").as_bytes(),
    );
    assert!(
        output.status.success(),
        "user add {login}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Two entries of the cahier de texte for 2nde B, today's with both documents and tomorrow's,
/// written through the staff form as a teacher does.
fn add_homework(staff: &mut common::server::Browser, documents: &[&str]) {
    let csrf = staff.get("/staff/cahier/nouvelle").csrf();
    let today = time::OffsetDateTime::now_utc().date();
    for (due, subject, instruction) in [
        (
            today,
            "Mathématiques",
            "Relire le cours sur les fonctions affines puis faire les exercices 12 et 14 p. 87.\nCorrection en classe : https://example.org/maths/affines",
        ),
        (
            today + time::Duration::days(1),
            "Français",
            "Apporter le roman lu pendant les vacances.",
        ),
    ] {
        let due = due.to_string();
        let mut parts = vec![
            Part::Field("csrf", &csrf),
            Part::Field("autres_classes", "2nde B"),
            Part::Field("due", &due),
            Part::Field("subject", subject),
            Part::Field("instruction", instruction),
            Part::Field("action", "enregistrer"),
        ];
        if subject == "Mathématiques" {
            parts.extend(documents.iter().map(|id| Part::Field("document", id)));
        }
        let saved = staff.post_multipart("/staff/cahier/nouvelle", &parts, &[]);
        assert_eq!(saved.status, 303, "{}", saved.text());
    }
}
