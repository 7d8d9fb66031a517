//! Copies to USB sticks at the kiosk, as background jobs followed by an id. One copy per stick at
//! a time: a double tap gets the running job back, another selection waits until it ends (two
//! writers on one stick would fill it twice and race on its folder). Finished jobs are kept a
//! while for their progress page, then forgotten, so a kiosk running for months keeps few.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::{random_token, Ejected, Error, JobClass, Library, Selection};

/// How long a finished copy's outcome is kept for its progress page (which refreshes every few
/// seconds while the copy runs: minutes would do, an hour forgives a family that walked away).
const KEEP_FINISHED: Duration = Duration::from_secs(3600);
/// Finished copies kept at most, whatever their age.
const MAX_FINISHED: usize = 64;

/// Where a copy stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsbCopy {
    Running {
        label: String,
        done_bytes: u64,
        total_bytes: u64,
        current: String,
    },
    Done {
        label: String,
        folder: String,
        ejected: Ejected,
    },
    Failed {
        label: String,
        message: String,
    },
}

/// One job: where it copies, what, and how it stands.
#[derive(Debug)]
struct Job {
    mount_point: PathBuf,
    selection: Selection,
    copy: UsbCopy,
    /// When it ended; `None` while it runs.
    finished: Option<Instant>,
}

/// The copies under way and those finished lately, by job id.
#[derive(Debug, Default)]
pub(super) struct UsbCopies(Mutex<HashMap<String, Job>>);

/// What [`UsbCopies::claim`] gives.
#[derive(Debug, PartialEq, Eq)]
enum Claim {
    /// A new job: start copying.
    New(String),
    /// The same selection is being copied to this stick already: follow that job.
    Running(String),
}

impl UsbCopies {
    fn jobs(&self) -> std::sync::MutexGuard<'_, HashMap<String, Job>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A job for copying `selection` to the stick at `mount_point`, unless another copy writes
    /// to that stick now.
    fn claim(
        &self,
        mount_point: &std::path::Path,
        label: &str,
        selection: &Selection,
        now: Instant,
    ) -> Result<Claim, Error> {
        let mut jobs = self.jobs();
        forget_old(&mut jobs, now);
        if let Some((id, job)) = jobs
            .iter()
            .find(|(_, job)| job.finished.is_none() && job.mount_point == mount_point)
        {
            if job.selection == *selection {
                return Ok(Claim::Running(id.clone()));
            }
            return Err(Error::Conflict(
                "une copie est déjà en cours sur cette clé USB : attendez qu'elle se termine"
                    .to_owned(),
            ));
        }
        let id = random_token()[..16].to_owned();
        jobs.insert(
            id.clone(),
            Job {
                mount_point: mount_point.to_owned(),
                selection: selection.clone(),
                copy: UsbCopy::Running {
                    label: label.to_owned(),
                    done_bytes: 0,
                    total_bytes: 0,
                    current: String::new(),
                },
                finished: None,
            },
        );
        Ok(Claim::New(id))
    }

    /// Records how job `id` stands; a finished outcome starts its time to be forgotten.
    fn report(&self, id: &str, copy: UsbCopy, now: Instant) {
        if let Some(job) = self.jobs().get_mut(id) {
            job.finished = (!matches!(copy, UsbCopy::Running { .. })).then_some(now);
            job.copy = copy;
        }
    }

    fn get(&self, id: &str) -> Option<UsbCopy> {
        self.jobs().get(id).map(|job| job.copy.clone())
    }
}

/// Drops finished jobs older than [`KEEP_FINISHED`], then the oldest beyond [`MAX_FINISHED`].
/// Running jobs stay: there is at most one per stick.
fn forget_old(jobs: &mut HashMap<String, Job>, now: Instant) {
    jobs.retain(|_, job| {
        job.finished
            .is_none_or(|at| now.saturating_duration_since(at) < KEEP_FINISHED)
    });
    let mut finished: Vec<(Instant, String)> = jobs
        .iter()
        .filter_map(|(id, job)| job.finished.map(|at| (at, id.clone())))
        .collect();
    if finished.len() > MAX_FINISHED {
        finished.sort();
        for (_, id) in &finished[..finished.len() - MAX_FINISHED] {
            jobs.remove(id);
        }
    }
}

impl Library {
    /// The USB sticks mounted on this machine now.
    pub async fn removable_drives(&self) -> Vec<super::Drive> {
        self.run(|core| Ok(core.removable_drives()))
            .await
            .unwrap_or_default()
    }

