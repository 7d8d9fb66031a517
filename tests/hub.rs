//! The hub against a real S3-compatible server: a publisher's documents reach two kiosks (one
//! running `cartable serve`), an edit, a replaced file and a removal follow, an interrupted sync
//! resumes, and a tampered file or a catalog signed by another key is refused with nothing
//! applied. The server's address is in `CARTABLE_TEST_S3` (`.ci/run` starts moto's S3 server);
//! without it the tests are skipped with a message, except under `CI`, where they fail.

mod common;

use std::io::Cursor;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cartable::model::{Level, Metadata, Subject};
use cartable::service::Added;
use common::run::{finish, Run};
use common::served::Served;
use common::text;

const BUCKET: &str = "cartable-test";

/// A prefix of its own on the test server, for one test.
struct Hub {
    endpoint: String,
    address: String,
}

impl Hub {
    fn new(test: &str) -> Option<Hub> {
        let Some(endpoint) = std::env::var("CARTABLE_TEST_S3").ok() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "the hub tests need an S3 server in CI: .ci/run starts one and sets CARTABLE_TEST_S3"
            );
            eprintln!(
                "skipped: no S3 server (CARTABLE_TEST_S3=http://127.0.0.1:PORT, see .ci/run)"
            );
            return None;
        };
        // The bucket, made by an unsigned request as moto accepts; on a server that wants it
        // signed, .ci/run makes it.
        let _ = ureq::put(&format!("{endpoint}/{BUCKET}")).send_empty();
        let unique = format!(
            "{test}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        );
        Some(Hub {
            address: format!("s3://{BUCKET}/{unique}"),
            endpoint,
        })
    }

    /// The credentials: moto takes any; another server (Garage, by hand) gives its own in
    /// `CARTABLE_TEST_S3_KEY_ID`, `CARTABLE_TEST_S3_SECRET` and `CARTABLE_TEST_S3_REGION`.
    fn environment(&self) -> [(&'static str, String); 5] {
        let given =
            |name: &str, moto: &str| std::env::var(name).unwrap_or_else(|_| moto.to_owned());
        [
            (
                "AWS_ACCESS_KEY_ID",
                given("CARTABLE_TEST_S3_KEY_ID", "cartable"),
            ),
            (
                "AWS_SECRET_ACCESS_KEY",
                given("CARTABLE_TEST_S3_SECRET", "cartable-secret"),
            ),
            ("AWS_REGION", given("CARTABLE_TEST_S3_REGION", "us-east-1")),
            ("AWS_ENDPOINT", self.endpoint.clone()),
            ("AWS_ALLOW_HTTP", "true".to_owned()),
        ]
    }

    fn command(&self, data: &Path, args: &[&str]) -> Command {
        let mut command = Command::new(common::binary());
        command
            .arg("--data")
            .arg(data)
            .args(args)
            .env_remove("CARTABLE_DATA")
            .env_remove("CARTABLE_HUB_KEY")
            .env_remove("RUST_LOG")
            .envs(self.environment());
        command
    }

    fn run(&self, data: &Path, args: &[&str]) -> Run {
        finish(self.command(data, args).output().expect("the binary runs"))
    }

    /// A new publisher key in `data`; its public key.
    fn key(&self, data: &Path) -> String {
        let run = self.run(data, &["key", "new"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout.trim().to_owned()
    }

    fn publish(&self, data: &Path) -> Run {
        let run = self.run(data, &["publish", "--to", &self.address]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run
    }

    fn sync(&self, data: &Path, key: &str) -> Run {
        self.run(data, &["sync", "--from", &self.address, "--key", key])
    }

    /// Writes `bytes` as the object `name` under this hub's prefix, as someone with write
    /// access to the bucket could.
    fn overwrite(&self, name: &str, bytes: Vec<u8>) {
        for (variable, value) in self.environment() {
            // Every test sets the same values.
            std::env::set_var(variable, value);
        }
        let address = cartable::hub::Address::parse(&self.address).unwrap();
        let bucket = cartable::hub::Bucket::open(&address).unwrap();
        bucket.put(name, bytes).unwrap();
    }
}

/// Adds documents to a data folder (the library, in this process, then closed).
fn add(data: &Path, documents: &[(&str, &[u8], &str)]) -> Vec<String> {
    let core = common::open_core(data);
    let metadata = |title: &str| Metadata {
        title: Some(title.to_owned()),
        levels: vec![Level::parse("2nde").unwrap()],
        subject: Subject::parse("SVT"),
        ..Metadata::default()
    };
    documents
        .iter()
        .map(|(name, bytes, title)| {
            match core
                .add(Cursor::new(bytes.to_vec()), name, &metadata(title), true)
                .unwrap()
            {
                Added::New(document) => document.id.to_string(),
                Added::Duplicate(_) => panic!("{name} is new"),
            }
        })
        .collect()
}

/// (id, title) of every document in a data folder not served.
fn titles(data: &Path) -> Vec<(String, String)> {
    let core = common::open_core(data);
    let filter = cartable::model::DocumentFilter {
        limit: 100,
        ..Default::default()
    };
    let mut all: Vec<_> = core
        .list(&filter)
        .unwrap()
        .0
        .into_iter()
        .map(|d| (d.id.to_string(), d.title))
        .collect();
    all.sort();
    all
}

/// Ids a served kiosk's search finds.
fn found(served: &Served, query: &str) -> Vec<String> {
    let page = served
        .browser()
        .get(&format!("/api/search?q={query}"))
        .json();
    let mut ids: Vec<String> = page["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

#[test]
fn a_publication_reaches_two_kiosks_and_its_edits_and_removals_follow() {
    let Some(hub) = Hub::new("two-kiosks") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (publisher, kiosk_a, kiosk_b) = (
        dir.path().join("academie"),
        dir.path().join("borne-a"),
        dir.path().join("borne-b"),
    );
    let ids = add(
        &publisher,
        &[
            (
                "cellule.txt",
                &text("La cellule végétale et la photosynthèse"),
                "La cellule",
            ),
            (
                "volcans.txt",
                &text("Les volcans et la tectonique des plaques"),
                "Les volcans",
            ),
            (
                "genetique.txt",
                &text("La génétique mendélienne"),
                "La génétique",
            ),
        ],
    );
    let key = hub.key(&publisher);
    let first = hub.publish(&publisher);
    assert!(
        first.stderr.contains("3 document(s) publié(s)")
            && first.stderr.contains("3 fichier(s) envoyé(s)"),
        "{}",
        first.stderr
    );
    // Kiosk B has a document of its own, which no sync may touch.
    let local = add(
        &kiosk_b,
        &[(
            "local.txt",
            &text("Le règlement intérieur du lycée"),
            "Règlement",
        )],
    );
    let served = Served::start(&kiosk_a);

    let synced = hub.sync(&served.data, &key);
    assert_eq!(synced.code, 0, "{}", synced.stderr);
    assert!(synced.stderr.contains("3 ajouté(s)"), "{}", synced.stderr);
    assert_eq!(
        found(&served, "photosynthese"),
        [ids[0].clone()],
        "the publisher's id is kept"
    );
    let synced = hub.sync(&kiosk_b, &key);
    assert_eq!(synced.code, 0, "{}", synced.stderr);
    assert_eq!(titles(&kiosk_b).len(), 4);

    // The publisher edits a title, replaces a file and removes a document.
    {
        let core = common::open_core(&publisher);
        let id = |i: usize| cartable::model::DocumentId::parse(&ids[i]).unwrap();
        let mut metadata = Metadata {
            title: Some("La cellule, cours complet".to_owned()),
            ..Metadata::default()
        };
        metadata.levels = vec![Level::parse("2nde").unwrap()];
        core.update_metadata(&id(0), &metadata).unwrap();
        core.replace_file(
            &id(1),
            Cursor::new(text("Les séismes et les volcans actifs")),
            "volcans.txt",
        )
        .unwrap();
        core.remove(&id(2)).unwrap();
    }
    let second = hub.publish(&publisher);
    assert!(
        second.stderr.contains("2 document(s) publié(s)")
            && second.stderr.contains("1 fichier(s) envoyé(s)"),
        "only the replaced file is sent: {}",
        second.stderr
    );

    for (kiosk, name) in [(&served.data, "a"), (&kiosk_b, "b")] {
        let synced = hub.sync(kiosk, &key);
        assert_eq!(synced.code, 0, "kiosk {name}: {}", synced.stderr);
        assert!(
            synced
                .stderr
                .contains("0 ajouté(s), 2 mis à jour, 1 supprimé(s)"),
            "kiosk {name}: {}",
            synced.stderr
        );
    }
    assert_eq!(found(&served, "seismes"), [ids[1].clone()]);
    assert!(found(&served, "mendelienne").is_empty());
    let b = titles(&kiosk_b);
    assert!(
        b.contains(&(local[0].clone(), "Règlement".to_owned())),
        "{b:?}"
    );
    assert!(
        b.contains(&(ids[0].clone(), "La cellule, cours complet".to_owned())),
        "{b:?}"
    );
    assert_eq!(b.len(), 3, "{b:?}");

    // Nothing changed: nothing sent, nothing to do; the pinned key needs no repeating.
    let again = hub.publish(&publisher);
    assert!(
        again.stderr.contains("Catalogue inchangé"),
        "{}",
        again.stderr
    );
    let again = hub.run(&kiosk_b, &["sync", "--from", &hub.address]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stderr.contains("Déjà à jour"), "{}", again.stderr);
    served.stop();
}

#[test]
fn an_interrupted_sync_resumes_where_it_stopped() {
    let Some(hub) = Hub::new("resume") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (publisher, kiosk) = (dir.path().join("academie"), dir.path().join("borne"));
    // 3 MB of text: 3 s at the rate below, time enough to cut the sync half-way.
    let mut big = String::new();
    let mut n = 0u64;
    while big.len() < 3_000_000 {
        n += 1;
        big.push_str(&format!(
            "Exercice {n} : la dérivée de la fonction numéro {n}.\n"
        ));
    }
    let ids = add(
        &publisher,
        &[("derivees.txt", big.as_bytes(), "Les dérivées")],
    );
    let sha = common::backup::sha(big.as_bytes());
    let key = hub.key(&publisher);
    hub.publish(&publisher);

    let mut cut = hub
        .command(
            &kiosk,
            &[
                "sync",
                "--from",
                &hub.address,
                "--key",
                &key,
                "--max-rate",
                "1MB/s",
            ],
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let part = kiosk.join("hub/incoming").join(format!("{sha}.part"));
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::fs::metadata(&part).map_or(0, |m| m.len()) < 500_000 {
        assert!(Instant::now() < deadline, "the download never started");
        assert!(
            cut.try_wait().unwrap().is_none(),
            "the sync ended before it was cut"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    cut.kill().unwrap();
    cut.wait().unwrap();
    let kept = std::fs::metadata(&part).unwrap().len();
    assert!(kept < big.len() as u64, "cut half-way: {kept}");
    assert!(
        titles(&kiosk).is_empty(),
        "nothing is applied before every file is there"
    );

    let resumed = hub.sync(&kiosk, &key);
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    assert!(
        resumed
            .stderr
            .contains("repris d'une synchronisation interrompue"),
        "{}",
        resumed.stderr
    );
    assert_eq!(
        titles(&kiosk),
        [(ids[0].clone(), "Les dérivées".to_owned())]
    );
    assert!(!part.exists() && !kiosk.join("hub/incoming").join(&sha).exists());
}

#[test]
fn a_tampered_file_on_the_hub_is_refused_and_nothing_is_applied() {
    let Some(hub) = Hub::new("tampered") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (publisher, kiosk) = (dir.path().join("academie"), dir.path().join("borne"));
    let honest = text("Le cycle de l'eau");
    add(
        &publisher,
        &[
            ("eau.txt", &honest, "Le cycle de l'eau"),
            ("air.txt", &text("La composition de l'air"), "L'air"),
        ],
    );
    let key = hub.key(&publisher);
    hub.publish(&publisher);
    let sha = common::backup::sha(&honest);
    hub.overwrite(
        &format!("objects/{sha}"),
        text("Le cycle de l'eau (altéré)"),
    );

    let refused = hub.sync(&kiosk, &key);
    assert_ne!(refused.code, 0, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("objet altéré"),
        "{}",
        refused.stderr
    );
    assert!(titles(&kiosk).is_empty(), "nothing applied");
    assert!(common::files_under(&kiosk.join("files")).is_empty());
}

#[test]
fn a_catalog_signed_by_another_key_is_refused_and_nothing_is_applied() {
    let Some(hub) = Hub::new("wrong-key") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (publisher, intruder, kiosk) = (
        dir.path().join("academie"),
        dir.path().join("intrus"),
        dir.path().join("borne"),
    );
    let ids = add(
        &publisher,
        &[("eau.txt", &text("Le cycle de l'eau"), "Le cycle de l'eau")],
    );
    let key = hub.key(&publisher);
    hub.publish(&publisher);
    assert_eq!(hub.sync(&kiosk, &key).code, 0);

    // Someone else, with write access to the bucket, publishes over it with a key of their own.
    add(
        &intruder,
        &[("faux.txt", &text("Un faux cours"), "Faux cours")],
    );
    let other = hub.key(&intruder);
    hub.publish(&intruder);

    let refused = hub.run(&kiosk, &["sync", "--from", &hub.address]);
    assert_ne!(refused.code, 0, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("signature du catalogue invalide"),
        "{}",
        refused.stderr
    );
    let switched = hub.sync(&kiosk, &other);
    assert_ne!(switched.code, 0, "{}", switched.stderr);
    assert!(
        switched.stderr.contains("n'est pas celle épinglée"),
        "{}",
        switched.stderr
    );
    assert_eq!(
        titles(&kiosk),
        [(ids[0].clone(), "Le cycle de l'eau".to_owned())]
    );
}
