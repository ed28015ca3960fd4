//! Exercises 1 and 2: a bounded, closable, joinable queue, built from
//! mutexes (one for each end of the queue, one for each slot) and condition
//! variables.
//!
//! # From one lock to two
//!
//! The student version keeps everything under one mutex. That is simple
//! and correct, but every put and every get then takes the same lock, so
//! with a producer and a consumer on different CPUs the lock's cache line
//! travels between them on every item, and they often find it taken.
//!
//! This queue gives each end its own lock, as in the classic "two-lock"
//! queue. The items sit in a ring of `capacity` slots: item number `n` goes
//! to slot `n % capacity`. Putters take only the put end's lock, which
//! guards how many items were put so far (so, which slot is next to fill);
//! getters take only the take end's lock, which guards how many were taken
//! (which slot holds the oldest item). Each slot is a small mutex of its
//! own around an `Option`, so no `unsafe` code is needed.
//!
//! # How an end knows there is room, or an item, without a shared count
//!
//! The slots say it themselves. Slot `n % capacity` is the next one to fill
//! only after item `n - capacity`, which used it before, was put there; so
//! if the putter finds that slot still full, the queue holds `capacity`
//! items and is full, and if it finds the slot empty, there is room. The
//! other way round, a getter that finds the oldest item's slot empty knows
//! that item has not been put yet: the queue is empty. So a put and a get
//! touch only their own end and one slot, never a counter that the other
//! side writes too; with a busy queue, the only cache line that travels
//! between producer and consumer is the slot's, which is where the speed
//! comes from. (`len` takes both ends' locks and subtracts the counts.)
//!
//! # Where wake-ups could be lost, and why they are not
//!
//! A getter that finds the queue empty sleeps on `item_added`, which
//! belongs to the take end's lock; a putter, which does not hold that
//! lock, must wake it. Two things could go wrong:
//!
//! 1. The putter only notifies when a getter may be asleep, which it
//!    learns from `waiting_getters` after it filled a slot. A getter that
//!    is about to sleep adds itself there *while it holds the empty slot's
//!    lock*, and the next item can only go into that very slot. So either
//!    the putter filled the slot before the getter locked it (the getter
//!    sees the item and does not sleep), or it filled the slot after the
//!    getter let go of it, and then the getter's announcement happened
//!    before the putter reads `waiting_getters`: it sees the getter.
//! 2. The getter could be between its last look and its wait when the
//!    notify comes, and miss it. So the putter takes (and at once drops)
//!    the take end's lock before notifying: the getter holds that lock
//!    from its last look until the wait releases it, so the notify can
//!    only come once the getter is really waiting.
//!
//! Putters waiting for room (`room_freed`, on the put end's lock) are
//! woken by getters the same way round, announcing themselves while they
//! hold the full slot that the next get will empty. `close` sets the
//! closed mark while holding the put end's lock, so no put can slip in an
//! item after a getter has seen the mark; a getter reads the mark *before*
//! it looks for an item, so "closed, and then nothing there" really means
//! nothing will ever come. `close` then takes each end's lock in turn and
//! wakes every waiter. `join` announces itself the same way, under its own
//! lock, to wait for the count of unfinished tasks to reach zero.
//!
//! # Other speed-ups
//!
//! Notifies are sent after the lock is released, so the woken thread does
//! not wake only to block on the lock its notifier still holds. Data that
//! one side writes on every item and data that the other side uses sit on
//! different cache lines ([`OneCacheLine`]). And a blocking `put` or `get`
//! that finds the queue full or empty looks again a few times, after pauses
//! of a few hundred nanoseconds at most, before it sleeps
//! ([`pause_before_looking_again`] says why and what it measured).

use std::fmt;
use std::time::{Duration, Instant};

use labsync::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering::SeqCst};
use labsync::sync::{Condvar, Mutex, MutexGuard};

use crate::ignore_poison;

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
#[derive(Debug)]
pub struct BoundedQueue<T> {
    /// The put end's lock: putters hold it while they put.
    put_end: OneCacheLine<Mutex<PutSide>>,
    /// The take end's lock: getters hold it while they take.
    take_end: OneCacheLine<Mutex<TakeSide>>,
    /// Item number `n` lives in slot `n % capacity` until it is taken.
    slots: Box<[OneCacheLine<Mutex<Option<T>>>]>,
    /// What both ends read on every item but write only rarely.
    rarely_written: OneCacheLine<RarelyWritten>,
    /// Getters wait here (holding the take end's lock) for an item or the
    /// close.
    item_added: Condvar,
    /// Putters wait here (holding the put end's lock) for room or the
    /// close.
    room_freed: Condvar,
    /// The bookkeeping of `task_done` and `join`.
    tasks: OneCacheLine<Tasks>,
    capacity: usize,
}

