//! Print requests at the desk: a basket becomes a waiting request with a short ticket number; the
//! desk sees the queue, prints (the printable pack sent to `lp` or the configured command, with a
//! time limit), marks done or cancels. Requests hold document ids, pages and times only: no
//! personal data. Tickets are unique among open (waiting or printing) requests.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use time::{OffsetDateTime, Time};

use crate::model::{DocumentId, PrintRequest, PrintStatus};
use crate::sandbox;

use super::{BuiltPack, Core, Error, Selection};

/// Open requests at most: a full queue refuses new ones until the desk catches up, so a kiosk
/// left to children cannot bury the desk in tickets.
pub const MAX_OPEN_REQUESTS: usize = 30;
/// Open requests one family device may have: 30 anonymous requests from one phone would
/// otherwise fill the queue for every family. The kiosk (a shared screen) has no such cap.
pub const OPEN_REQUESTS_PER_CLIENT: usize = 3;
/// Largest pack that may be asked for at the kiosk; more is a USB stick's or a zip's job.
pub const MAX_PAGES: u32 = 300;
/// How long done and cancelled requests are kept (they hold no personal data; this only keeps
/// the table small).
const KEEP_CLOSED: time::Duration = time::Duration::days(30);
/// How long the print command may run before it is stopped (`lp` only queues the job).
const PRINT_TIMEOUT: Duration = Duration::from_secs(120);
/// Characters of the print command's error output shown to the desk.
const ERROR_CHARS: usize = 400;

/// The command that prints a PDF: a program and its first arguments (`lp -d salle-cdi`), the
/// file's path added last. Words are separated by spaces; there is no quoting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintCommand {
    program: String,
    args: Vec<String>,
}

impl PrintCommand {
    /// `None` for an empty command (printing turned off).
    pub fn parse(text: &str) -> Option<PrintCommand> {
        let mut words = text.split_whitespace().map(str::to_owned);
        let program = words.next()?;
        Some(PrintCommand {
            program,
            args: words.collect(),
        })
    }

    pub fn program(&self) -> &str {
        &self.program
    }

    /// Whether the program exists: a path to an executable file, or a name found on `PATH`.
    pub fn available(&self) -> bool {
        if self.program.contains('/') {
            return is_executable(Path::new(&self.program));
        }
        std::env::var_os("PATH").is_some_and(|path| {
            std::env::split_paths(&path).any(|dir| is_executable(&dir.join(&self.program)))
        })
    }
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// A request with what the desk needs to recognise it.
#[derive(Debug, Clone)]
pub struct QueuedPrint {
    pub request: PrintRequest,
    /// Titles of its documents that still exist.
    pub titles: Vec<String>,
    /// Documents removed since the request was made.
    pub missing: usize,
}

/// The desk's view: open requests (oldest first), then those closed today (latest first).
#[derive(Debug, Clone, Default)]
pub struct PrintQueue {
    pub open: Vec<QueuedPrint>,
    pub closed_today: Vec<QueuedPrint>,
}

/// Midnight (UTC) starting the day of `now`: tickets restart from 1 then. UTC midnight is 1 or 2
/// in the morning in France, when the lycée is closed, so a day's numbering never restarts
/// while the desk is open, and no time zone database is needed.
fn day_start(now: OffsetDateTime) -> i64 {
    now.replace_time(Time::MIDNIGHT).unix_timestamp()
}

impl Core {
    /// Turns a basket into a waiting print request with the next ticket of the day. Only public
    /// documents count; the same basket asked for twice (a double tap, a reload) gets the same
    /// ticket back while it waits.
    /// `client`: the device asking (its address), `None` for the kiosk or the desk, which are
    /// shared and not capped.
    pub fn request_print(
        &self,
        ids: &[DocumentId],
        client: Option<&str>,
    ) -> Result<PrintRequest, Error> {
        let documents = self.public_documents(ids)?;
        if documents.is_empty() {
            return Err(Error::InvalidInput(
                "le panier est vide : ajoutez des documents avant de demander l'impression"
                    .to_owned(),
            ));
        }
        let pages = self.printable_pages(&documents)?;
        let ids: Vec<_> = documents.into_iter().map(|document| document.id).collect();
        let now = OffsetDateTime::now_utc();
        // One catalog lock for the whole decision: two kiosks asking at once get two tickets.
        let catalog = self.store.catalog();
        catalog.delete_closed_print_requests((now - KEEP_CLOSED).unix_timestamp())?;
        let open = catalog.open_print_requests()?;
        if let Some(same) = open
            .iter()
            .find(|r| r.status == PrintStatus::Waiting && r.ids == ids)
        {
            return Ok(same.clone());
        }
        let mut requesters = self
            .print_requesters
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(client) = client {
            let mine = requesters.entry(client.to_owned()).or_default();
            mine.retain(|id| open.iter().any(|r| r.id == *id));
            if mine.len() >= OPEN_REQUESTS_PER_CLIENT {
                return Err(Error::Conflict(format!(
                    "vous avez déjà {OPEN_REQUESTS_PER_CLIENT} demandes d'impression en attente : adressez-vous à l'accueil"
                )));
            }
        }
        if open.len() >= MAX_OPEN_REQUESTS {
            return Err(Error::Conflict(format!(
                "la file d'impression est pleine ({MAX_OPEN_REQUESTS} demandes en attente) : réessayez plus tard ou adressez-vous à l'accueil"
            )));
        }
        let taken: BTreeSet<u32> = open.iter().map(|r| r.ticket).collect();
        let mut ticket = catalog.last_print_ticket_since(day_start(now))? + 1;
        while taken.contains(&ticket) {
            ticket += 1;
        }
        let id = catalog.insert_print_request(ticket, &ids, pages, now.unix_timestamp())?;
        if let Some(client) = client {
            requesters.entry(client.to_owned()).or_default().push(id);
            // Devices whose requests are all closed are forgotten, so the map stays small.
            requesters.retain(|_, ids| {
                ids.iter().any(|id| open.iter().any(|r| r.id == *id)) || ids.contains(&id)
            });
        }
        catalog.print_request(id)?.ok_or(Error::NotFound)
    }

