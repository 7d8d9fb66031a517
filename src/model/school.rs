//! The school's own settings, edited by an admin: its name, the Wi-Fi shown on the kiosk, and
//! the lists of levels and subjects offered in forms.

use serde::{Deserialize, Serialize};

use super::{Level, Subject};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct School {
    pub name: String,
    pub wifi_name: String,
    pub wifi_password: String,
    /// Settings saved before the kiosk asked for it read as WPA, what school networks use.
    #[serde(default)]
    pub wifi_security: WifiSecurity,
    pub levels: Vec<Level>,
    pub subjects: Vec<Subject>,
}

/// Subjects offered in forms until an admin changes the list.
const DEFAULT_SUBJECTS: [&str; 14] = [
    "Français",
    "Mathématiques",
    "Histoire-Géographie",
    "Anglais",
    "Espagnol",
    "Allemand",
    "Physique-Chimie",
    "SVT",
    "SES",
    "NSI",
    "SNT",
    "Philosophie",
    "EPS",
    "Enseignement moral et civique",
];

impl School {
    pub fn with_name(name: &str) -> School {
        School {
            name: name.to_owned(),
            wifi_name: String::new(),
            wifi_password: String::new(),
            wifi_security: WifiSecurity::default(),
            levels: Level::lycee().collect(),
            subjects: DEFAULT_SUBJECTS
                .iter()
                .filter_map(|s| Subject::parse(s))
                .collect(),
        }
    }
}

/// How the school Wi-Fi is protected, as the `T:` field of a Wi-Fi QR code says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WifiSecurity {
    /// WPA, WPA2 or WPA3 with a password (phones tell them apart themselves).
    #[default]
    Wpa,
    Wep,
    /// An open network.
    None,
}

impl WifiSecurity {
    pub const ALL: [WifiSecurity; 3] = [WifiSecurity::Wpa, WifiSecurity::Wep, WifiSecurity::None];

    /// The form value (`wpa`, `wep`, `none`).
    pub fn name(self) -> &'static str {
        match self {
            WifiSecurity::Wpa => "wpa",
            WifiSecurity::Wep => "wep",
            WifiSecurity::None => "none",
        }
    }

    pub fn from_name(name: &str) -> Option<WifiSecurity> {
        WifiSecurity::ALL.into_iter().find(|s| s.name() == name)
    }

    /// What the admin form shows.
    pub fn label(self) -> &'static str {
        match self {
            WifiSecurity::Wpa => "WPA / WPA2 / WPA3",
            WifiSecurity::Wep => "WEP",
            WifiSecurity::None => "aucune (réseau ouvert)",
        }
    }
}

impl School {
    /// What a phone's camera reads to join the school Wi-Fi (`WIFI:S:name;T:WPA;P:secret;;`), or
    /// `None` while the admin has not named the network. An open network, or one saved without a
    /// password, is `T:nopass` with no password.
    pub fn wifi_qr_text(&self) -> Option<String> {
        let name = self.wifi_name.trim();
        if name.is_empty() {
            return None;
        }
        let kind = match self.wifi_security {
            _ if self.wifi_password.is_empty() => "nopass",
            WifiSecurity::None => "nopass",
            WifiSecurity::Wpa => "WPA",
            WifiSecurity::Wep => "WEP",
        };
        let mut text = format!("WIFI:S:{};T:{kind};", wifi_escape(name));
        if kind != "nopass" {
            text.push_str(&format!("P:{};", wifi_escape(&self.wifi_password)));
        }
        text.push(';');
        Some(text)
    }
}

/// The Wi-Fi QR format's escaping: `\`, `;`, `,`, `:` and `"` are preceded by a backslash, or
/// phones would cut the name or the password there.
fn wifi_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | ';' | ',' | ':' | '"') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn school(name: &str, password: &str, security: WifiSecurity) -> School {
        School {
            wifi_name: name.to_owned(),
            wifi_password: password.to_owned(),
            wifi_security: security,
            ..School::with_name("Lycée")
        }
    }

    #[test]
    fn the_wifi_qr_text_says_name_security_and_password() {
        let text = school("Lycee-Hugo", "correct horse", WifiSecurity::Wpa).wifi_qr_text();
        assert_eq!(
            text.as_deref(),
            Some("WIFI:S:Lycee-Hugo;T:WPA;P:correct horse;;")
        );
        let text = school("Vieux", "abcde", WifiSecurity::Wep).wifi_qr_text();
        assert_eq!(text.as_deref(), Some("WIFI:S:Vieux;T:WEP;P:abcde;;"));
    }

    #[test]
    fn special_characters_of_the_wifi_qr_format_are_escaped() {
        let text = school(r#"CDI; "Hugo", 2:1"#, r#"a\b;c,d:e"f"#, WifiSecurity::Wpa)
            .wifi_qr_text()
            .unwrap();
        assert_eq!(
            text,
            r#"WIFI:S:CDI\; \"Hugo\"\, 2\:1;T:WPA;P:a\\b\;c\,d\:e\"f;;"#
        );
        let accents = school("Lycée Émile", "été", WifiSecurity::Wpa).wifi_qr_text();
        assert_eq!(accents.as_deref(), Some("WIFI:S:Lycée Émile;T:WPA;P:été;;"));
    }

    #[test]
    fn an_open_network_has_no_password_and_no_name_has_no_code() {
        let open = school("Invites", "ignoré", WifiSecurity::None).wifi_qr_text();
        assert_eq!(open.as_deref(), Some("WIFI:S:Invites;T:nopass;;"));
        let no_password = school("Invites", "", WifiSecurity::Wpa).wifi_qr_text();
        assert_eq!(no_password.as_deref(), Some("WIFI:S:Invites;T:nopass;;"));
        assert_eq!(
            school("  ", "secret", WifiSecurity::Wpa).wifi_qr_text(),
            None
        );
    }

    #[test]
    fn settings_saved_before_the_security_choice_read_as_wpa() {
        let stored =
            r#"{"name":"Lycée","wifi_name":"W","wifi_password":"p","levels":[],"subjects":[]}"#;
        let school: School = serde_json::from_str(stored).unwrap();
        assert_eq!(school.wifi_security, WifiSecurity::Wpa);
    }
}
