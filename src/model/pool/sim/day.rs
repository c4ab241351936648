//! One simulated day of a pool: the event loop.
//!
//! Events are arrivals (from a [`ArrivalSource`]) and each replica's one pending
//! event, in a binary heap with lazy deletion (a generation number per
//! replica): the end of its cold start, its oldest completion, or its idle
//! timeout. Service is deterministic (d = C·s), so a replica's completions
//! come in the order its requests started: a ring buffer of C completion
//! times per replica holds them. Ready replicas with a free slot are kept
//! in buckets by requests in flight ([`Buckets`]), so dispatch to the
//! fullest one is a scan of C/64 words. Nothing is allocated per request;
//! the replicas, rings, heap and queue grow to the day's peak and stay.

use std::collections::{BinaryHeap, VecDeque};

use super::hist::Waits;
use super::replica::{Buckets, Ev, Rep, State, NONE};
use super::source::ArrivalSource;
use super::Params;

/// What one day (or its first hour) came to.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Tally {
    /// Billed seconds, every up-period rounded up.
    pub billed_s: f64,
    /// Busy replica-seconds: s per request, for the part of its hold inside the horizon.
    pub busy_s: f64,
    /// Replicas started.
    pub cold_starts: u64,
    /// Requests that queued while a replica was starting.
    pub cold_waits: u64,
    /// Arrivals.
    pub requests: u64,
    /// Most replicas up or starting at once.
    pub peak: u32,
}

/// The state of a day in progress.
struct Day<'a> {
    p: &'a Params,
    reps: Vec<Rep>,
    ring: Vec<f64>,
    free: Vec<u32>,
    blocked: Vec<u32>,
    buckets: Buckets,
    heap: BinaryHeap<Ev>,
    /// While the heap's top event is handled: the event it scheduled, which
    /// replaces the top (one sift instead of a pop and a push).
    next_of_top: Option<Option<Ev>>,
    queue: VecDeque<f64>,
    /// Replicas up or starting.
    up: u32,
    starting: u32,
    /// Requests in flight or waiting.
    in_system: u64,
    tally: Tally,
}

/// Simulates one day from 00:00 to `horizon_s` (86,400), after a warm-up
/// from −`warm_up_s` (the source's arrivals before 00:00), recording every
/// wait after 00:00 in `waits`; returns the day's tally and that of its
/// first hour (the day as if it ended at 01:00) when `first_hour` is set.
/// At 00:00 the tally starts afresh: replicas up then are billed from 00:00.
pub(crate) fn run<S: ArrivalSource>(
    p: &Params,
    src: &mut S,
    waits: &mut Waits,
    first_hour: bool,
) -> (Tally, Option<Tally>) {
    let c = p.slots as usize;
    let mut day = Day {
        p,
        reps: Vec::new(),
        ring: Vec::new(),
        free: Vec::new(),
        blocked: Vec::new(),
        buckets: Buckets::new(c),
        heap: BinaryHeap::new(),
        next_of_top: None,
        queue: VecDeque::new(),
        up: 0,
        starting: 0,
        in_system: 0,
        tally: Tally::default(),
    };
    for _ in 0..p.initial {
        day.midnight(-p.warm_up_s);
    }
    let mut hour = first_hour.then_some(3600.0);
    let mut first = None;
    let mut warming = p.warm_up_s > 0.0;
    let mut scratch = Waits::new();
    let mut next_arrival = src.next();
    loop {
        let te = day.heap.peek().map_or(f64::INFINITY, |e| e.t);
        let t = te.min(next_arrival);
        if warming && t >= 0.0 {
            day.midnight_reset();
            warming = false;
        }
        let waits: &mut Waits = if warming { &mut scratch } else { &mut *waits };
        if let Some(h) = hour.filter(|&h| t >= h) {
            first = Some(day.tally_at(h, None));
            hour = None;
        }
        if t >= p.horizon_s {
            break;
        }
        if te <= next_arrival {
            let Some(&ev) = day.heap.peek() else { break };
            day.next_of_top = Some(None);
            day.event(ev, waits);
            match day.next_of_top.take().flatten() {
                Some(next) => {
                    if let Some(mut top) = day.heap.peek_mut() {
                        *top = next;
                    }
                }
                None => {
                    day.heap.pop();
                }
            }
        } else {
            day.arrive(next_arrival, waits);
            next_arrival = src.next();
        }
    }
    (day.tally_at(p.horizon_s, Some(waits)), first)
}

