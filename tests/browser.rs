//! The resource point through a family's and a teacher's eyes, in a real browser: headless
//! Chromium driven by chromedriver against `cartable serve` on a free port, on a 360 px phone and
//! a desktop screen. Skipped (with a message) where Chromium, chromedriver or axe-core are not
//! installed; `.ci/run` installs them and sets `CI`, which turns a skip into a failure.

mod common;

mod browser {
    pub mod axe;
    pub mod chrome;
    pub mod page;
    pub mod pictures;
    pub mod site;
    pub mod tour;
}

use std::io::Read;

use browser::chrome::{Chrome, Screen};
use browser::site::{Site, TEACHER};
use fantoccini::key::Key;

#[test]
fn a_family_finds_a_document_typed_without_accents_and_reads_it_on_a_phone() {
    let Some(chrome) = Chrome::start() else {
        return;
    };
    let site = Site::start();
    chrome.run(async |chrome| {
        let phone = chrome.open(site.base(), Screen::Phone).await;
        phone.goto("/").await;
        phone.type_into("#q", "methode reviser").await;
        phone.press(Key::Enter).await;
        phone.wait_for_path("/recherche?q=methode").await;
        phone.click_labelled("Fiche méthode").await;
        let document = phone.wait_for_path("/documents/").await;
        let title = phone.text_of("h1").await;
        assert!(title.contains("réviser efficacement"), "{title}");
        let shown = phone.text().await;
        assert!(
            shown.contains("Relire le cours le soir même"),
            "the page shows the beginning of the document: {shown}"
        );

        phone.click_labelled("Lire").await;
        phone.wait_for_path(&format!("{document}/lire")).await;
        let reading = phone.text().await;
        assert!(
            reading.contains("Refaire les exercices corrigés")
                && reading.contains("gardez vos fiches"),
            "the reading view shows the whole text: {reading}"
        );
        // The sheet's numbered steps stay a list, not one run of text.
        let steps = phone
            .script("return document.querySelectorAll('main ol > li').length;")
            .await;
        assert_eq!(steps.as_u64(), Some(5), "the reading view keeps the list");
        let width = browser::tour::width(&phone).await;
        assert!(
            width.page <= 360,
            "the reading view is {} px wide: {:?}",
            width.page,
            width.culprits
        );
        phone.close().await;
    });
}

#[test]
fn a_family_fills_a_basket_and_gets_the_zip() {
    let Some(chrome) = Chrome::start() else {
        return;
    };
    let site = Site::start();
    chrome.run(async |chrome| {
        let phone = chrome.open(site.base(), Screen::Phone).await;
        phone.goto("/recherche?q=fonctions+affines").await;
        phone.click_labelled("Mathématiques, seconde").await;
        phone.wait_for_path("/documents/").await;
        phone.click_labelled("Ajouter au panier").await;
        phone.wait_for_path("/panier").await;
        phone.goto("/recherche?q=bienvenue").await;
        phone.click_labelled("Bienvenue sur cartable").await;
        phone.wait_for_path("/documents/").await;
        phone.click_labelled("Ajouter au panier").await;
        phone.wait_for_path("/panier").await;
        let basket = phone.text().await;
        assert!(basket.contains("2 document(s)"), "{basket}");

        phone.click_labelled("Télécharger tout (zip").await;
        let zip = phone.downloaded("zip").await;
        let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap())
            .unwrap_or_else(|e| panic!("{} is not a zip: {e}", zip.display()));
        let names: Vec<String> = archive
            .file_names()
            .map(|name| name.expect("a file name").into_owned())
            .collect();
        assert!(names.contains(&"index.html".to_owned()), "{names:?}");
        let named = |wanted: &str| {
            names
                .iter()
                .find(|n| n.ends_with(".md") && n.contains(wanted))
                .unwrap_or_else(|| panic!("{wanted} in the zip: {names:?}"))
        };
        named("Bienvenue sur cartable");
        let name = named("les fonctions affines");
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert!(
            text.contains("Une fonction affine est une fonction"),
            "{text}"
        );
        phone.close().await;
    });
}

