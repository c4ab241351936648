//! Advisory locks on a folder (flock of the open folder, Linux): the report
//! writer takes one on the parent of `out/` and waits for it; `infercost
//! import` takes one on the vendors folder and waits a bounded time. A lock
//! is released when its holder is dropped, also by a killed process.

use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

/// What holds a lock: the open folder (Linux), else nothing.
#[cfg(target_os = "linux")]
pub(crate) type Lock = std::fs::File;
#[cfg(not(target_os = "linux"))]
pub(crate) type Lock = ();

/// The lock of `dir`, waiting as long as another process holds it.
pub(crate) fn wait(dir: &Path) -> io::Result<Lock> {
    let open = open(dir)?;
    loop {
        // A blocking flock returns only once the lock is taken.
        match take(&open, false) {
            Ok(_) => return Ok(open),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}

/// The lock of `dir`, trying for at most `patience`; `None` when another
/// process still holds it then.
pub(crate) fn wait_at_most(dir: &Path, patience: Duration) -> io::Result<Option<Lock>> {
    let open = open(dir)?;
    let start = Instant::now();
    loop {
        match take(&open, true) {
            Ok(true) => return Ok(Some(open)),
            Ok(false) if start.elapsed() >= patience => return Ok(None),
            Ok(false) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(target_os = "linux")]
fn open(dir: &Path) -> io::Result<Lock> {
    std::fs::File::open(dir)
}

/// Takes the exclusive lock: `Ok(false)` when `nonblocking` and another
/// process holds it.
#[cfg(target_os = "linux")]
fn take(dir: &Lock, nonblocking: bool) -> io::Result<bool> {
    use rustix::fs::{flock, FlockOperation};
    let op = if nonblocking {
        FlockOperation::NonBlockingLockExclusive
    } else {
        FlockOperation::LockExclusive
    };
    match flock(dir, op) {
        Ok(()) => Ok(true),
        Err(rustix::io::Errno::WOULDBLOCK) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// No flock through rustix here: runs on one folder must not overlap.
#[cfg(not(target_os = "linux"))]
fn open(_: &Path) -> io::Result<Lock> {
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn take(_: &Lock, _: bool) -> io::Result<bool> {
    Ok(true)
}

/// Test builds only: with the variable `var` set to a FILE, a run at this
/// point creates FILE and waits until it is removed, so that a test can
/// start a second run at that instant (while this one holds its lock).
pub(crate) fn test_pause(var: &str) {
    #[cfg(debug_assertions)]
    if let Some(file) = std::env::var_os(var) {
        let file = Path::new(&file);
        if std::fs::write(file, b"paused\n").is_ok() {
            while file.exists() {
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = var;
}
