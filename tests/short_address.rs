//! The address on a printed pack's cover, as a family uses it: read from the paper (pdftotext),
//! typed into a phone (in any case), landing on the pack's documents. It must be short, reach the
//! server (the address and port the family or the server uses) and never be a loopback address,
//! whether the pack was made on the web or exported from the shell beside the server.

mod common;

use std::path::Path;
use std::process::Command;

use common::served::Served;
use common::server::TestServer;
use common::upload::{pack_with_a_staff_document, upload_one};

/// The text of a PDF's first page (its cover), lines joined by spaces.
fn cover_text(pdf: &[u8]) -> String {
    let saved = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(saved.path(), pdf).unwrap();
    cover_text_of(saved.path())
}

fn cover_text_of(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .args(["-f", "1", "-l", "1"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is installed (apt-get install poppler-utils)");
    assert!(output.status.success());
    String::from_utf8_lossy(&output.stdout).replace('\n', " ")
}

/// The short address after `site` on the cover: `http://site/s/CODE`, read back as a word.
fn short_address(cover: &str, site: &str) -> Option<String> {
    let at = cover.find(&format!("{site}/s/"))?;
    let address: String = cover[at..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    Some(address)
}

#[test]
fn a_pack_made_on_the_web_gives_a_short_address_that_leads_back_to_its_documents() {
    let server = TestServer::start();
    let [photosynthesis, revolution, hidden] = pack_with_a_staff_document(&server);
    let ids = format!("{photosynthesis}.{revolution}.{hidden}");
    let mut family = server.browser();
    // A phone on the school Wi-Fi, which reached the server at this address and port.
    let site = "http://192.168.1.10:8080";
    let pdf = family.get_with(
        &format!("/panier/imprimable.pdf?ids={ids}"),
        &[("Host", "192.168.1.10:8080")],
    );
    assert_eq!(pdf.status, 200, "{}", pdf.text());
    let cover = cover_text(&pdf.body);
    let address = short_address(&cover, site).unwrap_or_else(|| panic!("{cover}"));
    let code = address.rsplit('/').next().unwrap().to_owned();
    assert!(
        (4..=5).contains(&code.len())
            && code
                .chars()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
            && !code.contains(['0', 'O', '1', 'I', 'L']),
        "{address}"
    );
    assert!(!cover.contains("ids="), "no lines of ids any more: {cover}");

    // Typed on the phone, in small letters: the documents of the pack, the staff one left out.
    let page = family.get(&format!("/s/{}", code.to_lowercase()));
    assert_eq!(page.status, 200, "{}", page.text());
    let text = page.text();
    assert!(
        text.contains("Photosynthèse, cours")
            && text.contains("La Révolution française")
            && text.contains(&format!("/bundle.zip?ids={photosynthesis}.{revolution}\""))
            && text.contains(&format!(
                "/panier/imprimable.pdf?ids={photosynthesis}.{revolution}\""
            ))
            && text.contains("Tout mettre dans le panier"),
        "{text}"
    );
    assert!(!text.contains("Corrigé du professeur"), "{text}");

    // The same pack printed again keeps its address; an address never given is not found.
    let again = family.get_with(
        &format!("/panier/imprimable.pdf?ids={ids}"),
        &[("Host", "192.168.1.10:8080")],
    );
    assert_eq!(short_address(&cover_text(&again.body), site), Some(address));
    let unknown = if code == "ZZZZ" { "YYYY" } else { "ZZZZ" };
    assert_eq!(family.get(&format!("/s/{unknown}")).status, 404);
    assert_eq!(family.get("/s/K0O1").status, 404, "not a code");
}

#[test]
fn the_kiosk_on_a_server_reached_only_from_this_machine_prints_no_loopback_address() {
    let server = TestServer::start();
    let id = upload_one(&server, "photo.pdf", &common::pdf(), &[]);
    // The test server listens on 127.0.0.1 only: no phone can reach it, whatever the kiosk's
    // browser calls it.
    for host in [server.base.trim_start_matches("http://"), "localhost:8080"] {
        let pdf = server.browser().get_with(
            &format!("/panier/imprimable.pdf?ids={id}"),
            &[("Host", host)],
        );
        assert_eq!(pdf.status, 200, "{}", pdf.text());
        let cover = cover_text(&pdf.body);
        assert!(
            !cover.contains("127.0.0.1") && !cover.contains("localhost") && !cover.contains("/s/"),
            "{host}: {cover}"
        );
    }
}

/// `cartable export --format pdf` on the data folder of `served`; returns (stderr, cover).
fn export_beside(served: &Served, out: &Path) -> (String, String) {
    let output = common::run_cartable(
        &served.data,
        &["export", "--format", "pdf", "--to", out.to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    let pdf = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    (stderr, cover_text_of(Path::new(&pdf)))
}

#[test]
fn a_pack_exported_beside_the_server_prints_the_address_and_port_it_serves_on() {
    let dir = tempfile::tempdir().unwrap();
    // As in a school: on every interface, on a port of its own (not the default 8080).
    let served = Served::start_listening(&dir.path().join("data"), "0.0.0.0:0", &[]);
    let port = served.base.rsplit(':').next().unwrap().to_owned();
    let (stderr, cover) = export_beside(&served, &dir.path().join("pack"));
    assert!(!stderr.contains("WARN"), "{stderr}");
    let printed = stderr
        .lines()
        .find_map(|line| line.strip_prefix("Adresse imprimée sur la couverture : "));
    match printed {
        Some(address) => {
            assert!(
                address.contains(&format!(":{port}/s/"))
                    && !address.contains("127.0.0.1")
                    && !address.contains("localhost"),
                "{address}"
            );
            let site = address.split("/s/").next().unwrap();
            assert_eq!(short_address(&cover, site).as_deref(), Some(address));
            // The server finds the selection the command stored beside it.
            let code = address.rsplit('/').next().unwrap();
            let page = served.browser().get(&format!("/s/{code}"));
            assert_eq!(page.status, 200);
            assert!(page.text().contains("Bienvenue"), "{}", page.text());
        }
        // A machine with no network interface but loopback has no address to give.
        None => assert!(
            stderr.contains("Pas d'adresse du serveur sur la couverture"),
            "{stderr}"
        ),
    }
    served.stop();
}

#[test]
fn a_pack_exported_beside_a_server_on_loopback_says_it_has_no_address() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(&dir.path().join("data"));
    let (stderr, cover) = export_beside(&served, &dir.path().join("pack"));
    assert!(
        stderr.contains("Pas d'adresse du serveur sur la couverture"),
        "{stderr}"
    );
    assert!(
        !cover.contains("127.0.0.1") && !cover.contains("localhost") && !cover.contains("/s/"),
        "{cover}"
    );
    served.stop();
}
