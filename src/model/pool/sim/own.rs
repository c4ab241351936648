//! Recorded arrivals served each for its own time: the pool of a replay
//! (`crate::replay`), where every request brings its own prefill and
//! decode tokens, so requests on one replica finish out of their start
//! order.
//!
//! The rules are those of the reference model exactly (the module
//! documentation of [`super`]): packing dispatch, one FIFO queue, the
//! scale-up rule, idle timeouts, `min_replicas`, billing increments, and at
//! equal times replica events before an arrival, the lower replica first.
//! What differs from [`super::day`] is the completions: [`super::day`]
//! keeps one pending event per replica and a ring of its completions in
//! start order (equal service times); here each request in flight has its
//! own completion event in the heap, and only readiness and idle timeouts
//! carry a generation (a completion is never cancelled). With equal service
//! times both give the same day, bit for bit in what is billed (a test
//! checks it). A run starts at 0 with `min_replicas` (or the fixed count)
//! ready and idle and ends at the horizon, billed as
//! [`super::simulate_recorded`] bills; no first-hour ramp is kept.

use std::collections::{BinaryHeap, VecDeque};

use super::day::Tally;
use super::hist::Waits;
use super::replica::{Buckets, Ev, Rep, State, NONE};
use super::{combine, non_negative, Params, Simulated};
use crate::model::pool::Pool;

/// `pool` over recorded arrivals, request `i` arriving at `times[i]`
/// (seconds from the recording's start) and holding a slot for
/// C · `seconds_of(i)` seconds (its own replica-seconds at saturation; a
/// figure that is not finite and ≥ 0 counts as 0). Arrivals outside
/// [0, `horizon_s`) or not finite are dropped; unsorted times are served in
/// time order (ties in index order). `pool.seconds_per_request` is not
/// read. Replicas up at the horizon are billed to it, as in
/// [`super::simulate_recorded`]; [`Simulated::first_hour`] is left empty.
pub fn simulate_recorded_each(
    pool: &Pool,
    times: &[f64],
    seconds_of: impl Fn(usize) -> f64,
    horizon_s: f64,
) -> Simulated {
    recorded(pool, times, seconds_of, horizon_s, Until::Horizon)
}

/// [`simulate_recorded_each`], every arrival within the horizon served to
/// its end and the pool left to wind down: the run goes on past
/// `horizon_s` until its last event (the last completion, then the idle
/// timeouts that stop the replicas it leaves up, and the cold starts under
/// way finishing), and ends at the later of the horizon and that event,
/// replicas still up (kept by `min_replicas`) billed to that end. What a
/// replay bills: a request recorded is a request served, however long it
/// waited for a cold start or behind the requests before it, and a
/// replica started for it is billed until it stops.
pub fn simulate_recorded_served(
    pool: &Pool,
    times: &[f64],
    seconds_of: impl Fn(usize) -> f64,
    horizon_s: f64,
) -> Simulated {
    recorded(pool, times, seconds_of, horizon_s, Until::AllServed)
}

/// Where a run over recorded arrivals ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Until {
    /// At the horizon: requests in flight are cut there, waiting ones left.
    Horizon,
    /// At the horizon or the last event, whichever is later.
    AllServed,
}

/// The two runs over recorded arrivals.
fn recorded(
    pool: &Pool,
    times: &[f64],
    seconds_of: impl Fn(usize) -> f64,
    horizon_s: f64,
    until: Until,
) -> Simulated {
    let mut p = Params::of(pool);
    p.horizon_s = non_negative(horizon_s);
    let order = in_time_order(times);
    let index = |k: usize| order.as_ref().map_or(k, |o| o[k]);
    let arrivals = (0..times.len())
        .map(index)
        .map(|i| (times[i], non_negative(seconds_of(i))))
        .filter(|(t, _)| t.is_finite() && (0.0..p.horizon_s).contains(t));
    let mut waits = Waits::new();
    let tally = run(&p, arrivals, &mut waits, until);
    combine(&[tally], &waits, Tally::default())
}

/// The indices of `times` in time order, or `None` when they already are.
fn in_time_order(times: &[f64]) -> Option<Vec<usize>> {
    if times.is_sorted_by(|a, b| a <= b) {
        return None;
    }
    let mut order: Vec<usize> = (0..times.len()).collect();
    order.sort_by(|&a, &b| times[a].total_cmp(&times[b]));
    Some(order)
}

/// What a replica's event is. The heap holds `(Ev, What)`: earliest
/// first, then the lower replica ([`Ev`]'s order); a replica has at most
/// one kind of event pending at a time, so the kind never breaks a tie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum What {
    /// One of its requests completes (never stale).
    Done,
    /// Its cold start ends (stale when its generation moved on).
    Ready,
    /// Its idle timeout falls (stale when its generation moved on).
    Idle,
}

