//! Exercises 1 and 2: a bounded queue, built from a mutex and condition
//! variables, that can be closed and joined.
//!
//! A queue is the safest way for threads to share work: instead of many
//! threads reaching into shared state, producers `put` items in and
//! consumers `get` them out, and each item belongs to one thread at a time.
//! Python's `queue.Queue(maxsize)` is such a queue; Rust's standard library
//! has channels but no queue you can build yourself, so you do it here from
//! the two tools of lab 3: a `Mutex` around the queue's state and
//! `Condvar`s that threads sleep on until that state changes.
//!
//! *Bounded* means at most `capacity` items: a producer that is faster than
//! its consumers is made to wait in `put` instead of filling the memory.
//! That waiting is called *backpressure*, and exercise 5 is built on it.
//!
//! Exercise 1 is the queue itself: [`BoundedQueue::new`] down to
//! [`BoundedQueue::is_closed`]. Exercise 2 adds Python's *joinable*
//! semantics: [`BoundedQueue::task_done`] and [`BoundedQueue::join`], at
//! the end of this file. Both exercises share one struct, so both live
//! here.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

// The error types below are provided complete.

/// [`BoundedQueue::put`] on a closed queue; holds the item that was not put.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Closed<T>(pub T);

/// Why [`BoundedQueue::try_put`] did not put its item; holds the item.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TryPutError<T> {
    /// The queue held `capacity` items.
    Full(T),
    /// The queue is closed.
    Closed(T),
}

/// Why [`BoundedQueue::put_timeout`] did not put its item; holds the item.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum PutTimeoutError<T> {
    /// The queue was still full when the timeout ran out.
    Timeout(T),
    /// The queue is closed.
    Closed(T),
}

/// Why [`BoundedQueue::try_get`] returned no item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TryGetError {
    /// The queue is open and holds no item right now.
    Empty,
    /// The queue is closed and every item has been taken.
    Closed,
}

/// Why [`BoundedQueue::get_timeout`] returned no item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GetTimeoutError {
    /// No item came before the timeout ran out.
    Timeout,
    /// The queue is closed and every item has been taken.
    Closed,
}

/// [`BoundedQueue::task_done`] was called more often than items were put.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskDoneError;

impl<T> Closed<T> {
    /// The item that was not put.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> TryPutError<T> {
    /// The item that was not put.
    pub fn into_inner(self) -> T {
        match self {
            TryPutError::Full(item) | TryPutError::Closed(item) => item,
        }
    }
}

impl<T> PutTimeoutError<T> {
    /// The item that was not put.
    pub fn into_inner(self) -> T {
        match self {
            PutTimeoutError::Timeout(item) | PutTimeoutError::Closed(item) => item,
        }
    }
}

// The item is not shown, so that these errors are `Debug` (and `unwrap`
// works on them) for any item type, like `std::sync::mpsc::SendError`.
impl<T> fmt::Debug for Closed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Closed(..)")
    }
}

impl<T> fmt::Debug for TryPutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryPutError::Full(_) => f.write_str("Full(..)"),
            TryPutError::Closed(_) => f.write_str("Closed(..)"),
        }
    }
}

impl<T> fmt::Debug for PutTimeoutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PutTimeoutError::Timeout(_) => f.write_str("Timeout(..)"),
            PutTimeoutError::Closed(_) => f.write_str("Closed(..)"),
        }
    }
}

impl<T> fmt::Display for Closed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the queue is closed")
    }
}

impl<T> fmt::Display for TryPutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TryPutError::Full(_) => "the queue is full",
            TryPutError::Closed(_) => "the queue is closed",
        })
    }
}

impl<T> fmt::Display for PutTimeoutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PutTimeoutError::Timeout(_) => "the queue stayed full until the timeout",
            PutTimeoutError::Closed(_) => "the queue is closed",
        })
    }
}

impl fmt::Display for TryGetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TryGetError::Empty => "the queue is empty",
            TryGetError::Closed => "the queue is closed and empty",
        })
    }
}

impl fmt::Display for GetTimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GetTimeoutError::Timeout => "no item came before the timeout",
            GetTimeoutError::Closed => "the queue is closed and empty",
        })
    }
}

impl fmt::Display for TaskDoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("task_done was called more times than items were put")
    }
}

impl<T> std::error::Error for Closed<T> {}
impl<T> std::error::Error for TryPutError<T> {}
impl<T> std::error::Error for PutTimeoutError<T> {}
impl std::error::Error for TryGetError {}
impl std::error::Error for GetTimeoutError {}
impl std::error::Error for TaskDoneError {}