    pub fn print_request(&self, id: i64) -> Result<PrintRequest, Error> {
        self.store
            .catalog()
            .print_request(id)?
            .ok_or(Error::NotFound)
    }

    /// Open requests and those closed today, with their documents' titles (read under one
    /// catalog lock: the desk's page lists up to 30 requests of up to 100 documents).
    pub fn print_queue(&self) -> Result<PrintQueue, Error> {
        let catalog = self.store.catalog();
        let describe = |requests: Vec<PrintRequest>| -> Result<Vec<QueuedPrint>, Error> {
            requests
                .into_iter()
                .map(|request| {
                    let mut titles = Vec::new();
                    let mut missing = 0;
                    for id in &request.ids {
                        match catalog.get(id)? {
                            Some(document) => titles.push(document.title),
                            None => missing += 1,
                        }
                    }
                    Ok(QueuedPrint {
                        request,
                        titles,
                        missing,
                    })
                })
                .collect()
        };
        Ok(PrintQueue {
            open: describe(catalog.open_print_requests()?)?,
            closed_today: describe(
                catalog.closed_print_requests_since(day_start(OffsetDateTime::now_utc()))?,
            )?,
        })
    }

    /// Moves an open request to `status` (printing, done, cancelled, or back to waiting). A done
    /// or cancelled request stays so.
    pub fn mark_print(&self, id: i64, status: PrintStatus) -> Result<PrintRequest, Error> {
        let catalog = self.store.catalog();
        let request = catalog.print_request(id)?.ok_or(Error::NotFound)?;
        if !request.status.is_open() {
            let state = match request.status {
                PrintStatus::Done => "terminée",
                _ => "annulée",
            };
            return Err(Error::Conflict(format!(
                "la demande n° {} est déjà {state}",
                request.ticket
            )));
        }
        catalog.set_print_status(id, status, OffsetDateTime::now_utc().unix_timestamp())?;
        catalog.print_request(id)?.ok_or(Error::NotFound)
    }

    /// Builds the printable pack of a request; `site` (the server's root URL as the desk sees
    /// it) gives the QR code's link. Slow: call it as a long job.
    pub fn print_pack(
        &self,
        id: i64,
        school: &str,
        site: Option<&str>,
    ) -> Result<(PrintRequest, BuiltPack), Error> {
        let request = self.print_request(id)?;
        let pack = self.request_pack(&request, school, site)?;
        Ok((request, pack))
    }

    fn request_pack(
        &self,
        request: &PrintRequest,
        school: &str,
        site: Option<&str>,
    ) -> Result<BuiltPack, Error> {
        let selection = Selection {
            ids: Some(request.ids.clone()),
            ..Selection::default()
        };
        self.build_pack(&selection, school, site, None)
    }