/// What the put end's lock guards.
#[derive(Debug)]
struct PutSide {
    /// Items put since the queue was made (wrapping; only the difference
    /// with `TakeSide::items_taken` is used).
    items_put: usize,
}

/// What the take end's lock guards.
#[derive(Debug)]
struct TakeSide {
    /// Items taken since the queue was made (wrapping).
    items_taken: usize,
}

#[derive(Debug)]
struct RarelyWritten {
    /// Set once, by `close`, while it holds the put end's lock.
    closed: AtomicBool,
    /// Getters that have announced they are about to wait on `item_added`.
    waiting_getters: AtomicU32,
    /// Putters that have announced they are about to wait on `room_freed`.
    waiting_putters: AtomicU32,
}

#[derive(Debug)]
struct Tasks {
    /// Items put and not yet marked done with `task_done`. Counted before
    /// the item is published, so `task_done` can never see the item before
    /// its count.
    unfinished: AtomicUsize,
    /// Threads that have announced they are about to wait in `join`.
    waiting_joiners: AtomicU32,
    /// `join` holds this lock from its last look at `unfinished` until it
    /// waits; `task_done` takes it before notifying.
    lock: Mutex<()>,
    all_tasks_done: Condvar,
}

/// A value that starts on a cache line of its own.
///
/// A putter writes its end's lock on every item, a getter its own, and
/// each slot is written by one side and then the other. Were two of these
/// on one 64-byte line, every write by one side would take the line away
/// from the other side, although they share no data ("false sharing").
#[derive(Debug)]
#[repr(align(64))]
struct OneCacheLine<T>(T);

/// A thread's announcement that it may be about to wait: it adds one to a
/// waiter count while it lives and takes it back when dropped.
///
/// It must be made while the waiting thread holds the lock that the
/// thread that will wake it takes first (see the module documentation),
/// and may outlive the wait by a little: a notifier that sees a waiter that is no longer waiting only
/// sends a notify nobody needs.
struct Announcement<'count>(&'count AtomicU32);

impl<'count> Announcement<'count> {
    fn new(waiter_count: &'count AtomicU32) -> Announcement<'count> {
        waiter_count.fetch_add(1, SeqCst);
        Announcement(waiter_count)
    }
}

impl Drop for Announcement<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, SeqCst);
    }
}

/// What a wait with a deadline found.
enum Waited<Guard> {
    /// Woken (or woken spuriously): look at the state again.
    Woken(Guard),
    /// The deadline had passed before the wait began.
    DeadlinePassed(Guard),
}

impl<T> BoundedQueue<T> {
    /// An empty, open queue for at most `capacity` items.
    ///
    /// # Panics
    ///
    /// If `capacity` is zero: no item could ever be put.
    pub fn new(capacity: usize) -> BoundedQueue<T> {
        assert!(
            capacity > 0,
            "BoundedQueue::new(0): a queue needs room for at least one item"
        );
        BoundedQueue {
            put_end: OneCacheLine(Mutex::new(PutSide { items_put: 0 })),
            take_end: OneCacheLine(Mutex::new(TakeSide { items_taken: 0 })),
            slots: (0..capacity)
                .map(|_| OneCacheLine(Mutex::new(None)))
                .collect(),
            rarely_written: OneCacheLine(RarelyWritten {
                closed: AtomicBool::new(false),
                waiting_getters: AtomicU32::new(0),
                waiting_putters: AtomicU32::new(0),
            }),
            item_added: Condvar::new(),
            room_freed: Condvar::new(),
            tasks: OneCacheLine(Tasks {
                unfinished: AtomicUsize::new(0),
                waiting_joiners: AtomicU32::new(0),
                lock: Mutex::new(()),
                all_tasks_done: Condvar::new(),
            }),
            capacity,
        }
    }