/// A pool in progress.
struct Served<'a> {
    p: &'a Params,
    reps: Vec<Rep>,
    free: Vec<u32>,
    /// Replicas whose timeout fell while the pool was at `min_replicas`.
    blocked: Vec<u32>,
    buckets: Buckets,
    heap: BinaryHeap<(Ev, What)>,
    /// Waiting requests: (arrival, own seconds).
    queue: VecDeque<(f64, f64)>,
    up: u32,
    starting: u32,
    in_system: u64,
    tally: Tally,
}

/// The event loop from 0 to the horizon over `arrivals` (in time order,
/// within the horizon); with [`Until::AllServed`] on past it until no
/// event is left, the tally taken at the last live one.
fn run(
    p: &Params,
    arrivals: impl Iterator<Item = (f64, f64)>,
    waits: &mut Waits,
    until: Until,
) -> Tally {
    let mut pool = Served {
        p,
        reps: Vec::new(),
        free: Vec::new(),
        blocked: Vec::new(),
        buckets: Buckets::new(p.slots as usize),
        heap: BinaryHeap::new(),
        queue: VecDeque::new(),
        up: 0,
        starting: 0,
        in_system: 0,
        tally: Tally::default(),
    };
    for _ in 0..p.initial {
        let r = pool.alloc(0.0, State::Ready);
        pool.buckets.link(&mut pool.reps, r, 0);
        pool.idle_from(r, 0.0);
    }
    let mut arrivals = arrivals.peekable();
    // The last live event: where an AllServed run past the horizon ends.
    let mut end = p.horizon_s;
    // Served to the end: every event is run, the last requests'
    // completions and then the idle timeouts that stop the replicas they
    // leave (a replica kept by min_replicas has none).
    let stop = match until {
        Until::Horizon => p.horizon_s,
        Until::AllServed => f64::INFINITY,
    };
    loop {
        let te = pool.heap.peek().map_or(f64::INFINITY, |e| e.0.t);
        let ta = arrivals.peek().map_or(f64::INFINITY, |a| a.0);
        if te.min(ta) >= stop {
            break;
        }
        if te <= ta {
            if let Some(ev) = pool.heap.pop() {
                let live = ev.1 == What::Done || pool.reps[ev.0.rep as usize].gen == ev.0.gen;
                if live && ev.0.t.is_finite() {
                    end = end.max(ev.0.t);
                }
                pool.event(ev, waits);
            }
        } else if let Some((t, s)) = arrivals.next() {
            pool.arrive(t, s, waits);
        }
    }
    pool.tally_at(end, waits)
}

