//! Bounded reads of the files infercost is given (profiles, price maps):
//! a regular file only, its size checked before it is opened (a FIFO would
//! block the open, `/dev/zero` never ends), and the read stopped past the
//! limit all the same (a file that grows while read). Typed errors; each
//! caller words them for its kind of file.

use std::io::{self, Read};
use std::path::Path;

/// Why a file could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The file cannot be opened or read.
    Io(io::Error),
    /// Not a regular file: a folder, a FIFO, a device.
    NotAFile,
    /// Larger than the limit: this many bytes (or more).
    TooBig(u64),
    /// Not UTF-8: the offset of the first invalid byte.
    NotUtf8(usize),
}

/// The text of the regular file `path`, of at most `max` bytes.
pub(crate) fn read_capped(path: &Path, max: u64) -> Result<String, ReadError> {
    // metadata follows links but opens nothing: a FIFO is refused here, unopened.
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    if meta.len() > max {
        return Err(ReadError::TooBig(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    // The path may name another file by now: check what was opened.
    if !file.metadata().map_err(ReadError::Io)?.is_file() {
        return Err(ReadError::NotAFile);
    }
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooBig(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|e| ReadError::NotUtf8(e.utf8_error().valid_up_to()))
}
