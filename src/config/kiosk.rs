//! The kiosk screen's settings: how long it waits without a touch before it clears a family's
//! choices and goes home, and where USB sticks stand when a folder stands for them.

use std::path::PathBuf;
use std::time::Duration;

use super::{Error, Layer};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kiosk {
    /// Without a touch for this long, the kiosk clears the basket and goes home.
    pub idle: Duration,
    /// A folder whose folders stand for plugged-in USB sticks; `None`: the removable drives the
    /// system reports.
    pub usb_folder: Option<PathBuf>,
}

impl Kiosk {
    /// Long enough to read a document's first lines, short enough that the next family in the
    /// queue does not find the previous one's choices.
    pub const DEFAULT_IDLE: Duration = Duration::from_secs(120);

    pub(super) fn from_layer(merged: &Layer) -> Result<Kiosk, Error> {
        let idle = merged
            .kiosk_idle_seconds
            .unwrap_or(Kiosk::DEFAULT_IDLE.as_secs());
        if !(10..=3600).contains(&idle) {
            return Err(Error::Invalid {
                key: "kiosk_idle_seconds".to_owned(),
                message: "entre 10 et 3600 secondes".to_owned(),
            });
        }
        let usb_folder = merged
            .usb_folder
            .clone()
            .filter(|f| !f.as_os_str().is_empty())
            .map(|folder| {
                if folder.is_absolute() {
                    Ok(folder)
                } else {
                    std::env::current_dir()
                        .map(|dir| dir.join(folder))
                        .map_err(|e| Error::Invalid {
                            key: "usb_folder".to_owned(),
                            message: e.to_string(),
                        })
                }
            })
            .transpose()?;
        Ok(Kiosk {
            idle: Duration::from_secs(idle),
            usb_folder,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::Config;
    use super::*;

    fn resolve(file: Layer, env: Layer) -> Result<Kiosk, Error> {
        Config::resolve(file, env, Layer::default()).map(|c| c.kiosk)
    }

    #[test]
    fn the_kiosk_goes_home_after_two_minutes_unless_configured() {
        let kiosk = resolve(Layer::default(), Layer::default()).unwrap();
        assert_eq!(kiosk.idle, Duration::from_secs(120));
        assert_eq!(kiosk.usb_folder, None);
        let file: Layer = toml::from_str("kiosk_idle_seconds = 300").unwrap();
        assert_eq!(
            resolve(file.clone(), Layer::default()).unwrap().idle,
            Duration::from_secs(300)
        );
        let env = Layer::from_env(|name| {
            (name == "CARTABLE_KIOSK_IDLE_SECONDS").then(|| "45".to_owned())
        })
        .unwrap();
        assert_eq!(resolve(file, env).unwrap().idle, Duration::from_secs(45));
        let absurd = Layer {
            kiosk_idle_seconds: Some(2),
            ..Layer::default()
        };
        assert!(matches!(
            resolve(absurd, Layer::default()),
            Err(Error::Invalid { .. })
        ));
    }

    #[test]
    fn a_usb_folder_comes_from_the_environment_as_an_absolute_path() {
        let env = Layer::from_env(|name| {
            (name == "CARTABLE_USB_FOLDER").then(|| "cles-de-test".to_owned())
        })
        .unwrap();
        let folder = resolve(Layer::default(), env).unwrap().usb_folder.unwrap();
        assert!(folder.is_absolute());
        assert!(folder.ends_with("cles-de-test"));
    }
}