#[test]
fn at_the_kiosk_a_family_copies_its_class_to_a_usb_stick_in_three_taps() {
    let Some(chrome) = Chrome::start() else {
        return;
    };
    let site = Site::start();
    chrome.run(async |chrome| {
        let kiosk = chrome.open(site.base(), Screen::Desktop).await;
        kiosk.goto("/kiosque").await;
        kiosk.click_labelled("Copier sur ma clé USB").await;
        kiosk.click_labelled("Seconde").await;
        kiosk.wait_for_text("Branchez votre clé USB").await;
        // The stick is plugged in: the page's script notices and offers it, no tap needed.
        let stick = site.sticks.join("CLE DE LEA");
        std::fs::create_dir(&stick).unwrap();
        kiosk
            .wait_for_text("Copier sur la clé « CLE DE LEA »")
            .await;
        kiosk.click_labelled("Copier sur la clé").await;
        let done = kiosk.wait_for_text("Copie terminée").await;
        assert!(done.contains("CLE DE LEA"), "{done}");
        kiosk.close().await;
    });
    let copied: Vec<String> = common::files_under(&site.sticks.join("CLE DE LEA"))
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(copied.iter().any(|n| n == "index.html"), "{copied:?}");
    assert!(
        copied.iter().any(|n| n.contains("fonctions affines")),
        "the class's documents are on the stick: {copied:?}"
    );
}

#[test]
fn a_teacher_logs_in_and_uploads_two_files_through_the_form() {
    let Some(chrome) = Chrome::start() else {
        return;
    };
    let site = Site::start();
    let files = tempfile::tempdir().unwrap();
    let pdf = files.path().join("Photosynthèse - cours.pdf");
    std::fs::write(&pdf, common::pdf()).unwrap();
    let docx = files.path().join("La Révolution française.docx");
    std::fs::write(&docx, common::docx()).unwrap();
    chrome.run(async |chrome| {
        let desktop = chrome.open(site.base(), Screen::Desktop).await;
        browser::tour::log_in(&desktop, TEACHER).await;
        desktop.goto("/staff/upload").await;
        desktop.click("input[name=level][value='1re']").await;
        desktop.choose("#subject", "Histoire-Géographie").await;
        // Two files in one go, as a file chooser with two selected gives them.
        let both = format!("{}\n{}", pdf.display(), docx.display());
        desktop.type_into("#file", &both).await;
        // The form's button (the header's « Déposer » link comes first).
        desktop
            .click("form[action='/staff/upload'] button[type=submit]")
            .await;
        let result = desktop.wait_for_text("Résultat du dépôt").await;
        assert!(!result.contains("refusé"), "{result}");

        desktop.goto("/staff/documents").await;
        let mine = desktop.text().await;
        for title in ["Photosynthèse", "Révolution française"] {
            assert!(
                mine.contains(title),
                "{title} in the teacher's list: {mine}"
            );
        }
        desktop.close().await;
    });
    let found = common::run_cartable(&site.data(), &["search", "photosynthese", "--json"]);
    assert!(
        String::from_utf8_lossy(&found.stdout).contains("Photosynth"),
        "the uploaded PDF is searchable: {found:?}"
    );
}

#[test]
fn the_family_pages_work_with_javascript_switched_off() {
    let Some(chrome) = Chrome::start() else {
        return;
    };
    let site = Site::start();
    chrome.run(async |chrome| {
        let phone = chrome.open_with(site.base(), Screen::Phone, false).await;
        // Proof that scripts are really off in this window: <noscript> content is shown.
        phone
            .goto("data:text/html,<noscript><p id=off>off</p></noscript>")
            .await;
        assert!(phone.shows("#off").await);

        phone.goto("/").await;
        phone.type_into("#q", "fonction afine").await;
        phone.click_labelled("Rechercher").await;
        phone.wait_for_path("/recherche?q=fonction").await;
        phone.click_labelled("Mathématiques, seconde").await;
        phone.wait_for_path("/documents/").await;
        phone.click_labelled("Ajouter au panier").await;
        phone.wait_for_path("/panier").await;
        let basket = phone.text().await;
        assert!(
            basket.contains("1 document(s)") && basket.contains("les fonctions affines"),
            "{basket}"
        );
        phone.click_labelled("Retirer").await;
        phone.wait_for_text("Le panier est vide").await;
        phone.close().await;
    });
}

#[test]
fn no_page_is_wider_than_a_360_px_phone() {
    let Some(chrome) = Chrome::start() else {
        return;
    };
    let site = Site::start();
    chrome.run(async |chrome| {
        let phone = chrome.open(site.base(), Screen::Phone).await;
        let mut widths = Vec::new();
        browser::tour::visit(&phone, &site, async |page, path| {
            widths.push((path.to_owned(), browser::tour::width(page).await));
        })
        .await;
        let mut report = String::new();
        for (path, width) in &widths {
            report.push_str(&format!("{:>5} px  {path}\n", width.page));
            for culprit in &width.culprits {
                report.push_str(&format!("          {culprit}\n"));
            }
        }
        eprintln!("page widths on a 360 px phone:\n{report}");
        assert!(
            widths.iter().all(|(_, w)| w.window == 360),
            "the phone's window is 360 px wide:\n{report}"
        );
        let wide: Vec<&str> = widths
            .iter()
            .filter(|(_, w)| w.page > 360)
            .map(|(path, _)| path.as_str())
            .collect();
        assert!(
            wide.is_empty(),
            "wider than the phone (widths above): {wide:?}"
        );
        phone.close().await;
    });
}

