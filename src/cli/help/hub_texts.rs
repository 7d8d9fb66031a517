//! The help texts of the hub's commands (`key new`, `publish`, `sync`), French and English side
//! by side; the other commands' are in `texts.rs`.

use super::texts::{about, option, Text};

pub(super) const HUB_TEXTS: &[Text] = &[
    about(
        "key",
        "Gérer la clé d'éditeur qui signe les catalogues publiés sur un hub.",
        "Manage the publisher key that signs the catalogs published on a hub.",
    ),
    about(
        "key new",
        "Créer une clé d'éditeur (ed25519) : la clé secrète dans un fichier lisible par vous seul, la clé publique affichée, à donner aux bornes.",
        "Create a publisher key (ed25519): the secret key in a file only you can read, the public key printed, to give to the kiosks.",
    ),
    option(
        "key new",
        "out",
        ("FICHIER", "FILE"),
        "Où écrire la clé secrète (par défaut hub/publisher.key dans le dossier de données) ; jamais par-dessus une clé existante.",
        "Where to write the secret key (hub/publisher.key in the data folder by default); never over an existing key.",
    ),
    about(
        "publish",
        "Publier des documents publics sur un hub S3 (Garage, MinIO…) : les fichiers que le hub n'a pas, puis le catalogue signé. Identifiants S3 : variables AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT.",
        "Publish public documents on an S3 hub (Garage, MinIO...): the files the hub lacks, then the signed catalog. S3 credentials: the AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT variables.",
    ),
    option(
        "publish",
        "to",
        ("ADRESSE", "ADDRESS"),
        "Le hub : s3://SEAU/PRÉFIXE.",
        "The hub: s3://BUCKET/PREFIX.",
    ),
    option(
        "publish",
        "key",
        ("FICHIER", "FILE"),
        "La clé secrète d'éditeur (par défaut hub/publisher.key dans le dossier de données).",
        "The secret publisher key (hub/publisher.key in the data folder by default).",
    ),
    option(
        "publish",
        "level",
        ("NIVEAU", "LEVEL"),
        "Seulement les documents de ce niveau (2nde, 1re, Tle…).",
        "Only documents of this level (2nde, 1re, Tle...).",
    ),
    option(
        "publish",
        "class",
        ("CLASSE", "CLASS"),
        "Seulement les documents de cette classe.",
        "Only documents of this class.",
    ),
    option(
        "publish",
        "subject",
        ("MATIÈRE", "SUBJECT"),
        "Seulement les documents de cette matière.",
        "Only documents of this subject.",
    ),
    option(
        "publish",
        "since",
        ("DATE", "DATE"),
        "Seulement les documents ajoutés ce jour-là ou après (AAAA-MM-JJ).",
        "Only documents added on or after this day (YYYY-MM-DD).",
    ),
    about(
        "sync",
        "Mettre cette borne à jour depuis un hub : télécharger ce qui a changé (reprend après une coupure), vérifier chaque empreinte et la signature, puis appliquer ajouts, mises à jour et suppressions ; les documents déposés ici ne sont jamais touchés.",
        "Bring this kiosk up to date from a hub: download what changed (resuming after a cut), check every hash and the signature, then apply additions, updates and removals; documents uploaded here are never touched.",
    ),
    option(
        "sync",
        "from",
        ("ADRESSE", "ADDRESS"),
        "Le hub : s3://SEAU/PRÉFIXE.",
        "The hub: s3://BUCKET/PREFIX.",
    ),
    option(
        "sync",
        "key",
        ("CLÉ", "KEY"),
        "La clé publique de l'éditeur (64 chiffres hexadécimaux), épinglée à la première synchronisation ; ensuite facultative.",
        "The publisher's public key (64 hexadecimal digits), pinned at the first sync; optional afterwards.",
    ),
    option(
        "sync",
        "every",
        ("DURÉE", "DURATION"),
        "Recommencer à cet intervalle (30m, 1h, 1d) au lieu d'une seule fois.",
        "Sync again at this interval (30m, 1h, 1d) instead of once.",
    ),
    option(
        "sync",
        "max_rate",
        ("DÉBIT", "RATE"),
        "Débit de téléchargement maximal (2MB/s, 500kB/s), pour laisser la ligne de l'établissement aux classes.",
        "Highest download rate (2MB/s, 500kB/s), to leave the school's line to the classes.",
    ),
];
