//! Every text of the command line's help, French and English side by side: one entry per
//! command (its description) and per argument (its description and value name).

/// One text of the help: a command's description (`arg` is `None`) or an argument's.
pub(super) struct Text {
    /// The command's path below `cartable`: "" for `cartable` itself, "user add".
    pub(super) command: &'static str,
    pub(super) arg: Option<&'static str>,
    /// The argument's value name (`--to <DOSSIER>`), French and English.
    pub(super) value: Option<(&'static str, &'static str)>,
    pub(super) fr: &'static str,
    pub(super) en: &'static str,
}

pub(super) const fn about(command: &'static str, fr: &'static str, en: &'static str) -> Text {
    Text {
        command,
        arg: None,
        value: None,
        fr,
        en,
    }
}

pub(super) const fn flag(
    command: &'static str,
    arg: &'static str,
    fr: &'static str,
    en: &'static str,
) -> Text {
    Text {
        command,
        arg: Some(arg),
        value: None,
        fr,
        en,
    }
}

pub(super) const fn option(
    command: &'static str,
    arg: &'static str,
    value: (&'static str, &'static str),
    fr: &'static str,
    en: &'static str,
) -> Text {
    Text {
        command,
        arg: Some(arg),
        value: Some(value),
        fr,
        en,
    }
}