    /// The most items the queue holds at once.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Puts `item` at the back, waiting while the queue is full; gives the
    /// item back in `Err(Closed(item))` if the queue is (or gets) closed.
    pub fn put(&self, item: T) -> Result<(), Closed<T>> {
        match self.put_before(item, None) {
            Ok(()) => Ok(()),
            Err(PutTimeoutError::Closed(item)) => Err(Closed(item)),
            Err(PutTimeoutError::Timeout(_)) => unreachable!("a put without deadline timed out"),
        }
    }

    /// Puts `item` if there is room right now; never waits.
    pub fn try_put(&self, item: T) -> Result<(), TryPutError<T>> {
        let mut put_side = self.lock_put_end();
        self.put_holding_lock(&mut put_side, item, None)?;
        drop(put_side);
        self.wake_a_getter_if_any_waits();
        Ok(())
    }

    /// Like [`BoundedQueue::put`], but gives up (with the item) once
    /// `timeout` has passed and the queue is still full.
    pub fn put_timeout(&self, item: T, timeout: Duration) -> Result<(), PutTimeoutError<T>> {
        self.put_before(item, Instant::now().checked_add(timeout))
    }

    /// Takes the item at the front, waiting while the queue is empty and
    /// open; `None` once the queue is closed and empty.
    pub fn get(&self) -> Option<T> {
        match self.get_before(None) {
            Ok(item) => Some(item),
            Err(GetTimeoutError::Closed) => None,
            Err(GetTimeoutError::Timeout) => unreachable!("a get without deadline timed out"),
        }
    }

    /// Takes the item at the front if there is one; never waits.
    pub fn try_get(&self) -> Result<T, TryGetError> {
        let mut take_side = self.lock_take_end();
        let item = self.take_holding_lock(&mut take_side, None)?;
        drop(take_side);
        self.wake_a_putter_if_any_waits();
        Ok(item)
    }

    /// Like [`BoundedQueue::get`], but gives up once `timeout` has passed
    /// and no item came.
    pub fn get_timeout(&self, timeout: Duration) -> Result<T, GetTimeoutError> {
        self.get_before(Instant::now().checked_add(timeout))
    }

    /// How many items are in the queue right now.
    pub fn len(&self) -> usize {
        // Both locks, always in this order (nothing else ever holds both),
        // so that neither count moves while the two are read.
        let put_side = self.lock_put_end();
        let take_side = self.lock_take_end();
        put_side.items_put.wrapping_sub(take_side.items_taken)
    }

    /// Whether the queue holds no item right now.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Closes the queue: puts fail from now on, getters take what is left
    /// and then get `None`. Every blocked putter and getter wakes up.
    pub fn close(&self) {
        let put_side = self.lock_put_end();
        self.rarely_written.0.closed.store(true, SeqCst);
        drop(put_side);
        // Every waiter must learn about the close, not just one. Putters
        // look at the mark under the lock just released, so each one is
        // either waiting already or will see the mark. A getter may be
        // between its last look and its wait: taking its lock waits until
        // it is in the wait.
        self.room_freed.notify_all();
        drop(self.lock_take_end());
        self.item_added.notify_all();
    }

    /// Whether [`BoundedQueue::close`] has been called.
    pub fn is_closed(&self) -> bool {
        self.rarely_written.0.closed.load(SeqCst)
    }

    /// Marks one item taken from the queue as fully handled; wakes every
    /// thread in [`BoundedQueue::join`] when no item is left unfinished.
    pub fn task_done(&self) -> Result<(), TaskDoneError> {
        let tasks = &self.tasks.0;
        let unfinished_before = tasks
            .unfinished
            .fetch_update(SeqCst, SeqCst, |unfinished| unfinished.checked_sub(1))
            .map_err(|_| TaskDoneError)?;
        if unfinished_before == 1 && tasks.waiting_joiners.load(SeqCst) > 0 {
            // As for getters: a joiner holds this lock from its last look
            // until it waits.
            drop(ignore_poison(tasks.lock.lock()));
            tasks.all_tasks_done.notify_all();
        }
        Ok(())
    }

    /// Waits until every item ever put has been marked done with
    /// [`BoundedQueue::task_done`].
    pub fn join(&self) {
        let tasks = &self.tasks.0;
        if tasks.unfinished.load(SeqCst) == 0 {
            return;
        }
        let mut guard = ignore_poison(tasks.lock.lock());
        let _announcement = Announcement::new(&tasks.waiting_joiners);
        while tasks.unfinished.load(SeqCst) > 0 {
            guard = ignore_poison(tasks.all_tasks_done.wait(guard));
        }
    }

