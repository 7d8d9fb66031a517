//! The chunks a download is sent in: read into large buffers from a fixed pool (small ones of
//! their own beyond it), from the page cache on the async worker where the data is there, on
//! the blocking pool where it must come from the disk.

use std::sync::Arc;

use tokio::sync::Semaphore;

/// Bytes read from disk at a time: big chunks mean few system calls (throughput close to a
/// static server's)...
const CHUNK: usize = 256 * 1024;
/// ...from a fixed pool (32 x 256 KiB = 8 MiB, see [`ChunkPool`]), with small buffers of 32 KiB
/// beyond it, so the memory of many downloads at once stays bounded and none ever waits.
pub const CHUNKS_IN_FLIGHT: usize = 32;
/// How long a download waits for a pooled buffer before taking a small one of its own.
const POOL_WAIT: std::time::Duration = std::time::Duration::from_millis(50);
/// Size of the buffers given out when every pooled one is in use.
const OVERFLOW_CHUNK: usize = 32 * 1024;

/// The large chunk buffers of all downloads: at most `CHUNKS_IN_FLIGHT`, allocated once and
/// reused. Reuse matters as much as the cap: freeing 256 KiB buffers
/// on one thread after filling them on another fragments the allocator's arenas, and the
/// resident memory of a busy server then grows far past what is really in use.
#[derive(Debug)]
pub struct ChunkPool {
    turns: Semaphore,
    spare: std::sync::Mutex<Vec<Vec<u8>>>,
}

impl Default for ChunkPool {
    fn default() -> ChunkPool {
        ChunkPool {
            turns: Semaphore::new(CHUNKS_IN_FLIGHT),
            spare: std::sync::Mutex::new(Vec::new()),
        }
    }
}

impl ChunkPool {
    /// A pooled buffer when one frees up quickly (they cycle fast while clients read); otherwise
    /// a small one of its own. Waiting longer would let a few dozen phones that stopped reading
    /// stall every download.
    async fn take(self: &Arc<ChunkPool>) -> Chunk {
        let turn = tokio::time::timeout(POOL_WAIT, self.turns.acquire()).await;
        match turn {
            Ok(Ok(turn)) => {
                // The permit is given back by hand when the chunk is dropped (with its buffer).
                turn.forget();
                let data = self
                    .spare
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .pop()
                    .unwrap_or_else(|| vec![0u8; CHUNK]);
                Chunk {
                    data,
                    len: 0,
                    pool: Some(Arc::clone(self)),
                }
            }
            _ => Chunk {
                data: vec![0u8; OVERFLOW_CHUNK],
                len: 0,
                pool: None,
            },
        }
    }
}

/// A buffer, pooled or not, held until hyper has sent it and dropped it.
struct Chunk {
    data: Vec<u8>,
    len: usize,
    pool: Option<Arc<ChunkPool>>,
}

impl AsRef<[u8]> for Chunk {
    fn as_ref(&self) -> &[u8] {
        &self.data[..self.len]
    }
}

impl Drop for Chunk {
    fn drop(&mut self) {
        if let Some(pool) = &self.pool {
            let data = std::mem::take(&mut self.data);
            pool.spare
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(data);
            pool.turns.add_permits(1);
        }
    }
}

/// `remaining` bytes of `file` from `offset`, one pooled chunk at a time. Each chunk is read
/// straight into its pooled buffer (`pread`, no seek state): from the page cache where it is,
/// on the blocking pool otherwise; tokio's own file type would copy through a second buffer
/// of its own per open file.
pub(super) fn chunks(
    file: Arc<std::fs::File>,
    offset: u64,
    remaining: u64,
    pool: Arc<ChunkPool>,
) -> impl futures_util::Stream<Item = std::io::Result<bytes::Bytes>> + Send + Sync + 'static {
    futures_util::stream::try_unfold(
        (file, offset, remaining, pool),
        |(file, offset, remaining, pool)| async move {
            if remaining == 0 {
                return Ok(None);
            }
            let mut chunk = pool.take().await;
            let wanted = (remaining as usize).min(chunk.data.len());
            let cached = read_cached(&file, &mut chunk.data[..wanted], offset);
            let chunk = if cached == wanted {
                chunk.len = wanted;
                chunk
            } else {
                let reader = Arc::clone(&file);
                tokio::task::spawn_blocking(move || {
                    use std::os::unix::fs::FileExt;
                    reader
                        .read_exact_at(&mut chunk.data[cached..wanted], offset + cached as u64)?;
                    chunk.len = wanted;
                    Ok::<_, std::io::Error>(chunk)
                })
                .await
                .map_err(std::io::Error::other)??
            };
            let next = (
                file,
                offset + wanted as u64,
                remaining - wanted as u64,
                pool,
            );
            Ok(Some((bytes::Bytes::from_owner(chunk), next)))
        },
    )
}

/// Reads what the page cache already holds of `buffer.len()` bytes at `offset`, right here:
/// `RWF_NOWAIT` returns instead of waiting for the disk. The rest (what must come from the SD
/// card) is read on the blocking pool. Most downloads are of the same few files, all cached,
/// so this saves a thread hop and two context switches per chunk (a fifth of the CPU a
/// download cost). Any error (a file system without `RWF_NOWAIT`) reads nothing here.
fn read_cached(file: &std::fs::File, buffer: &mut [u8], offset: u64) -> usize {
    use rustix::io::{preadv2, ReadWriteFlags};
    let mut done = 0;
    while done < buffer.len() {
        let mut slices = [std::io::IoSliceMut::new(&mut buffer[done..])];
        match preadv2(
            file,
            &mut slices,
            offset + done as u64,
            ReadWriteFlags::NOWAIT,
        ) {
            Ok(0) | Err(_) => break,
            Ok(read) => done += read,
        }
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_reads_give_the_file_bytes_and_stop_at_its_end() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fiche.pdf");
        let content: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &content).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        let mut buffer = vec![0u8; 100_000];
        let read = read_cached(&file, &mut buffer, 150_000);
        // Just written, so cached: all of it here (a file system without RWF_NOWAIT reads
        // nothing here and leaves it to the blocking pool).
        assert!(read == 100_000 || read == 0, "{read}");
        if read > 0 {
            assert_eq!(buffer, content[150_000..250_000]);
        }
        assert_eq!(read_cached(&file, &mut buffer, 300_000), 0);
    }
}
