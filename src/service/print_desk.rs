//! The desk's print queue as its page shows it, and what the desk does to one request: one
//! service method each, so the page's rules (is the printer there, which action runs as a long
//! job) hold without the web.

use crate::model::{PrintRequest, PrintStatus};

use super::{Core, Error, JobClass, Library, PrintCommand, PrintQueue};

/// The queue page: the requests, and the printer's program when printing from here works.
#[derive(Debug, Clone, Default)]
pub struct PrintDesk {
    pub queue: PrintQueue,
    /// The print command's program when it is configured and found on this machine; `None`
    /// hides "Imprimer" (the desk downloads the PDF instead).
    pub printer: Option<String>,
}

/// What the desk does to one request.
#[derive(Debug, Clone)]
pub enum PrintAction {
    /// Build the pack and hand it to `command`; `site` gives the QR code's link (see
    /// [`Core::print`]).
    Print {
        command: PrintCommand,
        school: String,
        site: Option<String>,
    },
    Done,
    Cancel,
}

impl Core {
    /// The queue page; `command` is the configured print command, if any.
    pub fn print_desk(&self, command: Option<&PrintCommand>) -> Result<PrintDesk, Error> {
        Ok(PrintDesk {
            queue: self.print_queue()?,
            printer: command
                .filter(|c| c.available())
                .map(|c| c.program().to_owned()),
        })
    }
}

impl Library {
    pub async fn print_desk(&self, command: Option<PrintCommand>) -> Result<PrintDesk, Error> {
        self.run(move |core| core.print_desk(command.as_ref()))
            .await
    }

    /// Does `action` to request `id`: printing builds a pack, so it runs as a staff long job.
    pub async fn act_on_print(&self, id: i64, action: PrintAction) -> Result<PrintRequest, Error> {
        match action {
            PrintAction::Print {
                command,
                school,
                site,
            } => {
                self.long_job(JobClass::Staff, move |core| {
                    core.print(id, &command, &school, site.as_deref())
                })
                .await
            }
            PrintAction::Done => {
                self.run(move |core| core.mark_print(id, PrintStatus::Done))
                    .await
            }
            PrintAction::Cancel => {
                self.run(move |core| core.mark_print(id, PrintStatus::Cancelled))
                    .await
            }
        }
    }
}
