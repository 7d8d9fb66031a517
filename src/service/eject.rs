//! Ejecting a USB stick after a copy at the kiosk. The image's automount (image/files: the
//! udev rule and `lib/usb`) mounts sticks under `/media/cartable` and installs a root helper
//! unit, `cartable-eject@.service`, that flushes, unmounts and checks the stick is gone; a polkit
//! rule lets the cartable user start that unit and nothing else, so the service needs no
//! privilege of its own. A stick mounted elsewhere (a desktop's automount) is left mounted: the
//! copy was already flushed and read back from it.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::sandbox;

use super::Core;

/// Where the image mounts sticks.
pub const AUTOMOUNT_BASE: &str = "/media/cartable";
/// The helper unit's own limit is 3 minutes (a slow stick flushing).
const EJECT_TIMEOUT: Duration = Duration::from_secs(190);

/// What became of the stick after the copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ejected {
    /// Flushed and unmounted: it can be pulled out.
    Ejected,
    /// Not mounted by the image's automount (or no systemd here): left as it is.
    NotManaged,
    /// The helper failed; why, for the desk.
    Failed(String),
}

impl Core {
    /// Ejects the stick mounted at `mount_point` when the image's automount mounted it.
    pub fn eject(&self, mount_point: &Path) -> Ejected {
        if !mounted_by_the_image(mount_point) {
            return Ejected::NotManaged;
        }
        let mut escape = Command::new("systemd-escape");
        escape
            .args(["--path", "--template=cartable-eject@.service"])
            .arg(mount_point);
        let unit = match sandbox::run(escape, &[], Duration::from_secs(10), 4096) {
            sandbox::Outcome::Exited { status, stdout, .. } if status.success() => {
                String::from_utf8_lossy(&stdout).trim().to_owned()
            }
            _ => return Ejected::NotManaged,
        };
        let mut start = Command::new("systemctl");
        start.args(["--no-ask-password", "start", &unit]);
        match sandbox::run(start, &[], EJECT_TIMEOUT, 16 * 1024) {
            sandbox::Outcome::Exited { status, .. } if status.success() => Ejected::Ejected,
            sandbox::Outcome::Exited { stderr, .. } => {
                let reason: String = String::from_utf8_lossy(&stderr).chars().take(300).collect();
                tracing::warn!(%unit, %reason, "the stick could not be ejected");
                Ejected::Failed(reason.trim().to_owned())
            }
            sandbox::Outcome::TimedOut { .. } => {
                Ejected::Failed("la clé ne s'est pas démontée à temps".to_owned())
            }
            sandbox::Outcome::CannotStart(_) => Ejected::NotManaged,
        }
    }
}

/// Whether the image's automount mounted this stick (a folder inside its base, by components:
/// `/media/cartable-x` is not inside it).
fn mounted_by_the_image(mount_point: &Path) -> bool {
    mount_point.starts_with(AUTOMOUNT_BASE) && mount_point != Path::new(AUTOMOUNT_BASE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sticks_inside_the_automount_base_are_ejected() {
        assert!(mounted_by_the_image(Path::new(
            "/media/cartable/CLÉ DE LÉA"
        )));
        assert!(!mounted_by_the_image(Path::new("/media/pi/CLE")));
        assert!(!mounted_by_the_image(Path::new(AUTOMOUNT_BASE)));
        assert!(!mounted_by_the_image(Path::new("/media/cartable-x/CLE")));
    }
}
