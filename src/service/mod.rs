//! The service layer: the operations the web and the command line call. `Core` holds the
//! adapters and does the work synchronously; `Library` is the async face the web uses, running
//! each call on tokio's blocking pool so request workers never wait on disk or child processes.

mod account_changes;
mod accounts;
mod backup;
mod class_pages;
mod downloads;
mod eject;
mod entry_form;
mod error;
mod export;
mod finding;
mod handouts;
mod hashing;
mod homework;
mod homework_find;
mod hub;
mod import;
mod infer;
mod library;
mod maintenance;
mod matched;
mod pack;
mod pages;
mod print;
mod print_desk;
mod reading;
mod room;
mod school;
mod settings;
mod shared;
mod throttle;
mod usb_copies;
mod visits;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::extract::Extractor;
use crate::index::SearchIndex;
use crate::model::{Account, Document, DocumentFilter, DocumentId, Metadata};
use crate::store::Store;

pub use crate::bundle::{Drive, Progress, QrModules};
pub use account_changes::AccountChange;
pub use accounts::{random_token, Accounts, LoggedIn, NewSession, NewToken, Staff, LOGIN_FAILED};
pub use backup::{back_up, restore, BackupError, BackupReport, RestoreError, RestoreReport};
pub use class_pages::{ClassWeekPage, KioskFind, KIOSK_PER_PAGE};
pub use eject::Ejected;
pub use entry_form::EntryDocuments;
pub use error::Error;
pub use export::{PreparedZip, Selection};
pub use finding::{FoundDocuments, SearchPage};
pub use handouts::{french_day, week_title};
pub use homework::{HomeworkItem, HomeworkWeek};
pub use homework_find::MAX_FOUND_ENTRIES;
pub use hub::{publisher_key_path, Fetched, Published, Synced};
pub use import::{ImportOutcome, ImportReport};
pub use infer::{infer, Inferred};
pub use library::{Added, Received};
pub use maintenance::CheckReport;
pub use matched::{FoundDocument, Matched, MatchedField};
pub use pack::BuiltPack;
pub use pages::{
    DocumentPage, HomePage, LevelPage, ListPage, SearchAsk, SearchResults, Searched, LIST_PER_PAGE,
    SEARCH_PER_PAGE,
};
pub use print::{PrintCommand, PrintQueue, QueuedPrint, MAX_OPEN_REQUESTS};
pub use print_desk::{PrintAction, PrintDesk};
pub use reading::ReadingView;
pub use room::NoRoom;
pub use settings::Settings;
pub use usb_copies::UsbCopy;

/// Whether a server (another process) owns the data folder, running or starting: then changes go
/// through it.
pub fn served_elsewhere(data_dir: &Path) -> bool {
    crate::store::held_elsewhere(data_dir)
}

/// Whether `data_dir` holds a catalog (a data folder that was used), found without creating
/// anything.
pub fn has_catalog(data_dir: &Path) -> bool {
    crate::store::has_catalog(data_dir)
}

/// The adapters, coordinated. Blocking: call from a thread that may block.
#[derive(Debug)]
pub struct Core {
    store: Arc<Store>,
    accounts: Accounts,
    school: school::SchoolCache,
    /// Downloads counted since they were last saved.
    downloads: std::sync::Mutex<std::collections::HashMap<DocumentId, u64>>,
    index: SearchIndex,
    extractor: Extractor,
    max_upload_bytes: u64,
    disk_reserve: u64,
    packs: pack::PackSlots,
    prints_in_flight: print::InFlight,
    /// Open print requests by the device that asked (see `print::OPEN_REQUESTS_PER_CLIENT`).
    print_requesters: std::sync::Mutex<std::collections::HashMap<String, Vec<i64>>>,
    office: Option<crate::convert::OfficeConverter>,
    usb_folder: Option<PathBuf>,
    /// Office files being converted for reading on a phone (see `reading`).
    reading_conversions: reading::Conversions,
    /// Files being read for their reading view (see `reading`).
    reads: reading::Reads,
}