#[test]
fn every_page_passes_axe_with_a_language_and_image_alternatives() {
    let Some(chrome) = Chrome::start() else {
        return;
    };
    let Some(axe) = browser::axe::source() else {
        return;
    };
    let site = Site::start();
    chrome.run(async |chrome| {
        let phone = chrome.open(site.base(), Screen::Phone).await;
        // First a page with known faults, to see that axe really runs and can fail.
        phone
            .goto("data:text/html,<title>x</title><img src=x.png><a href=/></a>")
            .await;
        let faults: Vec<String> = browser::axe::check(&phone, &axe)
            .await
            .into_iter()
            .filter(|v| v.is_serious())
            .map(|v| v.rule)
            .collect();
        for rule in ["html-has-lang", "image-alt", "link-name"] {
            assert!(faults.iter().any(|f| f == rule), "{rule} not seen: {faults:?}");
        }

        let mut report = String::new();
        let mut serious = 0;
        browser::tour::visit(&phone, &site, async |page, path| {
            let lang = page.script("return document.documentElement.lang;").await;
            assert!(
                lang.as_str().is_some_and(|l| !l.is_empty()),
                "{path} has no lang"
            );
            let bare = page
                .script("return [...document.images].filter(i => !i.hasAttribute('alt')).map(i => i.src);")
                .await;
            assert_eq!(bare, serde_json::json!([]), "images of {path} without alt");
            for violation in browser::axe::check(page, &axe).await {
                serious += usize::from(violation.is_serious());
                report.push_str(&format!("{path}: {violation}\n"));
            }
        })
        .await;
        eprintln!("axe-core (wcag2a, wcag2aa, wcag21aa):\n{report}");
        assert_eq!(serious, 0, "serious or critical violations:\n{report}");
        phone.close().await;
    });
}

#[test]
fn the_keyboard_alone_finds_and_opens_a_document() {
    let Some(chrome) = Chrome::start() else {
        return;
    };
    let site = Site::start();
    chrome.run(async |chrome| {
        let desktop = chrome.open(site.base(), Screen::Desktop).await;
        desktop.goto("/").await;
        tab_to(&desktop, "input#q", 12).await;
        desktop.type_text("fonctions affines").await;
        desktop.press(Key::Enter).await;
        desktop.wait_for_path("/recherche?q=fonctions").await;
        tab_to(&desktop, "a.title", 30).await;
        desktop.press(Key::Enter).await;
        desktop.wait_for_path("/documents/").await;
        let title = desktop.text_of("h1").await;
        assert!(title.contains("fonctions affines"), "{title}");
        desktop.close().await;
    });
}

/// Presses Tab until the focus is on an element matching `css`, at most `limit` times; every
/// element the focus stops on must show it (an outline or a shadow).
async fn tab_to(page: &browser::page::Page, css: &str, limit: usize) {
    let mut visited = Vec::new();
    for _ in 0..limit {
        page.press(Key::Tab).await;
        let focus = page
            .script(&format!(
                "const e = document.activeElement;
                 const style = getComputedStyle(e);
                 const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
                 return {{
                     it: e.matches({css:?}),
                     shown: outlined || style.boxShadow !== 'none',
                     what: e.tagName.toLowerCase() + ' « ' + (e.textContent || e.name || '').trim().slice(0, 30) + ' »',
                 }};"
            ))
            .await;
        let what = focus["what"].as_str().unwrap_or_default().to_owned();
        assert_eq!(
            focus["shown"], true,
            "the focus on {what} is not visible (after {visited:?})"
        );
        if focus["it"] == true {
            return;
        }
        visited.push(what);
    }
    panic!("{limit} Tabs do not reach {css}: {visited:?}");
}

#[test]
fn pictures_of_the_main_pages_at_phone_and_desktop_sizes() {
    let Some(chrome) = Chrome::start() else {
        return;
    };
    let site = Site::start();
    // tools/screenshots.sh sets the folder to docs/screenshots; otherwise they are only checked.
    let scratch = tempfile::tempdir().unwrap();
    let folder = std::env::var_os("CARTABLE_SCREENSHOTS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| scratch.path().to_owned());
    chrome.run(async |chrome| {
        for screen in [Screen::Phone, Screen::Desktop] {
            browser::pictures::take(chrome, &site, screen, &folder).await;
        }
    });
}
