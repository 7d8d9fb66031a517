//! The command line's help in French and in English. The arguments are declared with clap's
//! derive (names, types, defaults); every text a person reads in `--help` is here, both languages
//! side by side, and set on the built command for the language of the locale. A unit test checks
//! that every visible command and option has its text, and that no text is left over.

use clap::{Arg, ArgAction, Command};

use super::lang::Lang;

/// One text of the help: a command's description (`arg` is `None`) or an argument's.
struct Text {
    /// The command's path below `cartable`: "" for `cartable` itself, "user add".
    command: &'static str,
    arg: Option<&'static str>,
    /// The argument's value name (`--to <DOSSIER>`), French and English.
    value: Option<(&'static str, &'static str)>,
    fr: &'static str,
    en: &'static str,
}

const fn about(command: &'static str, fr: &'static str, en: &'static str) -> Text {
    Text {
        command,
        arg: None,
        value: None,
        fr,
        en,
    }
}

const fn flag(
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

const fn option(
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
const TEXTS: &[Text] = &[
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
        "user",
        "Gérer les comptes du personnel (le premier administrateur, les jetons d'API).",
        "Manage staff accounts (the first admin, API tokens).",
    ),
    about(
        "user add",
        "Créer un compte ; le mot de passe est demandé (ou lu sur l'entrée standard).",
        "Create an account; the password is asked for (or read from standard input).",
    ),
    option(
        "user add",
        "login",
        ("IDENTIFIANT", "LOGIN"),
        "Identifiant du compte (par exemple m.dupont).",
        "The account's login (m.dupont, say).",
    ),
    option(
        "user add",
        "role",
        ("RÔLE", "ROLE"),
        "Rôle : teacher (enseignant, par défaut) ou admin (administrateur).",
        "Role: teacher (the default) or admin.",
    ),
    about(
        "user token",
        "Créer un jeton d'API pour les scripts (écrit sur la sortie standard).",
        "Print a new API token for scripts (on standard output).",
    ),
    option(
        "user token",
        "login",
        ("IDENTIFIANT", "LOGIN"),
        "Identifiant du compte.",
        "The account's login.",
    ),
    about(
        "user password",
        "Changer le mot de passe (demandé, ou lu sur l'entrée standard) ; ferme les sessions du compte.",
        "Set a new password (asked for, or read from standard input); closes the account's sessions.",
    ),
    option(
        "user password",
        "login",
        ("IDENTIFIANT", "LOGIN"),
        "Identifiant du compte.",
        "The account's login.",
    ),
    about(
        "user disable",
        "Désactiver un compte : ses sessions et ses jetons cessent de fonctionner.",
        "Disable an account: its sessions and tokens stop working.",
    ),
    option(
        "user disable",
        "login",
        ("IDENTIFIANT", "LOGIN"),
        "Identifiant du compte.",
        "The account's login.",
    ),
    about(
        "user enable",
        "Réactiver un compte désactivé.",
        "Enable a disabled account again.",
    ),
    option(
        "user enable",
        "login",
        ("IDENTIFIANT", "LOGIN"),
        "Identifiant du compte.",
        "The account's login.",
    ),
    about("user list", "Lister les comptes.", "List the accounts."),
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
        "Réparer ce qui peut l'être : supprimer les fichiers orphelins, remettre l'index en accord avec le catalogue.",
        "Repair what can be: remove orphan files, bring the index in line with the catalog.",
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

/// Headings and the texts clap would write in English.
struct Words {
    usage: &'static str,
    commands: &'static str,
    arguments: &'static str,
    options: &'static str,
    command_value: &'static str,
    help: &'static str,
    version: &'static str,
    help_command: &'static str,
    more: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::Fr => Words {
            usage: "Utilisation :",
            commands: "Commandes :",
            arguments: "Arguments :",
            options: "Options :",
            command_value: "COMMANDE",
            help: "Afficher l'aide",
            version: "Afficher la version",
            help_command: "Afficher l'aide de cartable ou d'une de ses commandes",
            more: "L'aide d'une commande : cartable COMMANDE --help. En anglais : LANG=en_GB.UTF-8 cartable --help.",
        },
        Lang::En => Words {
            usage: "Usage:",
            commands: "Commands:",
            arguments: "Arguments:",
            options: "Options:",
            command_value: "COMMAND",
            help: "Print help",
            version: "Print version",
            help_command: "Print the help of cartable or of one of its commands",
            more: "A command's help: cartable COMMAND --help. In French: LANG=fr_FR.UTF-8 cartable --help.",
        },
    }
}

/// `command` (the derived `cartable`) with every help text in `lang`, built.
pub fn localized(command: Command, lang: Lang) -> Command {
    let words = words(lang);
    let mut command = localize(command, "", lang, &words)
        .after_help(words.more)
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(words.version),
        );
    // The `help` command is made when the command is built: its texts are set after.
    command.build();
    command.mut_subcommand("help", |help| {
        help.about(words.help_command)
            .subcommand_value_name(words.command_value)
            .mut_subcommand("help", |help| help.about(words.help_command))
    })
}