impl Core {
    /// Opens the data folder, clears leftovers of interrupted uploads (temp files, and stored
    /// files whose catalog row never came), and reconciles the index with the catalog (a
    /// missing index is rebuilt).
    pub fn open(settings: &Settings) -> Result<Core, Error> {
        // On a full disk even opening the catalog writes (its WAL): the ballast makes room.
        crate::store::Ballast::new(&settings.data_dir).release_if_full();
        let store = Arc::new(Store::open(&settings.data_dir)?);
        let (index, created) = if store.is_owner() {
            let (leftovers, _) = store.blobs().clear_tmp()?;
            if leftovers > 0 {
                tracing::info!(leftovers, "removed unfinished uploads");
            }
            SearchIndex::open(&store.index_dir())?
        } else {
            // The server owns the folder: leave its uploads in progress and its index alone.
            (SearchIndex::open_read_only(&store.index_dir())?, false)
        };
        let core = Core {
            accounts: Accounts::new(Arc::clone(&store), settings.session_seconds),
            school: school::SchoolCache::default(),
            downloads: Default::default(),
            store,
            index,
            extractor: settings.extractor.clone(),
            max_upload_bytes: settings.max_upload_bytes,
            disk_reserve: settings.disk_reserve_bytes,
            packs: Default::default(),
            prints_in_flight: Default::default(),
            print_requesters: Default::default(),
            // LibreOffice runs under limits through the same binary as the extraction children.
            office: settings.office_command.as_deref().map(|program| {
                crate::convert::OfficeConverter::new(program).confined(
                    settings.extractor.program().to_owned(),
                    crate::convert::OfficeLimits::default(),
                )
            }),
            usb_folder: settings.usb_folder.clone(),
            reading_conversions: Default::default(),
            reads: Default::default(),
        };
        if !core.store.is_owner() {
            return Ok(core);
        }
        // Nothing else writes while this process owns the folder, and a file is stored before
        // its row: a file without a row now is a crash's leftover, never an upload to come.
        let orphans = core.remove_orphan_files()?;
        if orphans > 0 {
            tracing::info!(orphans, "removed stored files no document refers to");
        }
        core.restore_ballast();
        let reconciled = core.reconcile()?;
        if created || reconciled.0 + reconciled.1 > 0 {
            tracing::info!(
                rebuilt = created,
                indexed = reconciled.0,
                removed = reconciled.1,
                "search index reconciled with the catalog"
            );
        }
        Ok(core)
    }

    /// Whether this process owns the data folder (see [`Store::is_owner`]); the server must.
    pub fn owns_data(&self) -> bool {
        self.store.is_owner()
    }

    /// Refuses changes to documents while another process (the server) owns the data folder.
    fn writable(&self) -> Result<(), Error> {
        if self.store.is_owner() {
            Ok(())
        } else {
            Err(Error::Conflict(
                "le serveur cartable utilise ce dossier de données : arrêtez-le d'abord, ou passez par l'interface web".to_owned(),
            ))
        }
    }

    pub fn accounts(&self) -> &Accounts {
        &self.accounts
    }

    pub fn data_dir(&self) -> &Path {
        self.store.root()
    }

    /// Makes everything indexed so far searchable (after a batch of `add` with `commit = false`).
    pub fn commit(&self) -> Result<(), Error> {
        Ok(self.index.commit()?)
    }
}

/// The async service the web layer holds (cheap to clone).
#[derive(Debug, Clone)]
pub struct Library {
    core: Arc<Core>,
    /// Turns of staff long jobs (uploads, replacing files, printing at the desk).
    staff_jobs: Arc<tokio::sync::Semaphore>,
    /// Turns of family long jobs (zips, USB copies, printable packs): a share of their own,
    /// so phones that stopped reading their zip can never hold a staff upload.
    family_jobs: Arc<tokio::sync::Semaphore>,
    hashing: Arc<hashing::Hashing>,
    /// Copies to USB sticks, running and lately finished (see `usb_copies`).
    usb_copies: Arc<usb_copies::UsbCopies>,
}

/// Who a long job is for: each has its own turns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobClass {
    Staff,
    Family,
}

/// Long jobs running at once, per class; more wait for a turn (pages never do: they use the
/// short pool).
const STAFF_JOBS: usize = 16;
const FAMILY_JOBS: usize = 32;

impl Library {
    pub fn new(core: Core) -> Library {
        Library {
            core: Arc::new(core),
            staff_jobs: Arc::new(tokio::sync::Semaphore::new(STAFF_JOBS)),
            family_jobs: Arc::new(tokio::sync::Semaphore::new(FAMILY_JOBS)),
            hashing: Arc::new(hashing::Hashing::new()),
            usb_copies: Default::default(),
        }
    }

