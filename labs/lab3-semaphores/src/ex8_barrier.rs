//! Exercise 8: a reusable barrier.
//!
//! A barrier is a meeting point for a fixed number of threads: each thread
//! that calls `wait` stops there until all N have arrived, then all go on
//! together. Simulations use it every step ("nobody starts step k+1 before
//! everybody has finished step k"), so the same barrier must work round
//! after round. (`std::sync::Barrier` exists; here you build your own to see
//! what makes it reusable.)

/// A meeting point where `n_threads` threads wait for each other, any
/// number of rounds.
///
/// Suggested state: a `Mutex` around the number of threads that have
/// arrived in the current round *and* a round number, and a `Condvar`.
#[derive(Debug)]
pub struct Barrier {
    // Your fields.
}

impl Barrier {
    /// A barrier for `n_threads` threads. `0` behaves like `1` (as in
    /// `std::sync::Barrier`): nobody ever waits.
    pub fn new(n_threads: usize) -> Barrier {
        let _ = n_threads;
        todo!("exercise 8: Barrier::new")
    }

    /// Waits until `n_threads` threads have called `wait` in this round,
    /// then returns. Exactly one thread of each round gets `true` (the
    /// last to arrive; the *leader*, which may for instance print the
    /// round's result); the others get `false`.
    ///
    /// What to build: a thread that arrives remembers the current round and
    /// counts itself. If it is the last one, it resets the count to zero,
    /// moves to the next round, and wakes everybody with `notify_all`.
    /// Otherwise it waits *while the round is still the one it arrived in*.
    ///
    /// Pitfall: waiting "while arrived < n_threads". It works once. If the
    /// count is never reset, the next round finds it already at N and lets
    /// everyone straight through. If the last thread resets it to zero, the
    /// woken threads find 0 < N and go back to sleep, forever. The round
    /// number is what tells a woken thread that *its* round is over.
    pub fn wait(&self) -> bool {
        todo!("exercise 8: Barrier::wait")
    }
}
