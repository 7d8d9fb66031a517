//! Receiving multipart uploads (the staff form and `POST /api/documents`): each file part is
//! streamed straight into the store's temp folder on a blocking thread while the request body
//! arrives, so nothing is held whole in memory and fields may come before or after the files.
//! A connection that drops mid-file leaves no document and no temp file behind.

use std::io::Read;

use bytes::{Buf, Bytes};
use futures_util::StreamExt;
use tokio::sync::mpsc;
use warp::multipart::Part;

use crate::model::{Level, Metadata, Subject, Visibility};
use crate::service::{Added, JobClass, Library, Received};

use super::body::Multipart;
use super::error::WebError;
use super::wording::parse_iso_date;

/// Most files in one form, and most bytes of one text field.
const MAX_FILES: usize = 100;
const MAX_FIELD_BYTES: usize = 16 * 1024;
const MAX_FIELDS: usize = 200;
/// Most bytes of files in one form, all files together.
pub const MAX_FORM_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// A form as received: its text fields, and each file received (or refused with the reason).
pub struct ReceivedForm {
    pub fields: Vec<(String, String)>,
    pub files: Vec<(String, Result<Received, WebError>)>,
}

impl ReceivedForm {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The document metadata the form states; `owner` is who is uploading.
    pub fn metadata(&self, owner: Option<String>) -> Result<Metadata, WebError> {
        let text = |name: &str| {
            self.field(name)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let due = match text("due") {
            Some(date) => Some(parse_iso_date(&date).ok_or_else(|| {
                WebError::bad_request(format!(
                    "Date « à faire pour » invalide : « {date} » (format AAAA-MM-JJ)."
                ))
            })?),
            None => None,
        };
        let visibility = match text("visibility").as_deref() {
            None => None,
            Some(name) => Some(Visibility::from_name(name).ok_or_else(|| {
                WebError::bad_request(format!(
                    "Visibilité inconnue : « {name} » (public ou staff)."
                ))
            })?),
        };
        Ok(Metadata {
            // A title names one document: sent with several files, each keeps its own.
            title: text("title").filter(|_| self.files.len() <= 1),
            levels: self
                .fields
                .iter()
                .filter(|(n, _)| n == "level")
                .filter_map(|(_, v)| Level::parse(v))
                .collect(),
            class: text("class"),
            subject: text("subject").and_then(|s| Subject::parse(&s)),
            due,
            visibility,
            owner,
            ..Metadata::default()
        })
    }
}

impl ReceivedForm {
    /// Adds every received file as a document with `metadata`, in order: each file's name and
    /// what became of it (a refusal while receiving stays a refusal).
    pub async fn add_all(
        self,
        library: &Library,
        metadata: &Metadata,
    ) -> Vec<(String, Result<Added, WebError>)> {
        let mut outcomes = Vec::with_capacity(self.files.len());
        for (file_name, file) in self.files {
            let outcome = match file {
                Ok(file) => {
                    let (metadata, name) = (metadata.clone(), file_name.clone());
                    library
                        .long_job(JobClass::Staff, move |core| {
                            core.add_received(file, &name, &metadata, true)
                        })
                        .await
                        .map_err(WebError::from)
                }
                Err(error) => Err(error),
            };
            outcomes.push((file_name, outcome));
        }
        outcomes
    }
}

/// Reads the whole form; files are received into the store's temp folder as they stream in.
/// `form` is what [`super::body::multipart`] let through (or its 413/415); a form that would
/// take the disk's reserve is refused first (507).
pub async fn receive(
    library: &Library,
    form: Result<Multipart, WebError>,
) -> Result<ReceivedForm, WebError> {
    let Multipart { mut form, length } = form?;
    // Refused before a byte is written when the files would take the disk's reserve (507).
    let announced = length.unwrap_or(0);
    library
        .blocking(move |core| core.room_for(announced))
        .await?;
    let mut received = ReceivedForm {
        fields: Vec::new(),
        files: Vec::new(),
    };
    let mut received_bytes = 0u64;
    while let Some(part) = form.next().await {
        let part =
            part.map_err(|e| WebError::bad_request(format!("Formulaire illisible : {e}")))?;
        match part.filename().map(str::to_owned) {
            Some(file_name) if part.name() == "file" => {
                if received.files.len() >= MAX_FILES {
                    return Err(WebError::bad_request(format!(
                        "{MAX_FILES} fichiers au plus par envoi."
                    )));
                }
                if file_name.is_empty() {
                    continue; // an empty file input: no file chosen
                }
                let file = receive_file(library, part).await;
                // Files received so far wait in tmp/ until the form ends: cap their sum, so one
                // request cannot fill the disk the catalog needs.
                received_bytes += file.as_ref().map_or(0, |f| f.bytes());
                if received_bytes > MAX_FORM_BYTES {
                    return Err(WebError::too_large(
                        "Cet envoi dépasse 2 Go en tout : envoyez les fichiers en plusieurs fois.",
                    ));
                }
                received.files.push((clean_file_name(&file_name), file));
            }
            _ => {
                if received.fields.len() >= MAX_FIELDS {
                    return Err(WebError::bad_request("Le formulaire a trop de champs."));
                }
                let name = part.name().to_owned();
                let value = read_field(part).await?;
                received.fields.push((name, value));
            }
        }
    }
    Ok(received)
}

/// Reads a multipart form as the upload routes do (fields checked, files received into the
/// store's temp folder and dropped): the metadata the fields state and each file's cleaned name
/// with its size or why it was refused. Public for the fuzzer (fuzz/) and its regression tests.
#[doc(hidden)]
pub async fn read_form(
    library: &Library,
    form: warp::multipart::FormData,
) -> Result<(Metadata, Vec<(String, Result<u64, String>)>), String> {
    let form = Multipart { form, length: None };
    let received = receive(library, Ok(form)).await.map_err(|e| e.message)?;
    let metadata = received.metadata(None).map_err(|e| e.message)?;
    let files = received
        .files
        .into_iter()
        .map(|(name, file)| (name, file.map(|f| f.bytes()).map_err(|e| e.message)))
        .collect();
    Ok((metadata, files))
}

async fn read_field(part: Part) -> Result<String, WebError> {
    let mut bytes = Vec::new();
    let mut stream = part.stream();
    while let Some(chunk) = stream.next().await {
        let chunk =
            chunk.map_err(|e| WebError::bad_request(format!("Formulaire illisible : {e}")))?;
        bytes.extend_from_slice(chunk.chunk());
        if bytes.len() > MAX_FIELD_BYTES {
            return Err(WebError::bad_request(
                "Un champ du formulaire est trop long.",
            ));
        }
    }
    String::from_utf8(bytes)
        .map_err(|_| WebError::bad_request("Un champ du formulaire n'est pas du texte UTF-8."))
}

/// What travels from the request to the blocking writer.
enum Chunk {
    Data(Bytes),
    End,
    Failed(String),
}

async fn receive_file(library: &Library, part: Part) -> Result<Received, WebError> {
    let (sender, receiver) = mpsc::channel::<Chunk>(8);
    let writing = library.long_job(JobClass::Staff, move |core| {
        core.receive(ChannelReader {
            receiver,
            current: Bytes::new(),
            ended: false,
        })
    });
    let pumping = async move {
        let mut stream = part.stream();
        while let Some(chunk) = stream.next().await {
            let message = match chunk {
                Ok(mut buffer) => Chunk::Data(buffer.copy_to_bytes(buffer.remaining())),
                Err(error) => Chunk::Failed(error.to_string()),
            };
            let failed = matches!(message, Chunk::Failed(_));
            // The writer stops reading when it refuses the file (too large): stop sending then.
            if sender.send(message).await.is_err() || failed {
                return;
            }
        }
        let _ = sender.send(Chunk::End).await;
    };
    let (written, ()) = tokio::join!(writing, pumping);
    written.map_err(WebError::from)
}

/// A blocking reader over the chunks of one file part. Only an explicit end marker is the end of
/// the file: a channel closed without it means the upload was cut off, which is an error.
struct ChannelReader {
    receiver: mpsc::Receiver<Chunk>,
    current: Bytes,
    ended: bool,
}

impl Read for ChannelReader {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            if self.ended {
                return Ok(0);
            }
            match self.receiver.blocking_recv() {
                Some(Chunk::Data(bytes)) => self.current = bytes,
                Some(Chunk::End) => self.ended = true,
                Some(Chunk::Failed(reason)) => return Err(std::io::Error::other(reason)),
                None => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        "upload interrupted",
                    ))
                }
            }
        }
        let count = buffer.len().min(self.current.len());
        buffer[..count].copy_from_slice(&self.current[..count]);
        self.current.advance(count);
        Ok(count)
    }
}

