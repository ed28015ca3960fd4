//! Exercise 6: producers and consumers sharing one list, coordinated by a
//! condition variable.
//!
//! The items and the "closed" mark live under one mutex. A consumer re-checks
//! both in a loop every time it wakes up: another consumer may have taken
//! the item it was woken for. `put` wakes one consumer (one item feeds one
//! consumer); `close` wakes them all (every waiting consumer must learn
//! that nothing more is coming).

use std::collections::VecDeque;

use labsync::sync::{Condvar, Mutex};

use crate::ignore_poison;

/// A first-in first-out list of items shared by producers and consumers.
#[derive(Debug)]
pub struct SharedList<T> {
    state: Mutex<ListState<T>>,
    changed: Condvar,
}

#[derive(Debug)]
struct ListState<T> {
    items: VecDeque<T>,
    closed: bool,
}

impl<T> Default for SharedList<T> {
    /// An empty, open list, like [`SharedList::new`].
    fn default() -> SharedList<T> {
        SharedList::new()
    }
}

impl<T> SharedList<T> {
    /// An empty, open list.
    pub fn new() -> SharedList<T> {
        SharedList {
            state: Mutex::new(ListState {
                items: VecDeque::new(),
                closed: false,
            }),
            changed: Condvar::new(),
        }
    }

    /// Adds an item at the back and wakes one waiting consumer.
    pub fn put(&self, item: T) {
        ignore_poison(self.state.lock()).items.push_back(item);
        self.changed.notify_one();
    }

    /// Takes the item at the front, waiting while the list is empty and
    /// open; `None` once the list is closed and empty.
    pub fn take(&self) -> Option<T> {
        let mut state = ignore_poison(self.state.lock());
        loop {
            if let Some(item) = state.items.pop_front() {
                return Some(item);
            }
            if state.closed {
                return None;
            }
            state = ignore_poison(self.changed.wait(state));
        }
    }

    /// Says that no more items will come: consumers take what is left, then
    /// get `None` instead of waiting.
    pub fn close(&self) {
        ignore_poison(self.state.lock()).closed = true;
        self.changed.notify_all();
    }

    /// How many items are waiting to be taken.
    pub fn len(&self) -> usize {
        ignore_poison(self.state.lock()).items.len()
    }

    /// Whether no item is waiting to be taken.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
