//! Exercise 8: a reusable barrier for a fixed number of threads.
//!
//! Besides the number of threads that have arrived, the state holds the
//! round (a generation number). The last thread to arrive resets the count
//! and starts the next round; the others wait until the round number
//! changes, not until the count reaches N, because by the time they wake up
//! the count has already been reset (or even refilled by fast threads of
//! the next round).

use labsync::sync::{Condvar, Mutex};

use crate::ignore_poison;

/// A meeting point where `n_threads` threads wait for each other, round
/// after round.
#[derive(Debug)]
pub struct Barrier {
    n_threads: usize,
    state: Mutex<BarrierState>,
    round_over: Condvar,
}

#[derive(Debug)]
struct BarrierState {
    /// Threads that have arrived in the current round.
    arrived: usize,
    /// Which round is current; changes when the last thread arrives.
    round: u64,
}

impl Barrier {
    /// A barrier for `n_threads` threads (0 behaves like 1, as in `std`).
    pub fn new(n_threads: usize) -> Barrier {
        Barrier {
            n_threads: n_threads.max(1),
            state: Mutex::new(BarrierState {
                arrived: 0,
                round: 0,
            }),
            round_over: Condvar::new(),
        }
    }

    /// Waits until `n_threads` threads have called `wait` in this round;
    /// returns `true` in exactly one of them (the last to arrive).
    pub fn wait(&self) -> bool {
        let mut state = ignore_poison(self.state.lock());
        let my_round = state.round;
        state.arrived += 1;
        if state.arrived == self.n_threads {
            state.arrived = 0;
            state.round = state.round.wrapping_add(1);
            drop(state);
            self.round_over.notify_all();
            return true;
        }
        while state.round == my_round {
            state = ignore_poison(self.round_over.wait(state));
        }
        false
    }
}