/// Longest file name kept from a browser (characters).
const MAX_FILE_NAME_CHARS: usize = 200;
/// Longest extension kept when a name is shortened: past it, the dot was part of a sentence.
const MAX_EXTENSION_CHARS: usize = 10;

/// The last path component of a browser-sent name ("C:\\Users\\x\\Fiche.pdf" -> "Fiche.pdf"),
/// without control characters, at most 200 characters, its extension kept when it is shortened.
pub fn clean_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = last.chars().filter(|c| !c.is_control()).collect();
    let trimmed = cleaned.trim();
    if trimmed.is_empty() || trimmed == "." || trimmed == ".." {
        "document".to_owned()
    } else {
        shorten(trimmed, MAX_FILE_NAME_CHARS)
    }
}

/// `name` in `max` characters at most, shortened in its stem so that its extension stays: the
/// download keeps opening with the right application.
fn shorten(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        return name.to_owned();
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, extension)| extension)
        .filter(|e| !e.is_empty() && e.chars().count() <= MAX_EXTENSION_CHARS && !e.contains(' '));
    match extension {
        Some(extension) => {
            let room = max - extension.chars().count() - 1;
            let stem: String = name.chars().take(room).collect();
            format!("{}.{extension}", stem.trim_end())
        }
        None => name
            .chars()
            .take(max)
            .collect::<String>()
            .trim_end()
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_file_names_are_reduced_to_a_safe_last_component() {
        assert_eq!(
            clean_file_name("C:\\Users\\prof\\Fiche élève.pdf"),
            "Fiche élève.pdf"
        );
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\u{0}b\n.pdf"), "ab.pdf");
        assert_eq!(clean_file_name(".."), "document");
    }

    #[test]
    fn a_shortened_long_file_name_keeps_its_extension() {
        let long = format!("{}.pdf", "é".repeat(300));
        let short = clean_file_name(&long);
        assert_eq!(short.chars().count(), MAX_FILE_NAME_CHARS);
        assert!(short.ends_with("éé.pdf"), "{short}");
        let sentence = format!("Fiche. {}", "mot ".repeat(80));
        assert_eq!(
            clean_file_name(&sentence).chars().count(),
            MAX_FILE_NAME_CHARS
        );
        assert_eq!(clean_file_name("Fiche.pdf"), "Fiche.pdf");
    }

    #[test]
    fn a_reader_cut_off_without_its_end_marker_fails() {
        let (sender, receiver) = mpsc::channel(4);
        sender
            .try_send(Chunk::Data(Bytes::from_static(b"abc")))
            .unwrap();
        drop(sender);
        let mut reader = ChannelReader {
            receiver,
            current: Bytes::new(),
            ended: false,
        };
        let mut out = Vec::new();
        let error = reader.read_to_end(&mut out).unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::UnexpectedEof);
        assert_eq!(out, b"abc");
    }
}
