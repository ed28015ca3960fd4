//! Exercise 2: check-then-act. Several threads drain one list of work items.
//!
//! The lecture's crash: worker threads run `if len(items) > 0:
//! items.pop()`. Most of the time it works. Then two threads both see one
//! item left, both decide to pop, the first one gets it, and the second
//! crashes on "pop from empty list". The *check* ("is there an item?") and
//! the *act* ("take it") were each safe, but the world changed between
//! them. The fix is not a better check; it is doing both under one lock, so
//! that "take an item if there is one" is a single step.
//!
//! [`WorkList`] holds the items behind a `Mutex`. Its `len` and `is_empty`
//! each lock on their own and are provided; the answer they give may be
//! out of date by the time the caller acts on it. You write
//! [`WorkList::take`], which checks and acts in one critical section, and
//! [`drain`], which lets several threads empty the list with it.

use labsync::sync::Mutex;

/// Work items shared by several threads.
#[derive(Debug, Default)]
pub struct WorkList<T> {
    items: Mutex<Vec<T>>,
}

impl<T> WorkList<T> {
    /// A list holding `items`. Provided complete.
    pub fn new(items: Vec<T>) -> WorkList<T> {
        WorkList {
            items: Mutex::new(items),
        }
    }

    /// How many items are left right now. Provided complete.
    ///
    /// By the time the caller looks at the answer, other threads may have
    /// taken items: it is a snapshot, not a promise.
    pub fn len(&self) -> usize {
        self.items.lock().unwrap().len()
    }

    /// Whether the list was empty when this call looked. Provided complete.
    ///
    /// The same caveat as [`WorkList::len`]: `!list.is_empty()` does not
    /// mean the next `take` finds an item.
    pub fn is_empty(&self) -> bool {
        self.items.lock().unwrap().is_empty()
    }

    /// Removes one item and returns it, or returns `None` if the list is
    /// empty. The order in which items come out does not matter.
    ///
    /// What to build: lock the list once, and while holding that guard, pop
    /// an item (`Vec::pop` already returns an `Option`). Checking and taking
    /// are then one step that no other thread can split.
    ///
    /// The idea: a lock makes a *sequence* of steps atomic only if the whole
    /// sequence runs under one acquisition. Returning `Option<T>` instead of
    /// offering "check" and "take" separately is how an API keeps its
    /// callers from splitting them.
    ///
    /// Pitfall: `if !self.is_empty() { Some(self.items.lock().unwrap().pop().unwrap()) }`
    /// takes the lock twice; between the two, another thread can take the
    /// last item, and the `unwrap` panics: the lecture's crash, in Rust.
    pub fn take(&self) -> Option<T> {
        let _ = &self.items;
        todo!("exercise 2: WorkList::take")
    }
}

/// Empties `list` with `n_workers` threads working at the same time, and
/// returns how many items each worker handled (`n_workers` counts, in
/// worker order).
///
/// What to build: start `n_workers` scoped threads
/// (`labsync::thread::scope`). Worker number `worker_idx` repeatedly takes an
/// item with [`WorkList::take`] and calls `handle(worker_idx, item)`, until
/// `take` says the list is empty; then it returns its count. Collect the
/// counts by joining the workers in order. Every item must be handled
/// exactly once, and no worker may panic, however the threads interleave.
/// `n_workers` must be at least 1 (panic otherwise).
///
/// The idea: "keep going while there is work" is a loop on the *result of
/// taking*, `while let Some(item) = list.take()`, not on a separate check.
///
/// Pitfall: `while !list.is_empty() { let item = list.take().unwrap(); ... }`
/// is check-then-act again: two workers can both see one item left. And
/// never hold the list's lock while calling `handle`: the other workers
/// would wait for every item to be handled, one at a time.
pub fn drain<T, Handle>(list: &WorkList<T>, n_workers: usize, handle: Handle) -> Vec<usize>
where
    T: Send,
    Handle: Fn(usize, T) + Sync,
{
    let _ = (list, n_workers, handle);
    todo!("exercise 2: drain")
}
