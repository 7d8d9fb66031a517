//! Print requests: a basket sent to the desk for printing, known by a short ticket number. A
//! request holds document ids, an estimated page count, a status and two times: no personal data.

use time::OffsetDateTime;

use super::DocumentId;

/// Where a print request stands. Waiting and printing requests are "open": their ticket numbers
/// are unique among open requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintStatus {
    /// Asked for at the kiosk or on a phone, not handled yet.
    Waiting,
    /// Sent to the printer; the desk marks it done when the paper is handed over.
    Printing,
    Done,
    Cancelled,
}

impl PrintStatus {
    pub fn name(self) -> &'static str {
        match self {
            PrintStatus::Waiting => "waiting",
            PrintStatus::Printing => "printing",
            PrintStatus::Done => "done",
            PrintStatus::Cancelled => "cancelled",
        }
    }

    pub fn from_name(name: &str) -> Option<PrintStatus> {
        match name {
            "waiting" => Some(PrintStatus::Waiting),
            "printing" => Some(PrintStatus::Printing),
            "done" => Some(PrintStatus::Done),
            "cancelled" => Some(PrintStatus::Cancelled),
            _ => None,
        }
    }

    pub fn is_open(self) -> bool {
        matches!(self, PrintStatus::Waiting | PrintStatus::Printing)
    }
}

/// One print request as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintRequest {
    /// Row id: stable, used in URLs (tickets restart each day).
    pub id: i64,
    /// The number called out at the desk.
    pub ticket: u32,
    pub ids: Vec<DocumentId>,
    /// Pages the printable pack is expected to have.
    pub pages: u32,
    pub status: PrintStatus,
    pub created: OffsetDateTime,
    pub updated: OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_only_waiting_and_printing_are_open() {
        for status in [
            PrintStatus::Waiting,
            PrintStatus::Printing,
            PrintStatus::Done,
            PrintStatus::Cancelled,
        ] {
            assert_eq!(PrintStatus::from_name(status.name()), Some(status));
        }
        assert!(PrintStatus::Waiting.is_open() && PrintStatus::Printing.is_open());
        assert!(!PrintStatus::Done.is_open() && !PrintStatus::Cancelled.is_open());
        assert_eq!(PrintStatus::from_name("lost"), None);
    }
}