impl Day<'_> {
    /// A replica slot, fresh, billed from `t`, in state `state`.
    fn alloc(&mut self, t: f64, state: State) -> u32 {
        let r = match self.free.pop() {
            Some(r) => r,
            None => {
                let r = self.reps.len() as u32;
                self.reps.push(Rep {
                    start: 0.0,
                    state: State::Off,
                    in_flight: 0,
                    head: 0,
                    gen: 0,
                    blocked: false,
                    lingering: false,
                    prev: NONE,
                    next: NONE,
                });
                self.ring
                    .resize(self.ring.len() + self.p.slots as usize, 0.0);
                r
            }
        };
        let rep = &mut self.reps[r as usize];
        rep.start = t;
        rep.state = state;
        rep.in_flight = 0;
        rep.head = 0;
        rep.gen = rep.gen.wrapping_add(1);
        rep.blocked = false;
        rep.lingering = false;
        self.up += 1;
        self.tally.peak = self.tally.peak.max(self.up);
        r
    }

    /// A replica ready when the run starts at `t` (min_replicas, or a
    /// fixed pool's): idle, not a cold start.
    fn midnight(&mut self, t: f64) {
        let r = self.alloc(t, State::Ready);
        self.buckets.link(&mut self.reps, r, 0);
        self.schedule(r, t);
    }

    /// 00:00 after a warm-up: the tally starts afresh and the replicas up
    /// are billed from now (the up-period's part before 00:00 was the day
    /// before's); the peak starts at the replicas up.
    fn midnight_reset(&mut self) {
        self.tally = Tally {
            peak: self.up,
            ..Tally::default()
        };
        for rep in &mut self.reps {
            if rep.state != State::Off {
                rep.start = rep.start.max(0.0);
            }
        }
    }

    /// Starts a replica at `t`: billed from now (or from its ready moment
    /// when the cold start is not billed), ready after the cold start.
    fn start(&mut self, t: f64) -> u32 {
        let r = self.alloc(t, State::Starting);
        let rep = &mut self.reps[r as usize];
        rep.start = t + self.p.unbilled_s;
        let gen = rep.gen;
        self.heap.push(Ev {
            t: t + self.p.cold_start_s,
            rep: r,
            gen,
        });
        self.starting += 1;
        self.tally.cold_starts += 1;
        // A replica kept up only by min_replicas goes now that the pool is above it.
        while self.up > self.p.min_replicas {
            let Some(b) = self.blocked.pop() else { break };
            let rb = self.reps[b as usize];
            if rb.state == State::Ready && rb.in_flight == 0 && rb.blocked {
                self.shut_down(b, t);
            }
        }
        r
    }

    /// One request arrives at `t`.
    fn arrive(&mut self, t: f64, waits: &mut Waits) {
        self.tally.requests += 1;
        self.in_system += 1;
        let queued = match self.buckets.fullest() {
            Some(r) => {
                self.assign(r, t);
                waits.record(0.0);
                false
            }
            None => {
                self.queue.push_back(t);
                true
            }
        };
        if self.p.scaled && self.in_system as f64 > self.p.scale_per_replica * f64::from(self.up) {
            self.start(t);
        }
        if queued && self.starting > 0 {
            self.tally.cold_waits += 1;
        }
    }

    /// A replica's pending event, unless stale.
    fn event(&mut self, ev: Ev, waits: &mut Waits) {
        let rep = self.reps[ev.rep as usize];
        if rep.gen != ev.gen {
            return;
        }
        match rep.state {
            State::Off => {}
            State::Starting => {
                self.starting -= 1;
                self.reps[ev.rep as usize].state = State::Ready;
                self.ready(ev.rep, ev.t, waits);
            }
            State::Ready if rep.in_flight > 0 => self.complete(ev.rep, ev.t, waits),
            State::Ready => {
                if self.p.lingers(self.up, &rep) {
                    self.reps[ev.rep as usize].lingering = true;
                    self.pend(Ev {
                        t: ev.t + self.p.linger_s,
                        ..ev
                    });
                } else if self.up > self.p.min_replicas {
                    self.shut_down(ev.rep, ev.t);
                } else {
                    self.reps[ev.rep as usize].blocked = true;
                    self.blocked.push(ev.rep);
                }
            }
        }
    }

    /// Replica `r` is ready at `t`: it takes up to C waiting requests.
    fn ready(&mut self, r: u32, t: f64, waits: &mut Waits) {
        let c = self.p.slots;
        self.reps[r as usize].state = State::Ready;
        let mut k = 0;
        while k < c {
            let Some(arrived) = self.queue.pop_front() else {
                break;
            };
            waits.record(t - arrived);
            self.push_completion(r, t);
            k += 1;
            self.reps[r as usize].in_flight = k;
        }
        if k < c {
            self.buckets.link(&mut self.reps, r, k);
        }
        self.schedule(r, t);
    }

    /// Replica `r`'s oldest request completes at `t`; the queue's head takes its slot.
    fn complete(&mut self, r: u32, t: f64, waits: &mut Waits) {
        let c = self.p.slots;
        let rep = &mut self.reps[r as usize];
        rep.head = if rep.head + 1 == c { 0 } else { rep.head + 1 };
        self.in_system -= 1;
        if let Some(arrived) = self.queue.pop_front() {
            waits.record(t - arrived);
            let rep = &mut self.reps[r as usize];
            rep.in_flight -= 1;
            self.push_completion(r, t);
            self.reps[r as usize].in_flight += 1;
        } else {
            let old = self.reps[r as usize].in_flight;
            if old < c {
                self.buckets.unlink(&mut self.reps, r, old);
            }
            self.reps[r as usize].in_flight = old - 1;
            self.buckets.link(&mut self.reps, r, old - 1);
        }
        self.schedule(r, t);
    }

    /// Replica `r`'s next event after `t`: its oldest completion, or its
    /// idle timeout when nothing is in flight (never for a fixed pool).
    fn schedule(&mut self, r: u32, t: f64) {
        let rep = self.reps[r as usize];
        let at = if rep.in_flight > 0 {
            self.ring[r as usize * self.p.slots as usize + rep.head as usize]
        } else if self.p.scaled {
            t + self.p.idle_timeout_s
        } else {
            return;
        };
        self.pend(Ev {
            t: at,
            rep: r,
            gen: rep.gen,
        });
    }

    /// `ev` becomes its replica's pending event.
    fn pend(&mut self, ev: Ev) {
        match &mut self.next_of_top {
            Some(slot) => *slot = Some(ev),
            None => self.heap.push(ev),
        }
    }

    /// A request starts on ready replica `r` (which has a free slot) at `t`.
    fn assign(&mut self, r: u32, t: f64) {
        let c = self.p.slots;
        let k = self.reps[r as usize].in_flight;
        self.buckets.unlink(&mut self.reps, r, k);
        self.push_completion(r, t);
        let rep = &mut self.reps[r as usize];
        rep.in_flight = k + 1;
        if k + 1 < c {
            self.buckets.link(&mut self.reps, r, k + 1);
        }
        if k == 0 {
            // Its idle timeout (if any) is cancelled.
            let rep = &mut self.reps[r as usize];
            rep.gen = rep.gen.wrapping_add(1);
            rep.blocked = false;
            rep.lingering = false;
            self.schedule(r, t);
        }
    }

    /// Appends a completion at t + d to replica `r`'s ring; counts its busy time.
    fn push_completion(&mut self, r: u32, t: f64) {
        let c = self.p.slots;
        let rep = self.reps[r as usize];
        let tail = (rep.head + rep.in_flight) % c;
        self.ring[r as usize * c as usize + tail as usize] = t + self.p.hold_s;
        self.tally.busy_s += self.p.seconds_per_request;
    }

    /// Replica `r` shuts down at `t`: its up-period is billed.
    fn shut_down(&mut self, r: u32, t: f64) {
        self.buckets.unlink(&mut self.reps, r, 0);
        let rep = &mut self.reps[r as usize];
        rep.state = State::Off;
        rep.blocked = false;
        rep.lingering = false;
        rep.gen = rep.gen.wrapping_add(1);
        let start = rep.start;
        self.tally.billed_s += self.p.billed(t - start);
        self.up -= 1;
        self.free.push(r);
    }

    /// The tally as if the day ended at `h`: replicas up are billed to `h`,
    /// requests in flight count as busy only up to `h`; with `waits`, the
    /// requests still waiting are recorded with their wait so far.
    fn tally_at(&self, h: f64, waits: Option<&mut Waits>) -> Tally {
        let mut t = self.tally;
        let c = self.p.slots as usize;
        for (i, rep) in self.reps.iter().enumerate() {
            if rep.state == State::Off {
                continue;
            }
            t.billed_s += self.p.billed(h - rep.start);
            for j in 0..rep.in_flight as usize {
                let done = self.ring[i * c + (rep.head as usize + j) % c];
                if done > h && self.p.hold_s > 0.0 {
                    t.busy_s -= self.p.seconds_per_request * ((done - h) / self.p.hold_s).min(1.0);
                }
            }
        }
        if !self.p.scaled {
            // Fixed(n): n replicas up all day, billed n·h exactly.
            t.billed_s = f64::from(self.p.initial) * h;
        }
        if let Some(w) = waits {
            self.queue.iter().for_each(|&a| w.record(h - a));
        }
        t
    }
}