/// A first-in first-out queue of at most `capacity` items, shared by
/// producers and consumers.
///
/// Build it from `labsync::sync::{Mutex, Condvar}`. Suggested state: one
/// `Mutex` around a struct holding a `std::collections::VecDeque<T>` of
/// items, a `closed: bool` and (for exercise 2) the number of unfinished
/// tasks; plus the capacity, and two `Condvar`s, one that getters wait on
/// ("an item was added, or the queue closed") and one that putters wait on
/// ("room was freed, or the queue closed"). Exercise 2's `join` needs a
/// third `Condvar` ("all tasks are done").
///
/// Why two condition variables and not one: putters and getters wait for
/// different things. With one `Condvar` for both, a get that frees a slot
/// and calls `notify_one` may wake another *getter*, which finds the queue
/// still empty and goes back to sleep, while the putter that could have
/// used the slot sleeps on. Separate condition variables send each wake-up
/// to a thread that can use it.
///
/// All methods take `&self`, so one queue can be shared by many threads
/// (through an `Arc`, or borrowed by scoped threads). For any `T: Send`,
/// the queue you build this way is `Send + Sync` without any `unsafe`.
#[derive(Debug)]
pub struct BoundedQueue<T> {
    // Replace this placeholder with your fields.
    _items: PhantomData<T>,
}

impl<T> BoundedQueue<T> {
    /// An empty, open queue for at most `capacity` items.
    ///
    /// Tip: `VecDeque::with_capacity(capacity)` allocates the buffer once,
    /// so a `put` never has to grow it while holding the lock.
    ///
    /// # Panics
    ///
    /// If `capacity` is zero: no item could ever be put. Say so in the
    /// panic message.
    pub fn new(capacity: usize) -> BoundedQueue<T> {
        let _ = capacity;
        todo!("exercise 1: BoundedQueue::new")
    }

    /// The most items the queue holds at once (the `capacity` given to
    /// [`BoundedQueue::new`]).
    pub fn capacity(&self) -> usize {
        todo!("exercise 1: BoundedQueue::capacity")
    }

    /// Puts `item` at the back of the queue, waiting while the queue is
    /// full. Returns `Err(Closed(item))`, giving the item back, if the
    /// queue is closed, also when it is closed while this call waits.
    ///
    /// Lock the state; while the queue is full and open, wait on the
    /// putters' condition variable; then, still holding the lock, either
    /// give up (closed) or push the item. After pushing, wake one getter:
    /// one new item can feed one getter, so `notify_one` is right here.
    ///
    /// Pitfall: `if queue is full { wait }` instead of `while`. Waking up
    /// only means "something changed, look again": another putter may have
    /// filled the free slot before this thread got the lock back, and a
    /// condition variable may also wake a thread for no reason at all (a
    /// *spurious wake-up*). With `if`, the queue ends up holding more than
    /// `capacity` items.
    pub fn put(&self, item: T) -> Result<(), Closed<T>> {
        let _ = item;
        todo!("exercise 1: BoundedQueue::put")
    }

    /// Takes the item at the front of the queue, waiting while the queue is
    /// empty and open. Returns `None` once the queue is closed *and* empty:
    /// the items left in a closed queue are still handed out first.
    ///
    /// The mirror image of [`BoundedQueue::put`]: wait in a `while` loop on
    /// the getters' condition variable, take the item under the lock, and
    /// then wake one putter, since one free slot can take one putter's
    /// item.
    ///
    /// Pitfall: forgetting that wake-up. `get` is what makes room in a full
    /// queue; if it does not notify, a putter waiting for room sleeps
    /// forever next to a queue with free slots. That is a *lost wake-up*:
    /// the program just stops, with no error message.
    pub fn get(&self) -> Option<T> {
        todo!("exercise 1: BoundedQueue::get")
    }

    /// Puts `item` if there is room right now, and never waits. Gives the
    /// item back in `Err(TryPutError::Full(item))` if the queue is full, or
    /// in `Err(TryPutError::Closed(item))` if it is closed (closed wins
    /// when both are true).
    ///
    /// A successful `try_put` is a put like any other: it counts as an
    /// unfinished task for exercise 2 and wakes a getter.
    pub fn try_put(&self, item: T) -> Result<(), TryPutError<T>> {
        let _ = item;
        todo!("exercise 1: BoundedQueue::try_put")
    }

    /// Takes the front item if there is one right now, and never waits.
    /// `Err(TryGetError::Empty)` if the queue is open and empty,
    /// `Err(TryGetError::Closed)` if it is closed and empty.
    pub fn try_get(&self) -> Result<T, TryGetError> {
        todo!("exercise 1: BoundedQueue::try_get")
    }

