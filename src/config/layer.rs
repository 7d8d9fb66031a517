//! One layer of settings (the defaults, a TOML file, the `CARTABLE_*` environment or the
//! command-line flags), every field optional, and how layers are read and merged.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Capacity, Error, Kiosk};

/// One layer of settings; every field optional so layers can be merged.
#[derive(Debug, Default, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// Address and port to serve on.
    pub listen: Option<String>,
    /// Data folder (catalog, files, index).
    pub data: Option<PathBuf>,
    /// The school's name shown on every page (the admin can change it later).
    pub school_name: Option<String>,
    /// Name advertised with mDNS (`NAME.local`); empty turns advertising off.
    pub mdns_name: Option<String>,
    /// Captive portal for the machine's own Wi-Fi hotspot (see `web::hotspot`); off by default.
    pub hotspot: Option<bool>,
    /// Largest file accepted, in megabytes.
    pub max_upload_mb: Option<u64>,
    /// Free space, in megabytes, that uploads must leave on the data folder's disk.
    pub disk_reserve_mb: Option<u64>,
    /// How long a staff session lasts without activity, in hours.
    pub session_hours: Option<u64>,
    /// Command that prints a PDF at the desk (`lp`, `lp -d salle-cdi`), the file added last;
    /// empty turns printing off (the desk then downloads the PDF).
    pub print_command: Option<String>,
    /// LibreOffice's program (`soffice`, or a full path), to print Word and OpenDocument files
    /// as laid out; empty prints them as text.
    pub office_command: Option<String>,
    /// Admission control (staff first, families beyond capacity shown a waiting page); turned
    /// off only to measure what it does.
    pub admission: Option<bool>,
    /// Family pages and searches answered at once; more wait briefly, then get the waiting page.
    pub family_requests: Option<u64>,
    /// Family downloads, zips and printable packs sent at once.
    pub family_downloads: Option<u64>,
    /// Downloads one family device (address) may have at once.
    pub downloads_per_client: Option<u64>,
    /// Open connections at most (also bounded by the open-file limit).
    pub max_connections: Option<u64>,
    /// Open connections one address may hold.
    pub connections_per_client: Option<u64>,
    /// Seconds without a touch before the kiosk screen clears its choices and goes home.
    pub kiosk_idle_seconds: Option<u64>,
    /// A folder whose folders stand for plugged-in USB sticks (a test, a demonstration).
    pub usb_folder: Option<PathBuf>,
}

impl Layer {
    /// The later layer wins wherever it says something.
    pub(super) fn over(self, lower: Layer) -> Layer {
        Layer {
            listen: self.listen.or(lower.listen),
            data: self.data.or(lower.data),
            school_name: self.school_name.or(lower.school_name),
            mdns_name: self.mdns_name.or(lower.mdns_name),
            hotspot: self.hotspot.or(lower.hotspot),
            max_upload_mb: self.max_upload_mb.or(lower.max_upload_mb),
            disk_reserve_mb: self.disk_reserve_mb.or(lower.disk_reserve_mb),
            session_hours: self.session_hours.or(lower.session_hours),
            print_command: self.print_command.or(lower.print_command),
            office_command: self.office_command.or(lower.office_command),
            admission: self.admission.or(lower.admission),
            family_requests: self.family_requests.or(lower.family_requests),
            family_downloads: self.family_downloads.or(lower.family_downloads),
            downloads_per_client: self.downloads_per_client.or(lower.downloads_per_client),
            max_connections: self.max_connections.or(lower.max_connections),
            connections_per_client: self.connections_per_client.or(lower.connections_per_client),
            kiosk_idle_seconds: self.kiosk_idle_seconds.or(lower.kiosk_idle_seconds),
            usb_folder: self.usb_folder.or(lower.usb_folder),
        }
    }

