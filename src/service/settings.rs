//! What the service is opened with: the data folder, the extractor and the limits, resolved by
//! the caller (the command line from the configuration, or a test).

use std::path::PathBuf;

use crate::extract::Extractor;

/// Settings the service needs, resolved by the caller (CLI or config).
#[derive(Debug, Clone)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub extractor: Extractor,
    pub max_upload_bytes: u64,
    /// Free space uploads must leave on the data folder's disk (see `room`).
    pub disk_reserve_bytes: u64,
    /// How long a staff session lasts without activity.
    pub session_seconds: i64,
    /// LibreOffice (`soffice`) for printing office files as laid out; `None`: print them as
    /// text. Whether it is installed is found out when used.
    pub office_command: Option<String>,
    /// A folder whose folders stand for plugged-in USB sticks (a test, a demonstration);
    /// `None`: the removable drives the system reports.
    pub usb_folder: Option<PathBuf>,
}

impl Settings {
    /// The defaults: 200 MB uploads, a 256 MB disk reserve, 12-hour sessions, LibreOffice as
    /// `soffice`.
    pub fn new(data_dir: PathBuf, extractor: Extractor) -> Settings {
        Settings {
            data_dir,
            extractor,
            max_upload_bytes: 200 * 1024 * 1024,
            disk_reserve_bytes: 256 * 1024 * 1024,
            session_seconds: 12 * 3600,
            office_command: Some("soffice".to_owned()),
            usb_folder: None,
        }
    }
}