    fn lock_put_end(&self) -> MutexGuard<'_, PutSide> {
        ignore_poison(self.put_end.0.lock())
    }

    fn lock_take_end(&self) -> MutexGuard<'_, TakeSide> {
        ignore_poison(self.take_end.0.lock())
    }

    /// `put` and `put_timeout` (`deadline` `None`: wait as long as it
    /// takes).
    fn put_before(&self, item: T, deadline: Option<Instant>) -> Result<(), PutTimeoutError<T>> {
        let mut item = item;
        let mut put_side = self.lock_put_end();
        let mut looks = 0;
        let mut announcement = None;
        loop {
            // Room is looked at before the clock: a putter woken by a get
            // at the moment its timeout runs out takes the room rather than
            // leave it, and the notify it consumed, unused.
            let announce = (looks == LOOKS_BEFORE_SLEEPING).then_some(&mut announcement);
            match self.put_holding_lock(&mut put_side, item, announce) {
                Ok(()) => {
                    drop(put_side);
                    self.wake_a_getter_if_any_waits();
                    return Ok(());
                }
                Err(TryPutError::Closed(item)) => return Err(PutTimeoutError::Closed(item)),
                Err(TryPutError::Full(not_put)) => item = not_put,
            }
            if looks < LOOKS_BEFORE_SLEEPING {
                drop(put_side);
                pause_before_looking_again(looks);
                looks += 1;
                put_side = self.lock_put_end();
            } else {
                match wait_until(&self.room_freed, put_side, deadline) {
                    Waited::Woken(guard) => put_side = guard,
                    Waited::DeadlinePassed(_) => return Err(PutTimeoutError::Timeout(item)),
                }
            }
        }
    }

    /// `get` and `get_timeout` (`deadline` `None`: wait as long as it
    /// takes).
    fn get_before(&self, deadline: Option<Instant>) -> Result<T, GetTimeoutError> {
        let mut take_side = self.lock_take_end();
        let mut looks = 0;
        let mut announcement = None;
        loop {
            let announce = (looks == LOOKS_BEFORE_SLEEPING).then_some(&mut announcement);
            match self.take_holding_lock(&mut take_side, announce) {
                Ok(item) => {
                    drop(take_side);
                    self.wake_a_putter_if_any_waits();
                    return Ok(item);
                }
                Err(TryGetError::Closed) => return Err(GetTimeoutError::Closed),
                Err(TryGetError::Empty) => {}
            }
            if looks < LOOKS_BEFORE_SLEEPING {
                drop(take_side);
                pause_before_looking_again(looks);
                looks += 1;
                take_side = self.lock_take_end();
            } else {
                match wait_until(&self.item_added, take_side, deadline) {
                    Waited::Woken(guard) => take_side = guard,
                    Waited::DeadlinePassed(_) => return Err(GetTimeoutError::Timeout),
                }
            }
        }
    }

    /// Puts `item` into the next slot if the queue is open and has room;
    /// the caller then unlocks and wakes a getter. If the queue is full and
    /// `announcement` is given, announces the caller as a waiting putter
    /// (once) while it still holds the full slot.
    fn put_holding_lock<'queue>(
        &'queue self,
        put_side: &mut PutSide,
        item: T,
        announcement: Option<&mut Option<Announcement<'queue>>>,
    ) -> Result<(), TryPutError<T>> {
        if self.is_closed() {
            return Err(TryPutError::Closed(item));
        }
        let mut slot = self.lock_slot(put_side.items_put);
        if slot.is_some() {
            // Item `items_put - capacity` is still there: the queue is full.
            if let Some(announcement) = announcement {
                announcement.get_or_insert_with(|| {
                    Announcement::new(&self.rarely_written.0.waiting_putters)
                });
            }
            return Err(TryPutError::Full(item));
        }
        // Counted before a getter can see the item, so that its
        // `task_done` always finds it counted.
        self.tasks.0.unfinished.fetch_add(1, SeqCst);
        *slot = Some(item);
        put_side.items_put = put_side.items_put.wrapping_add(1);
        Ok(())
    }

    /// Takes the oldest item if there is one; the caller then unlocks and
    /// wakes a putter. If the queue is empty and `announcement` is given,
    /// announces the caller as a waiting getter (once) while it still holds
    /// the empty slot.
    fn take_holding_lock<'queue>(
        &'queue self,
        take_side: &mut TakeSide,
        announcement: Option<&mut Option<Announcement<'queue>>>,
    ) -> Result<T, TryGetError> {
        // The mark is read before looking for an item: once it is set no
        // item can be added, so "closed, then nothing there" is final.
        let closed = self.is_closed();
        let mut slot = self.lock_slot(take_side.items_taken);
        let Some(item) = slot.take() else {
            // Item `items_taken` has not been put yet: the queue is empty.
            if let Some(announcement) = announcement {
                announcement.get_or_insert_with(|| {
                    Announcement::new(&self.rarely_written.0.waiting_getters)
                });
            }
            return Err(if closed {
                TryGetError::Closed
            } else {
                TryGetError::Empty
            });
        };
        take_side.items_taken = take_side.items_taken.wrapping_add(1);
        Ok(item)
    }

    /// The slot of item number `item_number`, locked.
    fn lock_slot(&self, item_number: usize) -> MutexGuard<'_, Option<T>> {
        ignore_poison(self.slots[item_number % self.capacity].0.lock())
    }

    /// After an item was put: wakes one getter if one may be asleep.
    fn wake_a_getter_if_any_waits(&self) {
        if self.rarely_written.0.waiting_getters.load(SeqCst) > 0 {
            // Waits until an announced getter is really in its wait (see
            // the module documentation). One new item can feed one getter.
            drop(self.lock_take_end());
            self.item_added.notify_one();
        }
    }

    /// After an item was taken: wakes one putter if one may be asleep.
    fn wake_a_putter_if_any_waits(&self) {
        if self.rarely_written.0.waiting_putters.load(SeqCst) > 0 {
            // One free slot can take one putter's item.
            drop(self.lock_put_end());
            self.room_freed.notify_one();
        }
    }
}

