//! The two languages of the pages: French first, English on request (`?lang=en`, kept in a
//! cookie). Views pick their words with [`Lang::t`], so both texts sit side by side in the code.

/// The page language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language kept in the request's cookie, French when there is none.
    pub fn from_cookies(headers: &warp::http::HeaderMap) -> Lang {
        super::context::request_cookie(headers, super::context::LANG_COOKIE)
            .and_then(|value| Lang::from_code(&value))
            .unwrap_or_default()
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// The French or the English text.
    pub fn t(self, french: &'static str, english: &'static str) -> &'static str {
        match self {
            Lang::Fr => french,
            Lang::En => english,
        }
    }

    /// The other language, for the switch link.
    pub fn other(self) -> Lang {
        match self {
            Lang::Fr => Lang::En,
            Lang::En => Lang::Fr,
        }
    }
}
