//! A mistyped command line explained in French (clap's messages are English): what is wrong, a
//! suggestion when clap has one, the usage line, and where to find the help. English locales
//! get clap's own messages.

use clap::error::{ContextKind, ContextValue, ErrorKind};

use super::lang::Lang;

/// Prints `error` for a person and exits: 0 for `--help` and `--version`, 2 for a mistake.
/// `hidden` are the internal commands, never suggested.
pub fn exit(error: clap::Error, lang: Lang, hidden: &[String]) -> ! {
    let shown_as_is = matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if shown_as_is || lang == Lang::En {
        error.exit()
    }
    eprint!("{}", french(&error, hidden));
    std::process::exit(2)
}

/// The French text of a mistake, ending with a new line.
fn french(error: &clap::Error, hidden: &[String]) -> String {
    let one = |kind| match error.get(kind) {
        Some(ContextValue::String(text)) => Some(text.as_str()),
        _ => None,
    };
    let list = |kind| match error.get(kind) {
        Some(ContextValue::Strings(items)) => items.join(", "),
        Some(ContextValue::String(item)) => item.clone(),
        _ => String::new(),
    };
    let arg = one(ContextKind::InvalidArg).unwrap_or("");
    let value = one(ContextKind::InvalidValue).unwrap_or("");
    let mut message = match error.kind() {
        ErrorKind::InvalidValue if value.is_empty() => format!("il manque la valeur de {arg}"),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("valeur « {value} » invalide pour {arg}")
        }
        ErrorKind::UnknownArgument => format!("argument inattendu : {arg}"),
        ErrorKind::InvalidSubcommand => format!(
            "commande inconnue : {}",
            one(ContextKind::InvalidSubcommand).unwrap_or("")
        ),
        ErrorKind::MissingRequiredArgument => {
            format!("il manque : {}", list(ContextKind::InvalidArg))
        }
        ErrorKind::MissingSubcommand => format!(
            "« {} » attend une commande : {}",
            one(ContextKind::InvalidSubcommand).unwrap_or("cartable"),
            list(ContextKind::ValidSubcommand)
        ),
        ErrorKind::TooManyValues => format!("valeur en trop pour {arg} : « {value} »"),
        ErrorKind::ArgumentConflict if one(ContextKind::PriorArg) == Some(arg) => {
            format!("{arg} ne peut être donné qu'une fois")
        }
        ErrorKind::ArgumentConflict => {
            format!("{arg} ne va pas avec {}", list(ContextKind::PriorArg))
        }
        // Rare mistakes (wrong number of values, text that is not UTF-8): clap's words.
        _ => error
            .kind()
            .as_str()
            .unwrap_or("ligne de commande invalide")
            .to_owned(),
    };
    let valid = list(ContextKind::ValidValue);
    if !valid.is_empty() {
        message.push_str(&format!("\n  valeurs possibles : {valid}"));
    }
    let suggested: Vec<String> = [
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .flat_map(|kind| match error.get(kind) {
        Some(ContextValue::Strings(items)) => items.clone(),
        Some(ContextValue::String(item)) => vec![item.clone()],
        _ => Vec::new(),
    })
    .filter(|s| !hidden.contains(s))
    .map(|s| format!("« {s} »"))
    .collect();
    if !suggested.is_empty() {
        message.push_str(&format!(
            "\n  vouliez-vous dire {} ?",
            suggested.join(" ou ")
        ));
    }
    let mut text = format!("erreur : {message}\n");
    if let Some(ContextValue::StyledStr(usage)) = error.get(ContextKind::Usage) {
        let usage = usage.to_string();
        let usage = usage.strip_prefix("Usage:").unwrap_or(&usage).trim();
        text.push_str(&format!("\nUtilisation : {usage}\n"));
    }
    text.push_str("\nPour en savoir plus, ajoutez --help à la commande.\n");
    text
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    fn mistake(args: &[&str]) -> String {
        let command = super::super::help::localized(crate::cli::Cli::command(), Lang::Fr);
        let hidden = ["extract".to_owned(), "pack".to_owned()];
        french(&command.try_get_matches_from(args).unwrap_err(), &hidden)
    }

    #[test]
    fn mistakes_are_explained_in_french_with_clap_s_suggestions() {
        let text = mistake(&["cartable", "exprt"]);
        assert!(
            text.starts_with("erreur : commande inconnue : exprt")
                && text.contains("vouliez-vous dire « import » ou « export » ?")
                && text.contains("Utilisation : cartable"),
            "{text}"
        );
        let text = mistake(&["cartable", "export", "--to", "x", "--format", "pdff"]);
        assert!(
            text.contains("valeur « pdff » invalide pour --format <FORMAT>")
                && text.contains("valeurs possibles : folder, zip, pdf"),
            "{text}"
        );
        let text = mistake(&["cartable", "export"]);
        assert!(text.contains("il manque : --to <DOSSIER>"), "{text}");
        let text = mistake(&["cartable", "search", "x", "--limit", "dix"]);
        assert!(
            text.contains("valeur « dix » invalide pour --limit <N>"),
            "{text}"
        );
        let text = mistake(&["cartable", "search", "x", "--colour"]);
        assert!(text.contains("argument inattendu : --colour"), "{text}");
    }
}