impl Served<'_> {
    /// A replica slot, fresh, billed from `t`, in state `state`.
    fn alloc(&mut self, t: f64, state: State) -> u32 {
        let fresh = Rep {
            start: t,
            state,
            in_flight: 0,
            head: 0,
            gen: 0,
            blocked: false,
            lingering: false,
            prev: NONE,
            next: NONE,
        };
        let r = match self.free.pop() {
            Some(r) => {
                let gen = self.reps[r as usize].gen.wrapping_add(1);
                self.reps[r as usize] = Rep { gen, ..fresh };
                r
            }
            None => {
                self.reps.push(fresh);
                self.reps.len() as u32 - 1
            }
        };
        self.up += 1;
        self.tally.peak = self.tally.peak.max(self.up);
        r
    }

    /// Pushes replica `r`'s event `what` at `t`, stamped with its generation.
    fn push(&mut self, r: u32, t: f64, what: What) {
        let gen = self.reps[r as usize].gen;
        self.heap.push((Ev { t, rep: r, gen }, what));
    }

    /// Replica `r` has nothing in flight from `t`: its idle timeout (none
    /// for a fixed pool).
    fn idle_from(&mut self, r: u32, t: f64) {
        if self.p.scaled {
            self.push(r, t + self.p.idle_timeout_s, What::Idle);
        }
    }

    /// Starts a replica at `t`; a replica kept up only by `min_replicas`
    /// goes now that the pool is above it.
    fn start(&mut self, t: f64) {
        let r = self.alloc(t, State::Starting);
        self.reps[r as usize].start = t + self.p.unbilled_s;
        self.push(r, t + self.p.cold_start_s, What::Ready);
        self.starting += 1;
        self.tally.cold_starts += 1;
        while self.up > self.p.min_replicas {
            let Some(b) = self.blocked.pop() else { break };
            let rb = self.reps[b as usize];
            if rb.state == State::Ready && rb.in_flight == 0 && rb.blocked {
                self.shut_down(b, t);
            }
        }
    }

    /// A request of `s` seconds arrives at `t`.
    fn arrive(&mut self, t: f64, s: f64, waits: &mut Waits) {
        self.tally.requests += 1;
        self.in_system += 1;
        let queued = match self.buckets.fullest() {
            Some(r) => {
                self.serve(r, t, s);
                waits.record(0.0);
                false
            }
            None => {
                self.queue.push_back((t, s));
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

    /// A replica's event, unless stale.
    fn event(&mut self, (ev, what): (Ev, What), waits: &mut Waits) {
        let rep = self.reps[ev.rep as usize];
        let live = rep.gen == ev.gen;
        match what {
            What::Done => self.complete(ev.rep, ev.t, waits),
            What::Ready if live && rep.state == State::Starting => {
                self.starting -= 1;
                self.reps[ev.rep as usize].state = State::Ready;
                let mut took = 0;
                while took < self.p.slots {
                    let Some((arrived, s)) = self.queue.pop_front() else {
                        break;
                    };
                    waits.record(ev.t - arrived);
                    self.hold(ev.rep, ev.t, s);
                    took += 1;
                }
                if took < self.p.slots {
                    self.buckets.link(&mut self.reps, ev.rep, took);
                }
                if took == 0 {
                    self.idle_from(ev.rep, ev.t);
                }
            }
            What::Idle if live && rep.state == State::Ready && rep.in_flight == 0 => {
                if self.p.lingers(self.up, &rep) {
                    self.reps[ev.rep as usize].lingering = true;
                    self.push(ev.rep, ev.t + self.p.linger_s, What::Idle);
                } else if self.up > self.p.min_replicas {
                    self.shut_down(ev.rep, ev.t);
                } else {
                    self.reps[ev.rep as usize].blocked = true;
                    self.blocked.push(ev.rep);
                }
            }
            What::Ready | What::Idle => {}
        }
    }

    /// A request of `s` seconds starts on ready replica `r` (which has a
    /// free slot) at `t`: `r` moves up a bucket.
    fn serve(&mut self, r: u32, t: f64, s: f64) {
        let k = self.reps[r as usize].in_flight;
        self.buckets.unlink(&mut self.reps, r, k);
        if k + 1 < self.p.slots {
            self.buckets.link(&mut self.reps, r, k + 1);
        }
        self.hold(r, t, s);
    }

    /// A request of `s` seconds takes a slot of `r` at `t` for C · `s`
    /// seconds (the buckets are the caller's); the first one in flight
    /// cancels the idle timeout.
    fn hold(&mut self, r: u32, t: f64, s: f64) {
        let rep = &mut self.reps[r as usize];
        if rep.in_flight == 0 {
            rep.gen = rep.gen.wrapping_add(1);
            rep.blocked = false;
            rep.lingering = false;
        }
        rep.in_flight += 1;
        self.push(r, t + f64::from(self.p.slots) * s, What::Done);
        self.tally.busy_s += s;
    }

    /// One of replica `r`'s requests completes at `t`: the queue's head
    /// takes its slot, else `r` moves down a bucket (idle when it was the
    /// last).
    fn complete(&mut self, r: u32, t: f64, waits: &mut Waits) {
        self.in_system -= 1;
        let k = self.reps[r as usize].in_flight;
        self.reps[r as usize].in_flight = k - 1;
        if let Some((arrived, s)) = self.queue.pop_front() {
            waits.record(t - arrived);
            self.hold(r, t, s);
            return;
        }
        if k < self.p.slots {
            self.buckets.unlink(&mut self.reps, r, k);
        }
        self.buckets.link(&mut self.reps, r, k - 1);
        if k == 1 {
            self.idle_from(r, t);
        }
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

    /// The tally at the horizon `h`: replicas up billed to `h`, requests in
    /// flight busy only up to `h` (a completion at `done` > `h` returns
    /// (done − h)/C of its seconds), requests waiting recorded with their
    /// wait so far.
    fn tally_at(&self, h: f64, waits: &mut Waits) -> Tally {
        let mut t = self.tally;
        for rep in self.reps.iter().filter(|r| r.state != State::Off) {
            t.billed_s += self.p.billed(h - rep.start);
        }
        let c = f64::from(self.p.slots);
        for (due, _) in self.heap.iter().filter(|e| e.1 == What::Done && e.0.t > h) {
            t.busy_s -= (due.t - h) / c;
        }
        if !self.p.scaled {
            t.billed_s = f64::from(self.p.initial) * h;
        }
        self.queue.iter().for_each(|&(a, _)| waits.record(h - a));
        t
    }
}

#[cfg(test)]
mod tests;
