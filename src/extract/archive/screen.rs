//! Which entries of a zip pack may be imported, and why each other one is refused. Decided from
//! the listing alone (declared names, sizes, types), before a byte is decompressed; the entry
//! reader then holds each entry to the size it declared, so the checks here cannot be lied to.

use super::ZipEntry;

/// Bounds on a zip pack to import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    /// Most files imported from one archive.
    pub max_entries: usize,
    /// Longest name (path inside the archive), in bytes.
    pub max_name_bytes: usize,
    /// Most folders a name may go down.
    pub max_depth: usize,
    /// Largest file once decompressed (the upload limit).
    pub max_entry_bytes: u64,
    /// Most bytes decompressed from one archive, all files together.
    pub max_total_bytes: u64,
    /// Highest decompressed/compressed ratio of a file...
    pub max_ratio: u64,
    /// ...once it is larger than this (a small file of blanks compresses very well too).
    pub ratio_floor_bytes: u64,
}

impl Default for Bounds {
    fn default() -> Bounds {
        Bounds {
            max_entries: 10_000,
            max_name_bytes: 512,
            max_depth: 16,
            max_entry_bytes: 512 * 1024 * 1024,
            max_total_bytes: 8 * 1024 * 1024 * 1024,
            // Text and XML compress 5 to 20 times, rarely 100; bombs a thousand times and more.
            max_ratio: 200,
            ratio_floor_bytes: 1024 * 1024,
        }
    }
}

/// Why one entry of an archive is not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A `..` in its path: written naively, it would land outside the folder.
    Traversal,
    Absolute,
    Symlink,
    /// A device, a pipe, a socket.
    Special,
    NameTooLong {
        limit: usize,
    },
    TooDeep {
        limit: usize,
    },
    TooLarge {
        limit: u64,
    },
    RatioTooHigh {
        ratio: u64,
        limit: u64,
    },
    TotalTooLarge {
        limit: u64,
    },
    TooManyEntries {
        limit: usize,
    },
    /// A zip inside the zip: not expanded.
    NestedArchive,
    Encrypted,
    UnsupportedMethod(u16),
    /// It decompressed to more than the directory declared: a crafted archive.
    SizeMismatch,
    /// Its data cannot be read (bad header, bad checksum, cut short).
    Damaged,
}

impl Refusal {
    /// The reason, in French (`english` for the English interface).
    pub fn explain(&self, english: bool) -> String {
        let t = |fr: String, en: String| if english { en } else { fr };
        match self {
            Refusal::Traversal => t(
                "chemin qui sort de l'archive (« ../ »)".into(),
                "path that climbs out of the archive (\"../\")".into(),
            ),
            Refusal::Absolute => t("chemin absolu".into(), "absolute path".into()),
            Refusal::Symlink => t("lien symbolique".into(), "symbolic link".into()),
            Refusal::Special => t(
                "fichier spécial (périphérique, tube)".into(),
                "special file (device, pipe)".into(),
            ),
            Refusal::NameTooLong { limit } => t(
                format!("nom trop long (plus de {limit} octets)"),
                format!("name too long (over {limit} bytes)"),
            ),
            Refusal::TooDeep { limit } => t(
                format!("trop de dossiers imbriqués (plus de {limit})"),
                format!("too many nested folders (over {limit})"),
            ),
            Refusal::TooLarge { limit } => t(
                format!("trop volumineux une fois décompressé (plus de {} Mo)", mb(*limit)),
                format!("too large once decompressed (over {} MB)", mb(*limit)),
            ),
            Refusal::RatioTooHigh { ratio, limit } => t(
                format!("taux de compression suspect (×{ratio}, au-delà de ×{limit}) : bombe zip probable"),
                format!("suspicious compression ratio (×{ratio}, over ×{limit}): likely a zip bomb"),
            ),
            Refusal::TotalTooLarge { limit } => t(
                format!("l'archive dépasse {} Mo décompressés au total", mb(*limit)),
                format!("the archive exceeds {} MB decompressed in total", mb(*limit)),
            ),
            Refusal::TooManyEntries { limit } => t(
                format!("trop de fichiers dans l'archive (plus de {limit})"),
                format!("too many files in the archive (over {limit})"),
            ),
            Refusal::NestedArchive => t(
                "archive dans l'archive : elle n'est pas décompressée".into(),
                "archive inside the archive: not expanded".into(),
            ),
            Refusal::Encrypted => t(
                "fichier chiffré (protégé par mot de passe)".into(),
                "encrypted file (password protected)".into(),
            ),
            Refusal::UnsupportedMethod(method) => t(
                format!("méthode de compression non prise en charge ({method})"),
                format!("unsupported compression method ({method})"),
            ),
            Refusal::SizeMismatch => t(
                "plus gros que ce que l'archive annonce : archive piégée".into(),
                "larger than the archive declares: a crafted archive".into(),
            ),
            Refusal::Damaged => t(
                "fichier endommagé dans l'archive".into(),
                "damaged file in the archive".into(),
            ),
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.explain(false))
    }
}

