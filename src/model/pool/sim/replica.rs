//! A replica's state and pending event, and the buckets that find the
//! fullest ready replica with a free slot: one intrusive list per count of
//! requests in flight (0 to C − 1, linked through the replicas), and a
//! bitset of the non-empty lists, so dispatch scans C/64 words.

use std::cmp::Ordering;

/// No replica (an empty link).
pub(crate) const NONE: u32 = u32::MAX;

/// What a replica is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    /// Shut down (its slot may be reused).
    Off,
    /// Billed, not serving yet.
    Starting,
    /// Serving.
    Ready,
}

/// One replica.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rep {
    /// When its billing started.
    pub start: f64,
    /// Off, starting or ready.
    pub state: State,
    /// Requests it is serving (0 to C).
    pub in_flight: u32,
    /// Ring index of its oldest completion.
    pub head: u32,
    /// Generation: events carrying another one are stale.
    pub gen: u32,
    /// Its idle timeout fell while the pool was at min_replicas.
    pub blocked: bool,
    /// The last replica up of a scale-to-zero pool, past its idle timeout
    /// and kept for the longer window of the last replica (`linger_s`).
    pub lingering: bool,
    /// The previous replica in its in-flight bucket, or [`NONE`].
    pub prev: u32,
    /// The next replica in its in-flight bucket, or [`NONE`].
    pub next: u32,
}

/// A replica's pending event.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ev {
    /// When it falls, seconds after 00:00.
    pub t: f64,
    /// Whose it is.
    pub rep: u32,
    /// The replica's generation when it was scheduled.
    pub gen: u32,
}

impl PartialEq for Ev {
    fn eq(&self, o: &Ev) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Ev {}
impl PartialOrd for Ev {
    fn partial_cmp(&self, o: &Ev) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Ev {
    /// Earliest first (BinaryHeap is a max-heap), then the lower replica.
    fn cmp(&self, o: &Ev) -> Ordering {
        o.t.total_cmp(&self.t).then(o.rep.cmp(&self.rep))
    }
}

/// Ready replicas with a free slot, by requests in flight.
#[derive(Debug)]
pub(crate) struct Buckets {
    /// First replica of each list, or [`NONE`].
    head: Vec<u32>,
    /// Bit k set when list k is not empty.
    bits: Vec<u64>,
}

impl Buckets {
    /// Empty lists for 0 to `slots` − 1 requests in flight.
    pub(crate) fn new(slots: usize) -> Buckets {
        Buckets {
            head: vec![NONE; slots],
            bits: vec![0; slots.div_ceil(64)],
        }
    }

    /// The ready replica with the most requests in flight and a free slot
    /// (the latest to join its list).
    #[inline]
    pub(crate) fn fullest(&self) -> Option<u32> {
        for (w, &bits) in self.bits.iter().enumerate().rev() {
            if bits != 0 {
                let k = w * 64 + 63 - bits.leading_zeros() as usize;
                return Some(self.head[k]);
            }
        }
        None
    }

    /// Puts `r` at the head of list `k` (k < C).
    #[inline]
    pub(crate) fn link(&mut self, reps: &mut [Rep], r: u32, k: u32) {
        let k = k as usize;
        let head = self.head[k];
        reps[r as usize].prev = NONE;
        reps[r as usize].next = head;
        if head != NONE {
            reps[head as usize].prev = r;
        }
        self.head[k] = r;
        self.bits[k / 64] |= 1 << (k % 64);
    }

    /// Takes `r` out of list `k` (k < C).
    #[inline]
    pub(crate) fn unlink(&mut self, reps: &mut [Rep], r: u32, k: u32) {
        let k = k as usize;
        let Rep { prev, next, .. } = reps[r as usize];
        if prev != NONE {
            reps[prev as usize].next = next;
        } else {
            self.head[k] = next;
            if next == NONE {
                self.bits[k / 64] &= !(1 << (k % 64));
            }
        }
        if next != NONE {
            reps[next as usize].prev = prev;
        }
    }
}