/// Sets the texts of `command` (at `path`) and of its subcommands.
fn localize(mut command: Command, path: &str, lang: Lang, words: &Words) -> Command {
    if let Some(text) = find(path, None) {
        command = command.about(lang.t(text.fr, text.en));
    }
    let template = template(&command, path.is_empty(), words);
    command = command
        .help_template(template)
        .subcommand_value_name(words.command_value)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(words.help),
        )
        .mut_args(|arg| {
            let Some(text) = find(path, Some(arg.get_id().as_str())) else {
                return arg;
            };
            let arg = arg.help(lang.t(text.fr, text.en));
            match text.value {
                Some((fr, en)) => arg
                    .value_name(lang.t(fr, en))
                    .hide_default_value(true)
                    .hide_possible_values(true),
                None => arg,
            }
        });
    if !path.is_empty() {
        // `cartable help user add` does what `cartable user add --help` does: one way is enough.
        command = command.disable_help_subcommand(true);
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_owned())
        .collect();
    for name in names {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        command = command.mut_subcommand(&name, |sub| localize(sub, &sub_path, lang, words));
    }
    command
}

/// The help's layout with headings in the language: only the sections the command has.
fn template(command: &Command, root: bool, words: &Words) -> String {
    let mut template = format!("{{about-with-newline}}\n{} {{usage}}\n", words.usage);
    if command.has_subcommands() {
        template.push_str(&format!("\n{}\n{{subcommands}}\n", words.commands));
    }
    if command.get_positionals().next().is_some() {
        template.push_str(&format!("\n{}\n{{positionals}}\n", words.arguments));
    }
    template.push_str(&format!("\n{}\n{{options}}", words.options));
    if root {
        // clap puts an empty line before it.
        template.push_str("{after-help}");
    }
    template
}

fn find(command: &str, arg: Option<&str>) -> Option<&'static Text> {
    TEXTS
        .iter()
        .find(|text| text.command == command && text.arg == arg)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// Every visible command below `command` (at `path`), with its path.
    fn visible(command: &Command, path: &str, found: &mut Vec<(String, Command)>) {
        found.push((path.to_owned(), command.clone()));
        for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
            if sub.get_name() == "help" {
                continue;
            }
            let sub_path = if path.is_empty() {
                sub.get_name().to_owned()
            } else {
                format!("{path} {}", sub.get_name())
            };
            visible(sub, &sub_path, found);
        }
    }

    #[test]
    fn every_visible_command_and_argument_has_its_text_and_every_text_is_used() {
        let command = crate::cli::Cli::command();
        let mut commands = Vec::new();
        visible(&command, "", &mut commands);
        let mut used = 0;
        for (path, command) in &commands {
            assert!(find(path, None).is_some(), "no description for `{path}`");
            used += 1;
            for arg in command.get_arguments().filter(|a| !a.is_hide_set()) {
                let id = arg.get_id().as_str();
                // Global arguments are described where they are declared.
                if arg.is_global_set() && !path.is_empty() {
                    continue;
                }
                assert!(find(path, Some(id)).is_some(), "no text for `{path}` {id}");
                used += 1;
            }
        }
        assert_eq!(used, TEXTS.len(), "some texts describe nothing");
    }

    #[test]
    fn texts_follow_the_language() {
        for (lang, about, heading) in [
            (Lang::Fr, "Copier des documents", "Utilisation :"),
            (Lang::En, "Copy documents", "Usage:"),
        ] {
            let mut command = localized(crate::cli::Cli::command(), lang);
            let export = command.find_subcommand_mut("export").unwrap();
            let help = export.render_help().to_string();
            assert!(help.contains(about) && help.contains(heading), "{help}");
        }
    }
}
