//! Every page of today's site a family or the staff can reach, visited in one window: the family
//! pages first (with a basket filled by its button), then, logged in as the admin, the staff
//! pages. Each page is checked to answer 200 before the caller looks at it.

use serde_json::Value;

use super::page::Page;
use super::site::{Site, ADMIN};

/// The pages, in visiting order; `staff` ones need the admin logged in.
pub fn pages(site: &Site) -> Vec<(String, bool)> {
    let family = [
        "/".to_owned(),
        "/niveaux/2nde".to_owned(),
        "/niveaux/2nde?matiere=Math%C3%A9matiques".to_owned(),
        "/recherche?q=fonctions".to_owned(),
        format!("/documents/{}", site.long_title),
        format!("/documents/{}/lire", site.affine),
        "/nouveautes".to_owned(),
        "/panier".to_owned(),
        site.ticket.clone(),
        "/connexion".to_owned(),
        "/kiosque".to_owned(),
        "/kiosque/cle".to_owned(),
        "/kiosque/cle/2nde".to_owned(),
        "/kiosque/trouver?q=fonctions".to_owned(),
        "/kiosque/impression/2nde".to_owned(),
        "/classes/2nde-b".to_owned(),
        "/classes/2nde".to_owned(),
        "/kiosque/classes/2nde-b".to_owned(),
    ];
    let staff = [
        "/staff/upload".to_owned(),
        "/staff/documents".to_owned(),
        format!("/staff/documents/{}", site.long_title),
        "/staff/impressions".to_owned(),
        "/staff/admin".to_owned(),
        "/staff/cahier".to_owned(),
        "/staff/cahier/nouvelle".to_owned(),
    ];
    family
        .into_iter()
        .map(|p| (p, false))
        .chain(staff.into_iter().map(|p| (p, true)))
        .collect()
}

/// Visits every page of [`pages`] and calls `look` on each once it has loaded.
pub async fn visit(page: &Page, site: &Site, mut look: impl AsyncFnMut(&Page, &str)) {
    let mut logged_in = false;
    for (path, staff) in pages(site) {
        if staff && !logged_in {
            log_in(page, ADMIN).await;
            logged_in = true;
        }
        if path == "/panier" {
            fill_basket(page).await;
        }
        page.goto(&path).await;
        assert_eq!(page.status().await, 200, "{path} answers");
        look(page, &path).await;
    }
}

/// Puts the 2nde documents in the basket with the level page's button, as a family does.
pub async fn fill_basket(page: &Page) {
    page.goto("/niveaux/2nde").await;
    page.click_labelled("Mettre ces").await;
    page.wait_for_path("/panier").await;
}

/// Logs in through the form, as a person types it.
pub async fn log_in(page: &Page, (login, password): (&str, &str)) {
    page.goto("/connexion").await;
    page.type_into("#login", login).await;
    page.type_into("#password", password).await;
    page.click_labelled("Se connecter").await;
    // The form answers with a redirection to the staff pages, or with itself and a message.
    page.wait_for_path("/staff/").await;
}

/// How wide the page is laid out, and the elements sticking out past the window's right edge
/// (the deepest ones, which are the ones to fix), described for a report.
pub struct Width {
    pub page: u32,
    pub window: u32,
    pub culprits: Vec<String>,
}

pub async fn width(page: &Page) -> Width {
    let measured = page
        .script(
            // The layout viewport: a phone zooms out over a page wider than itself, which
            // widens innerWidth with it.
            "const limit = document.documentElement.clientWidth;
             // Boxes past the right edge, and boxes whose own content (a long word) overflows.
             const out = [...document.querySelectorAll('body *')].filter(e =>
                 e.getBoundingClientRect().right > limit + 0.5
                 || (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1
                     && getComputedStyle(e).overflowX === 'visible'));
             const deepest = out.filter(e => !out.some(o => o !== e && e.contains(o)));
             const describe = e => {
                 const classes = [...e.classList].map(c => '.' + c).join('');
                 const text = (e.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
                 const right = Math.round(e.getBoundingClientRect().right);
                 const inside = e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0 ? `, content ${e.scrollWidth} px in ${e.clientWidth}` : '';
                 return `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${classes} (right edge ${right} px${inside}) « ${text} »`;
             };
             return {
                 page: document.documentElement.scrollWidth,
                 window: limit,
                 culprits: deepest.slice(0, 4).map(describe),
             };",
        )
        .await;
    let number = |v: &Value| v.as_u64().expect("a width") as u32;
    Width {
        page: number(&measured["page"]),
        window: number(&measured["window"]),
        culprits: measured["culprits"]
            .as_array()
            .map(|c| {
                c.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
    }
}