    /// Logs in on the hashing pool: the attempt is counted first (a throttled one is refused
    /// before any hashing), and a full pool refuses at once with `Busy`.
    pub async fn log_in(
        &self,
        login: String,
        password: String,
        client: String,
        device: Option<String>,
    ) -> Result<LoggedIn, Error> {
        let (attempt, priority) = {
            let (login, client) = (login.clone(), client.clone());
            self.run(move |core| {
                // A login writes its session: on a full disk, the ballast makes that room.
                core.make_room();
                core.accounts()
                    .begin_log_in(&login, &client, device.as_deref())
            })
            .await?
        };
        let core = Arc::clone(&self.core);
        // The attempt goes into the job, and comes back out if the job never runs.
        let slot = Arc::new(std::sync::Mutex::new(Some(attempt)));
        let taken = Arc::clone(&slot);
        let result = self
            .hashing
            .run(&client, priority, move || {
                let attempt = taken
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .take()
                    .ok_or_else(|| Error::Internal("login attempt taken twice".into()))?;
                core.accounts().finish_log_in(attempt, &login, &password)
            })
            .await;
        if let Err(Error::Busy(_)) = &result {
            if let Some(attempt) = slot.lock().unwrap_or_else(|p| p.into_inner()).take() {
                attempt.withdrawn();
            }
        }
        result
    }

    /// Runs work that hashes a password (creating an account, setting a password) on the
    /// hashing pool, for `client`.
    pub async fn hashing<T: Send + 'static>(
        &self,
        client: &str,
        work: impl FnOnce(&Core) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let core = Arc::clone(&self.core);
        self.hashing
            .run(client, hashing::Priority::Known, move || work(&core))
            .await
    }

    /// Runs long blocking work — receiving an upload at the client's pace, extracting it, writing a
    /// zip as a phone reads it, copying to a USB stick — on a thread of its own, after a turn of
    /// its class. Slow clients then hold their own threads, never the small pool that every page
    /// needs, and never the turns of the other class.
    pub async fn long_job<T: Send + 'static>(
        &self,
        class: JobClass,
        work: impl FnOnce(&Core) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let turns = match class {
            JobClass::Staff => &self.staff_jobs,
            JobClass::Family => &self.family_jobs,
        };
        let _turn = turns
            .acquire()
            .await
            .map_err(|e| Error::Internal(Box::new(e)))?;
        let core = Arc::clone(&self.core);
        let (sender, receiver) = tokio::sync::oneshot::channel();
        std::thread::Builder::new()
            .name("cartable-job".to_owned())
            .spawn(move || {
                let _ = sender.send(work(&core));
            })
            .map_err(|e| Error::Internal(Box::new(e)))?;
        receiver.await.map_err(|e| Error::Internal(Box::new(e)))?
    }

    /// Long jobs running now (for `cartable status`).
    pub fn long_jobs_running(&self) -> usize {
        STAFF_JOBS.saturating_sub(self.staff_jobs.available_permits())
            + FAMILY_JOBS.saturating_sub(self.family_jobs.available_permits())
    }

    /// The blocking core, for the command line and for batch work.
    pub fn core(&self) -> &Arc<Core> {
        &self.core
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Core) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let core = Arc::clone(&self.core);
        tokio::task::spawn_blocking(move || work(&core)).await?
    }

    /// Changes a document's metadata for `by`, who must have added it or be an admin.
    pub async fn update_metadata(
        &self,
        by: Account,
        id: DocumentId,
        metadata: Metadata,
    ) -> Result<Document, Error> {
        self.run(move |core| {
            core.changeable_document(&by, &id)?;
            core.update_metadata(&id, &metadata)
        })
        .await
    }

    /// Removes a document for `by`, who must have added it or be an admin.
    pub async fn remove(&self, by: Account, id: DocumentId) -> Result<Document, Error> {
        self.run(move |core| {
            core.changeable_document(&by, &id)?;
            core.remove(&id)
        })
        .await
    }

    /// Runs blocking service work on the blocking pool: for the calls that have no wrapper here.
    pub async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Core) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        self.run(work).await
    }

    pub async fn list(&self, filter: DocumentFilter) -> Result<(Vec<Document>, usize), Error> {
        self.run(move |core| core.list(&filter)).await
    }

    pub async fn search(&self, text: String, filter: DocumentFilter) -> Result<SearchPage, Error> {
        self.run(move |core| core.search(&text, &filter)).await
    }
}
