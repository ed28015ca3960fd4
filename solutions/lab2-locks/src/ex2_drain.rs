//! Exercise 2: check-then-act. Several threads drain one list of work items.

use labsync::sync::Mutex;
use labsync::thread;

/// Work items shared by several threads.
#[derive(Debug, Default)]
pub struct WorkList<T> {
    items: Mutex<Vec<T>>,
}

impl<T> WorkList<T> {
    /// A list holding `items`.
    pub fn new(items: Vec<T>) -> WorkList<T> {
        WorkList {
            items: Mutex::new(items),
        }
    }

    /// How many items are left right now (a snapshot).
    pub fn len(&self) -> usize {
        self.items.lock().unwrap().len()
    }

    /// Whether the list was empty when this call looked (a snapshot).
    pub fn is_empty(&self) -> bool {
        self.items.lock().unwrap().is_empty()
    }

    /// Removes one item, or returns `None` if the list is empty: the check
    /// and the removal are one critical section.
    pub fn take(&self) -> Option<T> {
        self.items.lock().unwrap().pop()
    }
}

/// Empties `list` with `n_workers` threads and returns how many items each
/// worker handled.
///
/// Workers loop on the result of [`WorkList::take`]; the guard inside
/// `take` is dropped before `handle` runs, so items are handled in
/// parallel.
pub fn drain<T, Handle>(list: &WorkList<T>, n_workers: usize, handle: Handle) -> Vec<usize>
where
    T: Send,
    Handle: Fn(usize, T) + Sync,
{
    assert!(n_workers >= 1, "drain needs at least one worker, got 0");
    let handle = &handle;
    thread::scope(|scope| {
        let workers: Vec<_> = (0..n_workers)
            .map(|worker_idx| {
                scope.spawn(move || {
                    let mut n_handled = 0;
                    while let Some(item) = list.take() {
                        handle(worker_idx, item);
                        n_handled += 1;
                    }
                    n_handled
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}
