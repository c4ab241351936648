//! A log's lines, one at a time into a reused buffer, each at most
//! [`MAX_LINE`] bytes: a longer one fails the log in words instead of
//! growing memory.

use std::io::BufRead;

use super::TraceError;

/// Longest line read: 8 MiB (an OTLP/JSON export line holds a batch of
/// spans; a CSV or JSON Lines request is a few hundred bytes).
pub(crate) const MAX_LINE: usize = 8 << 20;

/// Lines of one file, each with its number, from a buffered reader.
pub(crate) struct Lines<R> {
    pub(crate) reader: R,
    pub(crate) number: u64,
    pub(crate) name: String,
}

impl<R: BufRead> Lines<R> {
    /// The next line into `buf` (without its line break), or `None` at the end.
    pub(crate) fn next(&mut self, buf: &mut Vec<u8>) -> Result<Option<u64>, TraceError> {
        buf.clear();
        loop {
            let chunk = self
                .reader
                .fill_buf()
                .map_err(|e| TraceError(format!("{}: cannot read: {e}", self.name)))?;
            if chunk.is_empty() {
                return Ok((!buf.is_empty()).then(|| self.bump()));
            }
            let (part, done) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (&chunk[..i], Some(i + 1)),
                None => (chunk, None),
            };
            if buf.len() + part.len() > MAX_LINE {
                return Err(TraceError(format!(
                    "{}:{}: a line longer than 8 MiB; a request log has short lines (is this the right file?)",
                    self.name,
                    self.number + 1
                )));
            }
            buf.extend_from_slice(part);
            let used = done.unwrap_or(chunk.len());
            self.reader.consume(used);
            if done.is_some() {
                return Ok(Some(self.bump()));
            }
        }
    }

    fn bump(&mut self) -> u64 {
        self.number += 1;
        self.number
    }
}