    pub(super) fn defaults() -> Layer {
        Layer {
            listen: Some("0.0.0.0:8080".to_owned()),
            data: Some(PathBuf::from("cartable-data")),
            school_name: Some("Lycée".to_owned()),
            mdns_name: Some("cartable".to_owned()),
            hotspot: Some(false),
            max_upload_mb: Some(200),
            // On a 16-32 GB SD card shared with the system: room for the catalog's WAL, index
            // merges (which rewrite segments before dropping the old ones), cached printable
            // PDFs and reading views, sessions, and the system's own logs and updates. 256 MB is
            // under 2 % of a 16 GB card and several times what a year of a lycée's catalog and
            // index need to change.
            disk_reserve_mb: Some(256),
            session_hours: Some(12),
            print_command: Some("lp".to_owned()),
            office_command: Some("soffice".to_owned()),
            admission: Some(true),
            family_requests: Some(Capacity::DEFAULT.family_requests as u64),
            family_downloads: Some(Capacity::DEFAULT.family_downloads as u64),
            downloads_per_client: Some(Capacity::DEFAULT.downloads_per_client as u64),
            max_connections: Some(Capacity::DEFAULT.max_connections as u64),
            connections_per_client: Some(Capacity::DEFAULT.connections_per_client as u64),
            kiosk_idle_seconds: Some(Kiosk::DEFAULT_IDLE.as_secs()),
            usb_folder: None,
        }
    }

    /// Reads a TOML file.
    pub fn from_file(path: &Path) -> Result<Layer, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        toml::from_str(&text).map_err(|source| Error::Parse {
            path: path.to_owned(),
            message: source.to_string(),
        })
    }

    /// Reads `CARTABLE_*` variables from `lookup` (the process environment in production).
    pub fn from_env(lookup: impl Fn(&str) -> Option<String>) -> Result<Layer, Error> {
        let number = |name: &str| -> Result<Option<u64>, Error> {
            lookup(name)
                .map(|v| {
                    v.trim().parse().map_err(|_| Error::Invalid {
                        key: name.to_owned(),
                        message: format!("« {v} » n'est pas un nombre entier"),
                    })
                })
                .transpose()
        };
        Ok(Layer {
            listen: lookup("CARTABLE_LISTEN"),
            data: lookup("CARTABLE_DATA").map(PathBuf::from),
            school_name: lookup("CARTABLE_SCHOOL_NAME"),
            mdns_name: lookup("CARTABLE_MDNS_NAME"),
            hotspot: lookup("CARTABLE_HOTSPOT")
                .map(|v| match v.trim() {
                    "true" | "1" => Ok(true),
                    "false" | "0" | "" => Ok(false),
                    _ => Err(Error::Invalid {
                        key: "CARTABLE_HOTSPOT".to_owned(),
                        message: format!("« {v} » : true ou false"),
                    }),
                })
                .transpose()?,
            max_upload_mb: number("CARTABLE_MAX_UPLOAD_MB")?,
            disk_reserve_mb: number("CARTABLE_DISK_RESERVE_MB")?,
            session_hours: number("CARTABLE_SESSION_HOURS")?,
            print_command: lookup("CARTABLE_PRINT_COMMAND"),
            office_command: lookup("CARTABLE_OFFICE_COMMAND"),
            admission: lookup("CARTABLE_ADMISSION")
                .map(|v| match v.trim() {
                    "true" | "on" | "1" => Ok(true),
                    "false" | "off" | "0" => Ok(false),
                    other => Err(Error::Invalid {
                        key: "CARTABLE_ADMISSION".to_owned(),
                        message: format!("« {other} » : true ou false"),
                    }),
                })
                .transpose()?,
            family_requests: number("CARTABLE_FAMILY_REQUESTS")?,
            family_downloads: number("CARTABLE_FAMILY_DOWNLOADS")?,
            downloads_per_client: number("CARTABLE_DOWNLOADS_PER_CLIENT")?,
            max_connections: number("CARTABLE_MAX_CONNECTIONS")?,
            connections_per_client: number("CARTABLE_CONNECTIONS_PER_CLIENT")?,
            kiosk_idle_seconds: number("CARTABLE_KIOSK_IDLE_SECONDS")?,
            usb_folder: lookup("CARTABLE_USB_FOLDER").map(PathBuf::from),
        })
    }
}
