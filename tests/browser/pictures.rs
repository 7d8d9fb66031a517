//! Screenshots of the pages a family and the desk see most, one window-sized PNG per page and
//! screen (`phone-home.png`, `desktop-search.png`...), for the README: `tools/screenshots.sh`
//! writes them into docs/screenshots/.

use std::path::Path;

use super::chrome::{Chrome, Screen};
use super::page::Page;
use super::site::{Site, ADMIN};
use super::tour::{fill_basket, log_in};

/// Takes the pictures at `screen` size into `folder`.
pub async fn take(chrome: &Chrome, site: &Site, screen: Screen, folder: &Path) {
    let page = chrome.open(site.base(), screen).await;
    let family = [
        ("home", "/".to_owned()),
        ("search", "/recherche?q=fonctions".to_owned()),
        ("document", format!("/documents/{}", site.affine)),
        // Not there before issue #10's kiosk: skipped while it answers 404.
        ("kiosk", "/kiosque".to_owned()),
        ("class", "/classes/2nde-b".to_owned()),
    ];
    for (name, path) in family {
        shoot(&page, name, &path, folder).await;
    }
    fill_basket(&page).await;
    shoot(&page, "basket", "/panier", folder).await;
    log_in(&page, ADMIN).await;
    shoot(&page, "upload", "/staff/upload", folder).await;
    shoot(&page, "print-queue", "/staff/impressions", folder).await;
    shoot(&page, "homework-form", "/staff/cahier/nouvelle", folder).await;
    page.close().await;
}

async fn shoot(page: &Page, name: &str, path: &str, folder: &Path) {
    page.goto(path).await;
    let status = page.status().await;
    if status != 200 {
        eprintln!("no picture of {path}: it answers {status}");
        return;
    }
    let png = page.screenshot().await;
    let decoder = png::Decoder::new(std::io::Cursor::new(&png));
    let reader = decoder.read_info().expect("a PNG");
    let (width, height) = (reader.info().width, reader.info().height);
    let screen = page.screen;
    assert_eq!(
        (width, height),
        (screen.width(), screen.height()),
        "the picture of {path} is the window, not the whole page"
    );
    let file = folder.join(format!("{}-{name}.png", screen.name()));
    std::fs::write(&file, &png).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
}