/// How many times `put` and `get` look again, after a short pause, before
/// they sleep on a condition variable; see [`pause_before_looking_again`].
/// None under schedule exploration: the looks only make a fast path
/// faster, and without them every explored schedule that finds the queue
/// full or empty goes through the wake-up protocol, which is what needs
/// checking (with them, a lost wake-up in that protocol went unnoticed).
const LOOKS_BEFORE_SLEEPING: u32 = if labsync::EXPLORING { 0 } else { 8 };

/// A pause of a few hundred nanoseconds at most, growing with `round`.
///
/// Why not sleep at once: with one producer and one consumer, the queue
/// is empty (or full) for a moment after almost every item, and the other
/// side fills (or empties) it again within a microsecond. Sleeping on the
/// condition variable costs two system calls and a wake-up across CPUs
/// (tens of microseconds on a two-core machine): measured, about 1.5 M
/// items/s against 6-17 M/s when the waiting side first looks again a few
/// times. The pause is short and bounded, so a queue that stays empty or
/// full still ends up sleeping, on the condition variable, as it must.
fn pause_before_looking_again(round: u32) {
    if round < 6 {
        for _ in 0..(1_u32 << round) {
            std::hint::spin_loop();
        }
    } else {
        labsync::thread::yield_now();
    }
}

/// Waits on `condvar` until woken or until `deadline` (`None`: no deadline).
fn wait_until<'lock, State>(
    condvar: &Condvar,
    guard: MutexGuard<'lock, State>,
    deadline: Option<Instant>,
) -> Waited<MutexGuard<'lock, State>> {
    let Some(deadline) = deadline else {
        return Waited::Woken(ignore_poison(condvar.wait(guard)));
    };
    let remaining = deadline.saturating_duration_since(Instant::now());
    if remaining.is_zero() {
        return Waited::DeadlinePassed(guard);
    }
    // A wait that times out is reported as a wake-up: the caller looks at
    // the state once more before it gives up on the next round.
    Waited::Woken(ignore_poison(condvar.wait_timeout(guard, remaining)).0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_slot_and_each_end_has_a_cache_line_of_its_own() {
        assert_eq!(std::mem::size_of::<OneCacheLine<Mutex<Option<u64>>>>(), 64);
        assert_eq!(std::mem::size_of::<OneCacheLine<Mutex<PutSide>>>(), 64);
        assert_eq!(std::mem::size_of::<OneCacheLine<Mutex<TakeSide>>>(), 64);
    }
}