    /// Starts copying `selection` to the stick mounted at `mount_point` (one of
    /// [`Library::removable_drives`], never a path taken as it comes) in the background, then
    /// ejects it; returns the job id whose progress [`Library::usb_copy`] tells.
    pub async fn copy_to_usb(
        &self,
        selection: Selection,
        school: String,
        mount_point: &str,
    ) -> Result<String, Error> {
        let drive = self
            .removable_drives()
            .await
            .into_iter()
            .find(|d| d.mount_point.to_string_lossy() == mount_point)
            .ok_or_else(|| {
                Error::InvalidInput(
                    "cette clé USB n'est plus branchée : rebranchez-la et recommencez.".to_owned(),
                )
            })?;
        let label = drive.label.clone();
        let id =
            match self
                .usb_copies
                .claim(&drive.mount_point, &label, &selection, Instant::now())?
            {
                Claim::Running(id) => return Ok(id),
                Claim::New(id) => id,
            };
        let library = self.clone();
        let job = id.clone();
        tokio::spawn(async move {
            let copies = std::sync::Arc::clone(&library.usb_copies);
            let (reporter, report_id, report_label) =
                (std::sync::Arc::clone(&copies), job.clone(), label.clone());
            let copied = library
                .long_job(JobClass::Family, move |core| {
                    let folder =
                        core.export_folder(&selection, &school, &drive.mount_point, &|progress| {
                            let copy = UsbCopy::Running {
                                label: report_label.clone(),
                                done_bytes: progress.done_bytes,
                                total_bytes: progress.total_bytes,
                                current: progress.current.clone(),
                            };
                            reporter.report(&report_id, copy, Instant::now());
                        })?;
                    Ok((folder, core.eject(&drive.mount_point)))
                })
                .await;
            let outcome = match copied {
                Ok((folder, ejected)) => UsbCopy::Done {
                    label,
                    folder: folder
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    ejected,
                },
                Err(error) => UsbCopy::Failed {
                    label,
                    message: error.to_string(),
                },
            };
            copies.report(&job, outcome, Instant::now());
        });
        Ok(id)
    }

    /// Where the copy `job` stands, if there is such a copy (or it is not forgotten yet).
    pub fn usb_copy(&self, job: &str) -> Option<UsbCopy> {
        self.usb_copies.get(job)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::model::DocumentId;

    fn basket(ids: &[&str]) -> Selection {
        Selection {
            ids: Some(ids.iter().filter_map(|id| DocumentId::parse(id)).collect()),
            ..Selection::default()
        }
    }

    fn done() -> UsbCopy {
        UsbCopy::Done {
            label: "CLE".to_owned(),
            folder: "2nde".to_owned(),
            ejected: Ejected::NotManaged,
        }
    }

    #[test]
    fn one_copy_runs_per_stick_and_a_double_tap_follows_it() {
        let copies = UsbCopies::default();
        let now = Instant::now();
        let (stick, other) = (Path::new("/media/cartable/CLE"), Path::new("/media/x"));
        let Claim::New(first) = copies.claim(stick, "CLE", &basket(&[]), now).unwrap() else {
            panic!("the first copy must start");
        };
        assert_eq!(
            copies.claim(stick, "CLE", &basket(&[]), now).unwrap(),
            Claim::Running(first.clone())
        );
        let another = Selection {
            filter: crate::model::DocumentFilter {
                limit: 3,
                ..Default::default()
            },
            ids: None,
        };
        assert!(matches!(
            copies.claim(stick, "CLE", &another, now),
            Err(Error::Conflict(_))
        ));
        // Another stick is free.
        assert!(matches!(
            copies.claim(other, "X", &another, now),
            Ok(Claim::New(_))
        ));
        // Once the copy is over, the stick takes a new one.
        copies.report(&first, done(), now);
        assert_eq!(copies.get(&first), Some(done()));
        assert!(matches!(
            copies.claim(stick, "CLE", &another, now),
            Ok(Claim::New(_))
        ));
    }

    #[test]
    fn finished_copies_are_forgotten_after_a_while_and_beyond_a_number() {
        let copies = UsbCopies::default();
        let start = Instant::now();
        let mut ids = Vec::new();
        for n in 0..MAX_FINISHED + 5 {
            let at = start + Duration::from_secs(n as u64);
            let stick = PathBuf::from(format!("/media/{n}"));
            let Ok(Claim::New(id)) = copies.claim(&stick, "CLE", &basket(&[]), at) else {
                panic!("a free stick takes a copy");
            };
            copies.report(&id, done(), at);
            ids.push(id);
        }
        let running = Path::new("/media/running");
        let Ok(Claim::New(running_id)) = copies.claim(running, "R", &basket(&[]), start) else {
            panic!("a free stick takes a copy");
        };
        // The oldest finished ones went beyond the number; the newest stay.
        assert_eq!(copies.jobs().len(), MAX_FINISHED + 1);
        assert_eq!(copies.get(&ids[0]), None);
        assert_eq!(copies.get(ids.last().unwrap()), Some(done()));
        // An hour later every finished one is gone; the running one stays.
        let later = start + KEEP_FINISHED + Duration::from_secs(3600);
        let _ = copies.claim(Path::new("/media/new"), "N", &basket(&[]), later);
        assert_eq!(copies.get(ids.last().unwrap()), None);
        assert!(copies.get(&running_id).is_some());
    }
}