fn mb(bytes: u64) -> u64 {
    bytes / (1024 * 1024)
}

/// What to do with one entry of the listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A folder: nothing to import, nothing to report.
    Folder,
    Import,
    Refuse(Refusal),
}

/// Decides, for each entry in order, whether it is imported. Files are counted towards
/// `max_entries` and `max_total_bytes` only once accepted, so one bad entry never costs a good one
/// its place.
pub fn screen_entries(entries: &[ZipEntry], bounds: &Bounds) -> Vec<Verdict> {
    let mut accepted = 0usize;
    let mut total = 0u64;
    entries
        .iter()
        .map(|entry| {
            if entry.is_directory() && !entry.is_symlink() {
                return Verdict::Folder;
            }
            match refusal(entry, bounds) {
                Some(refusal) => Verdict::Refuse(refusal),
                None if accepted >= bounds.max_entries => {
                    Verdict::Refuse(Refusal::TooManyEntries {
                        limit: bounds.max_entries,
                    })
                }
                None if total.saturating_add(entry.uncompressed) > bounds.max_total_bytes => {
                    Verdict::Refuse(Refusal::TotalTooLarge {
                        limit: bounds.max_total_bytes,
                    })
                }
                None => {
                    accepted += 1;
                    total += entry.uncompressed;
                    Verdict::Import
                }
            }
        })
        .collect()
}

/// What is wrong with this one entry, on its own.
fn refusal(entry: &ZipEntry, bounds: &Bounds) -> Option<Refusal> {
    let name = entry.name.as_str();
    let parts: Vec<&str> = name.split('/').filter(|p| !p.is_empty()).collect();
    let refusal = if name.starts_with('/') || has_drive(name) {
        Refusal::Absolute
    } else if parts.contains(&"..") {
        Refusal::Traversal
    } else if entry.name_length > bounds.max_name_bytes || name.contains('\0') {
        Refusal::NameTooLong {
            limit: bounds.max_name_bytes,
        }
    } else if parts.len() > bounds.max_depth + 1 {
        Refusal::TooDeep {
            limit: bounds.max_depth,
        }
    } else if entry.is_symlink() {
        Refusal::Symlink
    } else if entry.is_special() {
        Refusal::Special
    } else if entry.flags & 1 != 0 {
        Refusal::Encrypted
    } else if !matches!(entry.method, 0 | 8) {
        Refusal::UnsupportedMethod(entry.method)
    } else if entry.uncompressed > bounds.max_entry_bytes {
        Refusal::TooLarge {
            limit: bounds.max_entry_bytes,
        }
    } else if entry.uncompressed > bounds.ratio_floor_bytes
        && entry.uncompressed / entry.compressed.max(1) > bounds.max_ratio
    {
        Refusal::RatioTooHigh {
            ratio: entry.uncompressed / entry.compressed.max(1),
            limit: bounds.max_ratio,
        }
    } else if entry.method == 0 && entry.compressed != entry.uncompressed {
        Refusal::Damaged
    } else if parts
        .last()
        .is_some_and(|file| file.to_ascii_lowercase().ends_with(".zip"))
    {
        Refusal::NestedArchive
    } else {
        return None;
    };
    Some(refusal)
}

/// `C:/...` or `C:...`: absolute (or drive-relative) on Windows.
fn has_drive(name: &str) -> bool {
    let bytes = name.as_bytes();
    bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
}