/// Defaults and possible values are said in the texts (clap would say them in English).
pub(super) const TEXTS: &[Text] = &[
    about(
        "",
        "Le point ressources du lycée : documents, recherche, clés USB et dossiers imprimés.",
        "The lycée's resource point: documents, search, USB sticks and printed packs.",
    ),
    option(
        "",
        "data",
        ("DOSSIER", "DIR"),
        "Dossier de données (catalogue, fichiers, index) ; ./cartable-data par défaut, ou la variable CARTABLE_DATA.",
        "Data folder (catalog, files, index); ./cartable-data by default, or the CARTABLE_DATA variable.",
    ),
    option(
        "",
        "config",
        ("FICHIER", "FILE"),
        "Fichier de configuration (TOML) ; les variables CARTABLE_* et les options l'emportent sur lui.",
        "Configuration file (TOML); CARTABLE_* variables and options override it.",
    ),
    about(
        "serve",
        "Servir le point ressources sur le réseau de l'établissement.",
        "Serve the resource point on the school network.",
    ),
    option(
        "serve",
        "listen",
        ("ADRESSE", "ADDRESS"),
        "Adresse et port d'écoute (0.0.0.0:8080 par défaut : toutes les interfaces).",
        "Address and port to listen on (default 0.0.0.0:8080: every interface).",
    ),
    about(
        "import",
        "Importer des fichiers, des dossiers ou des archives zip ; niveau et matière sont déduits des noms de dossiers (« 2nde/Mathématiques/… »).",
        "Import files, folders or zip archives; level and subject are inferred from folder names (\"2nde/Mathématiques/...\").",
    ),
    option(
        "import",
        "paths",
        ("CHEMIN", "PATH"),
        "Fichiers, dossiers ou archives zip à importer.",
        "Files, folders or zip archives to import.",
    ),
    option(
        "import",
        "level",
        ("NIVEAU", "LEVEL"),
        "Niveau de chaque document importé (répétable : --level 2nde --level 1re) ; sinon déduit des noms de dossiers.",
        "Level of every imported document (repeatable: --level 2nde --level 1re); inferred from folder names otherwise.",
    ),
    option(
        "import",
        "subject",
        ("MATIÈRE", "SUBJECT"),
        "Matière de chaque document importé ; sinon déduite des noms de dossiers.",
        "Subject of every imported document; inferred from folder names otherwise.",
    ),
    option(
        "import",
        "class",
        ("CLASSE", "CLASS"),
        "Classe de chaque document importé (par exemple « 2nde B »).",
        "Class of every imported document (\"2nde B\", say).",
    ),
    option(
        "import",
        "author",
        ("AUTEUR", "AUTHOR"),
        "Auteur affiché sur les documents.",
        "Author shown on the documents.",
    ),
    option(
        "import",
        "source",
        ("SOURCE", "SOURCE"),
        "Provenance des documents : cned ou teacher (un enseignant).",
        "Where the documents come from: cned or teacher.",
    ),
    option(
        "import",
        "visibility",
        ("VISIBILITÉ", "VISIBILITY"),
        "Qui peut les voir : public (les familles) ou staff (le personnel seulement).",
        "Who may see them: public (families) or staff (staff only).",
    ),
    about(
        "search",
        "Chercher dans les documents, comme la recherche du site.",
        "Search the documents, as the web search does.",
    ),
    option(
        "search",
        "query",
        ("RECHERCHE", "QUERY"),
        "Ce qu'il faut chercher, en français courant (accents facultatifs).",
        "What to look for, in plain French (accents optional).",
    ),
    option(
        "search",
        "limit",
        ("N", "N"),
        "Nombre de résultats au plus (10 par défaut).",
        "How many results at most (default 10).",
    ),
    flag(
        "search",
        "json",
        "Donner les résultats en JSON (les mêmes objets que l'API du site).",
        "Print the results as JSON (the same objects as the web API).",
    ),
    option(
        "search",
        "level",
        ("NIVEAU", "LEVEL"),
        "Seulement les documents de ce niveau (2nde, 1re, Tle…).",
        "Only documents of this level (2nde, 1re, Tle...).",
    ),
    option(
        "search",
        "subject",
        ("MATIÈRE", "SUBJECT"),
        "Seulement les documents de cette matière.",
        "Only documents of this subject.",
    ),
    option(
        "search",
        "class",
        ("CLASSE", "CLASS"),
        "Seulement les documents de cette classe (par exemple « 2nde B »).",
        "Only documents of this class (\"2nde B\", say).",
    ),
    about(
        "export",
        "Copier des documents pour les familles sans connexion : un dossier (clé USB), un zip ou une version imprimable (pdf). Sans filtre, tous les documents publics.",
        "Copy documents for families without a connection: a folder (USB stick), a zip or a printable version (pdf). Without filters, every public document.",
    ),
    option(
        "export",
        "to",
        ("DOSSIER", "DIR"),
        "Dossier où écrire (le point de montage de la clé USB, par exemple) ; créé s'il n'existe pas.",
        "Folder to write into (the USB stick's mount point, say); created when missing.",
    ),
    option(
        "export",
        "level",
        ("NIVEAU", "LEVEL"),
        "Seulement les documents de ce niveau (2nde, 1re, Tle…).",
        "Only documents of this level (2nde, 1re, Tle...).",
    ),
    option(
        "export",
        "class",
        ("CLASSE", "CLASS"),
        "Seulement les documents de cette classe (par exemple « 2nde B »).",
        "Only documents of this class (\"2nde B\", say).",
    ),
    option(
        "export",
        "subject",
        ("MATIÈRE", "SUBJECT"),
        "Seulement les documents de cette matière.",
        "Only documents of this subject.",
    ),
    option(
        "export",
        "since",
        ("DATE", "DATE"),
        "Seulement les documents ajoutés ce jour-là ou après (AAAA-MM-JJ).",
        "Only documents added on or after this day (YYYY-MM-DD).",
    ),
    option(
        "export",
        "format",
        ("FORMAT", "FORMAT"),
        "folder : un dossier avec sa page index.html (par défaut) ; zip : une archive zip ; pdf : une version imprimable, un seul PDF.",
        "folder: a folder with its index.html page (the default); zip: a zip archive; pdf: a printable version, one PDF.",
    ),
    about(
        "check",
        "Vérifier que le catalogue, les fichiers et l'index concordent.",
        "Check that catalog, files and index agree.",
    ),
    flag(
        "check",
        "repair",
        "Réparer ce qui peut l'être : supprimer les fichiers orphelins et temporaires, vider les caches refaits à la demande (versions imprimables, vues de lecture), remettre l'index en accord avec le catalogue ; dit la place libérée.",
        "Repair what can be: remove orphan and temporary files, empty the caches made again on demand (printable versions, reading views), bring the index in line with the catalog; says how much space was freed.",
    ),
    flag(
        "check",
        "json",
        "Donner le rapport en JSON.",
        "Print the report as JSON.",
    ),
    about(
        "reindex",
        "Reconstruire l'index de recherche à partir des documents enregistrés.",
        "Rebuild the search index from the stored documents.",
    ),
    about(
        "backup",
        "Sauvegarder le catalogue et les fichiers des documents, même pendant que le serveur tourne ; l'index et les caches n'en font pas partie (ils se reconstruisent).",
        "Back up the catalog and the documents' files, even while the server runs; the index and caches are left out (they are rebuilt).",
    ),
    option(
        "backup",
        "to",
        ("DOSSIER|FICHIER.zip", "DIR|FILE.zip"),
        "Un dossier (mis à jour : seuls les nouveaux fichiers sont copiés), ou un fichier .zip (une copie complète).",
        "A folder (brought up to date: only new files are copied), or a .zip file (a full copy).",
    ),
    about(
        "restore",
        "Restaurer une sauvegarde dans un dossier de données vide ou absent, en vérifiant chaque fichier, puis reconstruire l'index.",
        "Restore a backup into an empty or absent data folder, checking every file, then rebuild the index.",
    ),
    option(
        "restore",
        "from",
        ("SAUVEGARDE", "BACKUP"),
        "Le dossier ou le fichier .zip écrit par « cartable backup ».",
        "The folder or .zip file written by `cartable backup`.",
    ),
    about(
        "remove",
        "Supprimer des documents par leur identifiant (celui de l'adresse /documents/ID) : catalogue, index de recherche et fichier, comme « Supprimer » dans l'interface web.",
        "Remove documents by their id (the one in the /documents/ID address): catalog, search index and file, as \"Delete\" does in the web interface.",
    ),
    option(
        "remove",
        "ids",
        ("ID", "ID"),
        "Identifiants des documents à supprimer ; code de sortie 1 si l'un d'eux n'existe pas (les autres sont supprimés).",
        "Ids of the documents to remove; exit code 1 when one does not exist (the others are removed).",
    ),
    about(
        "status",
        "Ce que fait le serveur qui tourne sur le dossier de données ; code de sortie 3 s'il n'y en a pas.",
        "What the server running on the data folder is doing; exit code 3 when none runs.",
    ),
    flag(
        "status",
        "json",
        "Donner l'état en JSON.",
        "Print the status as JSON.",
    ),
];