    /// Like [`BoundedQueue::put`], but waits at most `timeout` for room:
    /// gives the item back in `Err(PutTimeoutError::Timeout(item))` if the
    /// queue is still full when the time is up, or in
    /// `Err(PutTimeoutError::Closed(item))` if it is (or gets) closed.
    ///
    /// Compute the deadline once (`Instant::now() + timeout`; a timeout too
    /// long to add to the clock may simply mean "no timeout"), then loop
    /// like `put`, but wait with `condvar.wait_timeout(guard, time_left)`,
    /// where `time_left` is the time from now to the deadline, and give up
    /// when the deadline has passed and the queue is still full.
    ///
    /// Pitfall: waiting the full `timeout` again after every wake-up. A
    /// putter woken five times for slots that other putters grabbed would
    /// then wait five timeouts. Wait only for what is left until the
    /// deadline.
    pub fn put_timeout(&self, item: T, timeout: Duration) -> Result<(), PutTimeoutError<T>> {
        let _ = (item, timeout);
        todo!("exercise 1: BoundedQueue::put_timeout")
    }

    /// Like [`BoundedQueue::get`], but waits at most `timeout` for an item:
    /// `Err(GetTimeoutError::Timeout)` if none came in time,
    /// `Err(GetTimeoutError::Closed)` at once if the queue is closed and
    /// empty.
    ///
    /// Pitfall: looking at the clock before the queue. A getter that is
    /// woken for an item just as its timeout runs out must take the item,
    /// not report a timeout: the notify that woke it was meant for an
    /// item, and if it leaves, no other getter hears about that item.
    pub fn get_timeout(&self, timeout: Duration) -> Result<T, GetTimeoutError> {
        let _ = timeout;
        todo!("exercise 1: BoundedQueue::get_timeout")
    }

    /// How many items are in the queue right now.
    ///
    /// The answer may already be out of date when the caller reads it, if
    /// other threads are using the queue: it is for reports and tests,
    /// never for deciding whether to put or get (that is `try_put` and
    /// `try_get`'s job, which decide under the lock).
    pub fn len(&self) -> usize {
        todo!("exercise 1: BoundedQueue::len")
    }

    /// Whether the queue holds no item right now. Provided complete.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Closes the queue: from now on every put fails and gives its item
    /// back; getters take the items that are left and then get `None`.
    /// Closing twice is harmless.
    ///
    /// This is how producers say "we are finished" (Python's queue has no
    /// close, so its users put a special "stop" item per consumer instead).
    ///
    /// Pitfall: `notify_one`. Every thread waiting in `get` on an empty
    /// queue must learn that no item will ever come, and every thread
    /// waiting in `put` on a full queue must learn that its item will never
    /// fit: wake them all (`notify_all`), on both condition variables.
    pub fn close(&self) {
        todo!("exercise 1: BoundedQueue::close")
    }

    /// Whether [`BoundedQueue::close`] has been called.
    pub fn is_closed(&self) -> bool {
        todo!("exercise 1: BoundedQueue::is_closed")
    }
}

/// Exercise 2: joinable semantics (Python's `Queue.task_done` and
/// `Queue.join`).
///
/// A producer that has put all its items often wants to wait until they
/// have been *handled*, not just taken: a consumer may still be working on
/// the last one. So the queue counts unfinished tasks: every successful put
/// adds one, and a consumer calls [`BoundedQueue::task_done`] when it has
/// finished with an item it took. [`BoundedQueue::join`] waits until the
/// count is back to zero.
impl<T> BoundedQueue<T> {
    /// Marks one item taken from the queue as fully handled. When no item
    /// is left unfinished, wakes *every* thread waiting in
    /// [`BoundedQueue::join`] (several threads may be joining).
    ///
    /// Returns `Err(TaskDoneError)`, and changes nothing, if it is called
    /// more times than items were put: that is a bug in the caller, and
    /// counting below zero would hide it.
    ///
    /// Pitfall: keeping the unfinished count outside the queue's lock (in
    /// an atomic or a second mutex) and adding to it after `put` has pushed
    /// the item and unlocked. In between, a consumer can take the item,
    /// handle it and call `task_done` before the put was counted: the count
    /// drops below zero, or reaches zero while work is still pending and
    /// lets `join` return early. Count the item in the same critical
    /// section that pushes it.
    pub fn task_done(&self) -> Result<(), TaskDoneError> {
        todo!("exercise 2: BoundedQueue::task_done")
    }

    /// Waits until every item ever put has been marked done with
    /// [`BoundedQueue::task_done`]; returns at once if that is already so.
    ///
    /// Wait in a `while` loop, like every condition-variable wait. Closing
    /// the queue does not end a `join`: items may still be in the queue or
    /// in a consumer's hands.
    pub fn join(&self) {
        todo!("exercise 2: BoundedQueue::join")
    }
}
