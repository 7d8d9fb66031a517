//! The command line's help in French and in English. The arguments are declared with clap's
//! derive (names, types, defaults); every text a person reads in `--help` is in [`texts`], both
//! languages side by side, and set on the built command for the language of the locale. A unit
//! test checks that every visible command and option has its text, and that no text is left over.

use clap::{Arg, ArgAction, Command};

use super::lang::Lang;

mod hub_texts;
mod texts;
mod user_texts;

use hub_texts::HUB_TEXTS;
use texts::{Text, TEXTS};
use user_texts::USER_TEXTS;

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
        .chain(USER_TEXTS)
        .chain(HUB_TEXTS)
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
        assert_eq!(
            used,
            TEXTS.len() + USER_TEXTS.len() + HUB_TEXTS.len(),
            "some texts describe nothing"
        );
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