    /// Builds an open request's pack and hands it to `command`; on success the request is
    /// "printing" until the desk marks it done. Failures (no such program, the printer refusing,
    /// no answer in time) come back as a French message the desk can act on, and leave the
    /// request as it was. Slow: call it as a long job.
    pub fn print(
        &self,
        id: i64,
        command: &PrintCommand,
        school: &str,
        site: Option<&str>,
    ) -> Result<PrintRequest, Error> {
        let request = self.print_request(id)?;
        if !request.status.is_open() {
            return Err(Error::Conflict(format!(
                "la demande n° {} est déjà close",
                request.ticket
            )));
        }
        // Building the pack takes a while: a double click or two people at the desk must not
        // send it to the printer twice meanwhile.
        let _sending = self.prints_in_flight.claim(id).ok_or_else(|| {
            Error::Conflict(format!(
                "la demande n° {} est déjà en cours d'envoi à l'imprimante",
                request.ticket
            ))
        })?;
        let pack = self.request_pack(&request, school, site)?;
        run_print_command(command, &pack.path)?;
        tracing::info!(
            ticket = request.ticket,
            pages = pack.pages,
            "print request sent to the printer"
        );
        match self.mark_print(id, PrintStatus::Printing) {
            // Cancelled or done at the desk while it was being sent: it stays so.
            Err(Error::Conflict(_)) => self.print_request(id),
            other => other,
        }
    }
}

/// Print requests being sent to the printer right now.
#[derive(Debug, Default)]
pub(super) struct InFlight(std::sync::Mutex<BTreeSet<i64>>);

/// One request being sent; it leaves the set when dropped.
pub(super) struct Sending<'a>(&'a InFlight, i64);

impl InFlight {
    fn claim(&self, id: i64) -> Option<Sending<'_>> {
        let mut ids = self.0.lock().unwrap_or_else(|e| e.into_inner());
        ids.insert(id).then_some(Sending(self, id))
    }
}

impl Drop for Sending<'_> {
    fn drop(&mut self) {
        let mut ids = self.0 .0.lock().unwrap_or_else(|e| e.into_inner());
        ids.remove(&self.1);
    }
}

/// Runs `command FILE` with a time limit (the command and whatever it started are killed
/// after it), its error output kept for the message.
fn run_print_command(command: &PrintCommand, file: &Path) -> Result<(), Error> {
    let program = command.program();
    let failed = |message: String| Error::Conflict(message);
    let mut child = Command::new(program);
    child.args(&command.args).arg(file);
    let (status, stderr) = match sandbox::run(child, &[], PRINT_TIMEOUT, 16 * 1024) {
        sandbox::Outcome::Exited { status, stderr, .. } => (status, stderr),
        sandbox::Outcome::TimedOut { .. } => {
            return Err(failed(format!(
                "l'imprimante n'a pas répondu en {} secondes : vérifiez qu'elle est allumée et reliée, puis réessayez",
                PRINT_TIMEOUT.as_secs()
            )))
        }
        sandbox::Outcome::CannotStart(error) => {
            return Err(failed(match error.kind() {
                std::io::ErrorKind::NotFound => format!(
                    "la commande d'impression « {program} » est introuvable sur cette machine"
                ),
                _ => format!(
                    "la commande d'impression « {program} » ne peut pas être lancée ({error})"
                ),
            }))
        }
    };
    if status.success() {
        return Ok(());
    }
    let output = String::from_utf8_lossy(&stderr);
    let output: String = output.trim().chars().take(ERROR_CHARS).collect();
    let code = status
        .code()
        .map(|c| format!("code {c}"))
        .unwrap_or_else(|| "arrêtée".to_owned());
    Err(failed(if output.is_empty() {
        format!("l'impression a échoué (« {program} », {code})")
    } else {
        format!("l'impression a échoué (« {program} », {code}) : {output}")
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn print_commands_are_split_into_program_and_arguments() {
        let command = PrintCommand::parse("  lp -d salle-cdi ").unwrap();
        assert_eq!(command.program(), "lp");
        assert_eq!(command.args, vec!["-d", "salle-cdi"]);
        assert_eq!(PrintCommand::parse("   "), None);
        assert!(PrintCommand::parse("sh").unwrap().available());
        assert!(!PrintCommand::parse("pas-une-imprimante-xyz")
            .unwrap()
            .available());
        assert!(!PrintCommand::parse("/nulle/part/lp").unwrap().available());
    }

    #[test]
    fn a_failing_command_gives_its_error_output_in_the_message() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pack.pdf");
        std::fs::write(&file, b"%PDF-1.7\n").unwrap();
        let failing = PrintCommand::parse("sh -c")
            .map(|mut c| {
                c.args
                    .push("echo 'lp: no default destination' >&2; exit 3".to_owned());
                c
            })
            .unwrap();
        let message = run_print_command(&failing, &file).unwrap_err().to_string();
        assert!(
            message.contains("code 3") && message.contains("no default destination"),
            "{message}"
        );
        let missing = PrintCommand::parse("pas-une-imprimante-xyz").unwrap();
        let message = run_print_command(&missing, &file).unwrap_err().to_string();
        assert!(message.contains("introuvable"), "{message}");
        let working = PrintCommand::parse("test -s").unwrap();
        assert!(run_print_command(&working, &file).is_ok());
    }

    #[test]
    fn tickets_restart_at_utc_midnight() {
        let moment = time::macros::datetime!(2026-03-12 14:32 UTC);
        assert_eq!(
            day_start(moment),
            time::macros::datetime!(2026-03-12 0:00 UTC).unix_timestamp()
        );
    }
}
