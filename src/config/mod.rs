//! Configuration, resolved once: defaults < TOML file (`--config`) < `CARTABLE_*` environment <
//! command-line flags, then validated into a typed [`Config`] (absolute paths, socket address,
//! limits in bytes). Unknown keys in the file are an error. Passwords never come from here.

use std::net::SocketAddr;
use std::path::PathBuf;

mod capacity;
mod kiosk;
mod layer;

pub use capacity::Capacity;
pub use kiosk::Kiosk;
pub use layer::Layer;

/// The validated configuration every part of the program reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub school_name: String,
    /// `None`: do not advertise on the network.
    pub mdns_name: Option<String>,
    /// Answer captive-portal probes and redirect foreign Hosts (the machine is the hotspot).
    pub hotspot: bool,
    pub max_upload_bytes: u64,
    /// Free space uploads must leave on the data folder's disk (0: none kept).
    pub disk_reserve_bytes: u64,
    pub session_seconds: i64,
    /// `None`: printing at the desk is off. Whether the program exists is checked when used.
    pub print_command: Option<String>,
    /// `None`: office files print as text. Whether LibreOffice exists is found out when used.
    pub office_command: Option<String>,
    pub capacity: Capacity,
    pub kiosk: Kiosk,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read the configuration file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the configuration file {path} is invalid: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("invalid setting {key}: {message}")]
    Invalid { key: String, message: String },
}

impl Config {
    /// Merges the layers (file, environment, flags; any may be empty) over the defaults and
    /// validates the result.
    pub fn resolve(file: Layer, env: Layer, flags: Layer) -> Result<Config, Error> {
        let merged = flags.over(env.over(file.over(Layer::defaults())));
        let capacity = Capacity::from_layer(&merged)?;
        let kiosk = Kiosk::from_layer(&merged)?;
        let invalid = |key: &str, message: String| Error::Invalid {
            key: key.to_owned(),
            message,
        };
        let listen_text = merged.listen.unwrap_or_default();
        let listen: SocketAddr = listen_text.parse().map_err(|_| {
            invalid(
                "listen",
                format!("« {listen_text} » n'est pas une adresse (ex. 0.0.0.0:8080)"),
            )
        })?;
        let data = merged.data.unwrap_or_default();
        let data_dir = if data.is_absolute() {
            data
        } else {
            std::env::current_dir()
                .map_err(|e| invalid("data", e.to_string()))?
                .join(data)
        };
        let school_name = merged.school_name.unwrap_or_default().trim().to_owned();
        if school_name.is_empty() || school_name.chars().count() > 120 {
            return Err(invalid(
                "school_name",
                "le nom doit faire de 1 à 120 caractères".to_owned(),
            ));
        }
        let mdns_name = merged
            .mdns_name
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty());
        if let Some(name) = &mdns_name {
            let valid = name.len() <= 63
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !name.starts_with('-');
            if !valid {
                return Err(invalid(
                    "mdns_name",
                    format!("« {name} » : lettres, chiffres et tirets seulement (63 au plus)"),
                ));
            }
        }
        let max_upload_mb = merged.max_upload_mb.unwrap_or_default();
        if !(1..=10_240).contains(&max_upload_mb) {
            return Err(invalid("max_upload_mb", "entre 1 et 10240 Mo".to_owned()));
        }
        let disk_reserve_mb = merged.disk_reserve_mb.unwrap_or_default();
        if disk_reserve_mb > MAX_DISK_RESERVE_MB {
            return Err(invalid(
                "disk_reserve_mb",
                format!("entre 0 et {MAX_DISK_RESERVE_MB} Mo"),
            ));
        }
        let session_hours = merged.session_hours.unwrap_or_default();
        if !(1..=24 * 30).contains(&session_hours) {
            return Err(invalid("session_hours", "entre 1 et 720 heures".to_owned()));
        }
        let print_command = command("print_command", merged.print_command)?;
        let office_command = command("office_command", merged.office_command)?;
        Ok(Config {
            listen,
            data_dir,
            school_name,
            mdns_name,
            hotspot: merged.hotspot.unwrap_or_default(),
            max_upload_bytes: max_upload_mb * 1024 * 1024,
            disk_reserve_bytes: disk_reserve_mb * 1024 * 1024,
            session_seconds: (session_hours * 3600) as i64,
            print_command,
            office_command,
            capacity,
            kiosk,
        })
    }
}

/// The largest disk reserve accepted (1 PB): past it the setting is a typing mistake.
const MAX_DISK_RESERVE_MB: u64 = 1 << 30;

