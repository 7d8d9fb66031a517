//! The school's own settings, edited by an admin: its name, the Wi-Fi shown on the kiosk, and
//! the lists of levels and subjects offered in forms.

use serde::{Deserialize, Serialize};

use super::{Level, Subject};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct School {
    pub name: String,
    pub wifi_name: String,
    pub wifi_password: String,
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
            levels: Level::lycee().collect(),
            subjects: DEFAULT_SUBJECTS
                .iter()
                .filter_map(|s| Subject::parse(s))
                .collect(),
        }
    }
}
