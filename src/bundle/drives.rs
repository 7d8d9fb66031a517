//! USB sticks mounted on this machine: read from `/proc/self/mountinfo`, kept when their block
//! device says it is removable (`/sys/block/<disk>/removable`), with label and free space, so the
//! kiosk can offer "Copier sur la clé USB".

use std::path::{Path, PathBuf};

/// A mounted removable drive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drive {
    pub mount_point: PathBuf,
    /// What people call it: the volume label when the mount point shows it, else the device.
    pub label: String,
    pub file_system: String,
    pub free_bytes: u64,
}

/// The removable drives mounted now (none where /proc or /sys cannot be read).
pub fn removable() -> Vec<Drive> {
    let Ok(mountinfo) = std::fs::read_to_string("/proc/self/mountinfo") else {
        return Vec::new();
    };
    parse(&mountinfo, &|disk| {
        std::fs::read_to_string(format!("/sys/block/{disk}/removable"))
            .is_ok_and(|v| v.trim() == "1")
    })
    .into_iter()
    .filter_map(|mut drive| {
        let stats = rustix::fs::statvfs(&drive.mount_point).ok()?;
        drive.free_bytes = stats.f_bavail.saturating_mul(stats.f_frsize);
        Some(drive)
    })
    .collect()
}

/// The folders inside `folder`, each standing for a plugged-in stick: what a test or a
/// demonstration without a stick uses instead of the system's removable drives (`usb_folder`).
pub fn in_folder(folder: &Path) -> Vec<Drive> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut drives: Vec<Drive> = entries
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|entry| {
            let stats = rustix::fs::statvfs(entry.path()).ok()?;
            Some(Drive {
                mount_point: entry.path(),
                label: entry.file_name().to_string_lossy().into_owned(),
                file_system: "dossier".to_owned(),
                free_bytes: stats.f_bavail.saturating_mul(stats.f_frsize),
            })
        })
        .collect();
    drives.sort_by(|a, b| a.label.cmp(&b.label));
    drives
}

/// The mounts of `mountinfo` on block devices `is_removable` accepts (by disk name: `sdb`).
fn parse(mountinfo: &str, is_removable: &dyn Fn(&str) -> bool) -> Vec<Drive> {
    let mut drives = Vec::new();
    for line in mountinfo.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        let Some(separator) = fields.iter().position(|f| *f == "-") else {
            continue;
        };
        let (Some(mount_point), Some(file_system), Some(source)) = (
            fields.get(4),
            fields.get(separator + 1),
            fields.get(separator + 2),
        ) else {
            continue;
        };
        let Some(device) = source.strip_prefix("/dev/") else {
            continue;
        };
        if !is_removable(&disk_of(device)) {
            continue;
        }
        let mount_point = PathBuf::from(unescape(mount_point));
        let label = Path::new(&mount_point)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| device.to_owned());
        drives.push(Drive {
            mount_point,
            label,
            file_system: (*file_system).to_owned(),
            free_bytes: 0,
        });
    }
    drives
}

/// The disk a partition belongs to: `sdb1` -> `sdb`, `mmcblk0p1` -> `mmcblk0`, `nvme0n1p2` -> `nvme0n1`.
fn disk_of(device: &str) -> String {
    if let Some(at) = device
        .rfind('p')
        .filter(|_| device.starts_with("mmcblk") || device.starts_with("nvme"))
    {
        if device[at + 1..].chars().all(|c| c.is_ascii_digit()) && at + 1 < device.len() {
            return device[..at].to_owned();
        }
    }
    device
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .to_owned()
}

/// mountinfo escapes spaces and a few other bytes as `\\040` (octal).
fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\'
            && i + 3 < bytes.len()
            && bytes[i + 1..i + 4]
                .iter()
                .all(|b| (b'0'..=b'7').contains(b))
        {
            let value =
                (bytes[i + 1] - b'0') * 64 + (bytes[i + 2] - b'0') * 8 + (bytes[i + 3] - b'0');
            out.push(value);
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOUNTINFO: &str = "\
22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw
25 22 8:17 / /media/pi/CL\\303\\211\\040DE\\040L\\303\\211A rw,nosuid shared:5 - vfat /dev/sdb1 rw,uid=1000
26 22 179:1 / /boot/firmware rw shared:6 - vfat /dev/mmcblk0p1 rw
27 22 0:40 / /run/user/1000 rw - tmpfs tmpfs rw";

    #[test]
    fn only_removable_block_devices_are_offered_with_their_label() {
        let drives = parse(MOUNTINFO, &|disk| disk == "sdb");
        assert_eq!(drives.len(), 1);
        assert_eq!(drives[0].mount_point, PathBuf::from("/media/pi/CLÉ DE LÉA"));
        assert_eq!(drives[0].label, "CLÉ DE LÉA");
        assert_eq!(drives[0].file_system, "vfat");
    }

    #[test]
    fn partitions_name_their_disk() {
        assert_eq!(disk_of("sdb1"), "sdb");
        assert_eq!(disk_of("mmcblk0p1"), "mmcblk0");
        assert_eq!(disk_of("nvme0n1p2"), "nvme0n1");
        assert_eq!(disk_of("sdc"), "sdc");
    }

    #[test]
    fn the_folders_of_a_usb_folder_stand_for_sticks() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("CLE DE LEA")).unwrap();
        std::fs::create_dir(root.path().join("BAC")).unwrap();
        std::fs::write(root.path().join("notes.txt"), "pas une clé").unwrap();
        let drives = in_folder(root.path());
        let labels: Vec<&str> = drives.iter().map(|d| d.label.as_str()).collect();
        assert_eq!(labels, ["BAC", "CLE DE LEA"]);
        assert_eq!(drives[1].mount_point, root.path().join("CLE DE LEA"));
        assert!(drives[0].free_bytes > 0);
        assert!(in_folder(&root.path().join("absent")).is_empty());
    }
}