/// A command setting: trimmed, `None` when empty, refused over several lines or 500 characters.
fn command(key: &'static str, value: Option<String>) -> Result<Option<String>, Error> {
    let command = value.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
    if let Some(command) = &command {
        if command.len() > 500 || command.chars().any(char::is_control) {
            return Err(Error::Invalid {
                key: key.to_owned(),
                message: "une commande sur une ligne, 500 caractères au plus".to_owned(),
            });
        }
    }
    Ok(command)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_layers_win() {
        let file = Layer {
            listen: Some("127.0.0.1:9000".into()),
            school_name: Some("Lycée Victor Hugo".into()),
            ..Layer::default()
        };
        let env = Layer {
            listen: Some("127.0.0.1:9001".into()),
            ..Layer::default()
        };
        let flags = Layer {
            max_upload_mb: Some(5),
            ..Layer::default()
        };
        let config = Config::resolve(file, env, flags).unwrap();
        assert_eq!(config.listen.port(), 9001);
        assert_eq!(config.school_name, "Lycée Victor Hugo");
        assert_eq!(config.max_upload_bytes, 5 * 1024 * 1024);
        assert_eq!(config.mdns_name.as_deref(), Some("cartable"));
        assert!(config.data_dir.is_absolute());
        assert_eq!(config.print_command.as_deref(), Some("lp"));
        assert_eq!(config.office_command.as_deref(), Some("soffice"));
        assert_eq!(config.disk_reserve_bytes, 256 * 1024 * 1024);
    }

    #[test]
    fn the_disk_reserve_comes_from_the_file_or_the_environment() {
        let file: Layer = toml::from_str("disk_reserve_mb = 64").unwrap();
        let env = |value: &'static str| {
            Layer::from_env(|name| (name == "CARTABLE_DISK_RESERVE_MB").then(|| value.to_owned()))
        };
        let resolve = |file, env| Config::resolve(file, env, Layer::default());
        assert_eq!(
            resolve(file.clone(), Layer::default())
                .unwrap()
                .disk_reserve_bytes,
            64 * 1024 * 1024
        );
        assert_eq!(
            resolve(file, env("0").unwrap()).unwrap().disk_reserve_bytes,
            0
        );
        assert!(matches!(env("beaucoup"), Err(Error::Invalid { .. })));
        let huge = Layer {
            disk_reserve_mb: Some(u64::MAX),
            ..Layer::default()
        };
        assert!(matches!(
            resolve(huge, Layer::default()),
            Err(Error::Invalid { .. })
        ));
    }

    #[test]
    fn libreoffice_comes_from_the_environment_and_empty_turns_it_off() {
        let env = |value: &'static str| {
            Layer::from_env(|name| (name == "CARTABLE_OFFICE_COMMAND").then(|| value.to_owned()))
                .unwrap()
        };
        let resolve = |layer| Config::resolve(Layer::default(), layer, Layer::default());
        assert_eq!(
            resolve(env("/opt/libreoffice/program/soffice"))
                .unwrap()
                .office_command
                .as_deref(),
            Some("/opt/libreoffice/program/soffice")
        );
        assert_eq!(resolve(env("")).unwrap().office_command, None);
        assert!(matches!(
            resolve(env("soffice\nrm -rf /")),
            Err(Error::Invalid { .. })
        ));
    }

    #[test]
    fn the_print_command_comes_from_the_environment_and_empty_turns_it_off() {
        let env = Layer::from_env(|name| {
            (name == "CARTABLE_PRINT_COMMAND").then(|| "lp -d salle-cdi".to_owned())
        })
        .unwrap();
        let config = Config::resolve(Layer::default(), env, Layer::default()).unwrap();
        assert_eq!(config.print_command.as_deref(), Some("lp -d salle-cdi"));
        let off = Layer {
            print_command: Some("  ".into()),
            ..Layer::default()
        };
        let config = Config::resolve(off, Layer::default(), Layer::default()).unwrap();
        assert_eq!(config.print_command, None);
        let bad = Layer {
            print_command: Some("lp\nrm -rf /".into()),
            ..Layer::default()
        };
        assert!(matches!(
            Config::resolve(bad, Layer::default(), Layer::default()),
            Err(Error::Invalid { .. })
        ));
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cartable.toml");
        std::fs::write(&path, "listen = \"0.0.0.0:80\"\ncolour = \"blue\"\n").unwrap();
        assert!(matches!(Layer::from_file(&path), Err(Error::Parse { .. })));
        let bad = Layer {
            listen: Some("partout".into()),
            ..Layer::default()
        };
        assert!(matches!(
            Config::resolve(bad, Layer::default(), Layer::default()),
            Err(Error::Invalid { .. })
        ));
        let env = Layer::from_env(|name| {
            (name == "CARTABLE_MAX_UPLOAD_MB").then(|| "beaucoup".to_owned())
        });
        assert!(matches!(env, Err(Error::Invalid { .. })));
        let no_mdns = Layer {
            mdns_name: Some(" ".into()),
            ..Layer::default()
        };
        assert_eq!(
            Config::resolve(no_mdns, Layer::default(), Layer::default())
                .unwrap()
                .mdns_name,
            None
        );
    }

    #[test]
    fn hotspot_mode_is_off_unless_the_file_or_the_environment_turns_it_on() {
        let resolve = |file, env| {
            Config::resolve(file, env, Layer::default())
                .unwrap()
                .hotspot
        };
        assert!(!resolve(Layer::default(), Layer::default()));
        let on: Layer = toml::from_str("hotspot = true").unwrap();
        assert!(resolve(on.clone(), Layer::default()));
        let env = |value: &'static str| {
            Layer::from_env(|name| (name == "CARTABLE_HOTSPOT").then(|| value.to_owned()))
        };
        assert!(!resolve(on, env("false").unwrap()));
        assert!(resolve(Layer::default(), env("true").unwrap()));
        assert!(matches!(env("peut-être"), Err(Error::Invalid { .. })));
    }
}
