//! The language of the command line's help: French, or English when the locale asks for it.
//! Only the help and clap's messages follow it; what commands print stays French, like the site.

/// A language of the help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    /// The locale as the C library reads it for messages (`LC_ALL`, then `LC_MESSAGES`, then
    /// `LANG`, the first one set): English when it starts with "en", French otherwise (unset,
    /// `C` or `POSIX` included: the admins of a French lycée read French).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(var)
            .find(|value| !value.is_empty());
        match locale {
            Some(locale) if locale.starts_with("en") => Lang::En,
            _ => Lang::Fr,
        }
    }

    /// `fr` or `en`, whichever this language is.
    pub fn t<'a>(self, fr: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(env: &[(&str, &str)]) -> Lang {
        Lang::from_env(|name| {
            env.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn english_only_when_the_first_locale_set_says_so() {
        assert_eq!(lang(&[]), Lang::Fr);
        assert_eq!(lang(&[("LANG", "fr_FR.UTF-8")]), Lang::Fr);
        assert_eq!(lang(&[("LANG", "C.UTF-8")]), Lang::Fr);
        assert_eq!(lang(&[("LANG", "en_GB.UTF-8")]), Lang::En);
        assert_eq!(
            lang(&[("LANG", "en_GB.UTF-8"), ("LC_ALL", "fr_FR.UTF-8")]),
            Lang::Fr
        );
        assert_eq!(
            lang(&[("LANG", "fr_FR.UTF-8"), ("LC_MESSAGES", "en_US.UTF-8")]),
            Lang::En
        );
        assert_eq!(lang(&[("LC_ALL", ""), ("LANG", "en_US")]), Lang::En);
    }
}
