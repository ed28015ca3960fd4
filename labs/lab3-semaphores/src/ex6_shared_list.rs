//! Exercise 6: producers and consumers on a shared list, with a condition
//! variable.
//!
//! Producers append items to a shared list; consumers take them from the
//! front. A consumer that finds the list empty must sleep until a producer
//! adds something, without spinning on the lock. That is Python's
//! `threading.Condition` example: `with cond: while not items: cond.wait()`.
//! In Rust the condition variable is a `Condvar` that works together with
//! the `Mutex` holding the list.
//!
//! A shared list also needs a way to say "the producers are finished":
//! [`SharedList::close`]. After it, consumers take what is left and then
//! get `None` instead of waiting forever.

use std::marker::PhantomData;

/// A first-in first-out list of items shared by producers and consumers.
///
/// Suggested state: one `Mutex` around a struct holding a
/// `std::collections::VecDeque<T>` of items and a `closed: bool`, and one
/// `Condvar` that consumers wait on.
#[derive(Debug)]
pub struct SharedList<T> {
    // Replace this placeholder with your fields.
    _items: PhantomData<T>,
}

impl<T> Default for SharedList<T> {
    /// An empty, open list, like [`SharedList::new`]. Provided complete.
    fn default() -> SharedList<T> {
        SharedList::new()
    }
}

impl<T> SharedList<T> {
    /// An empty, open list.
    pub fn new() -> SharedList<T> {
        todo!("exercise 6: SharedList::new")
    }

    /// Adds `item` at the back and wakes one waiting consumer.
    ///
    /// One new item can feed one consumer, so `notify_one` is the right
    /// notify here. (Items put after `close` are still handed out.)
    pub fn put(&self, item: T) {
        let _ = item;
        todo!("exercise 6: SharedList::put")
    }

    /// Takes the item at the front of the list. Waits while the list is
    /// empty and open; returns `None` once the list is closed and empty.
    ///
    /// The idea: the consumer holds the lock while it looks at the list and
    /// while it removes the item, and `wait` releases that lock while it
    /// sleeps, so producers can get in to add items.
    ///
    /// Pitfall: `if list is empty { wait }` followed by "take the front
    /// item". Two consumers are waiting, a producer adds one item and wakes
    /// one of them, but the *other* consumer grabs the lock first and takes
    /// the item. The woken consumer then finds the list empty after all. Put
    /// the wait in a loop that looks at the list again every time it wakes.
    pub fn take(&self) -> Option<T> {
        todo!("exercise 6: SharedList::take")
    }

    /// Says that no more items will come. Consumers take what is left and
    /// then get `None`.
    ///
    /// Pitfall: `notify_one`. Every consumer waiting on an empty list must
    /// learn that the list is closed, not just one of them: `notify_all`.
    pub fn close(&self) {
        todo!("exercise 6: SharedList::close")
    }

    /// How many items are waiting to be taken (for reports and tests).
    pub fn len(&self) -> usize {
        todo!("exercise 6: SharedList::len")
    }

    /// Whether no item is waiting to be taken. Provided complete.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
