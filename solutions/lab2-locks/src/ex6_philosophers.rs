//! Exercise 6: the dining philosophers.
//!
//! Two strategies are required and both break the cycle a deadlock needs:
//! global fork ordering (the last philosopher reaches right first) and a
//! waiter with `n - 1` seats. The optional third, try and back off, never
//! waits while holding a fork. The naive left-then-right rule is kept as
//! the demonstration the student crate ships.

use labsync::sync::atomic::{AtomicUsize, Ordering};
use labsync::sync::{Barrier, Condvar, Mutex, MutexGuard, PoisonError, TryLockError};
use labsync::thread;

/// One fork on the table. Picking it up is locking its mutex.
#[derive(Debug)]
pub struct Fork {
    id: usize,
    in_hand: Mutex<()>,
}

/// A fork in a philosopher's hand; dropping it puts the fork back on the
/// table.
#[derive(Debug)]
pub struct HeldFork<'t> {
    fork_id: usize,
    _in_hand: MutexGuard<'t, ()>,
}

impl Fork {
    /// The fork's number: fork `i` lies between philosopher `i - 1` and
    /// philosopher `i`.
    pub fn id(&self) -> usize {
        self.id
    }

    /// Waits until the fork is free and picks it up.
    pub fn pick_up(&self) -> HeldFork<'_> {
        // A fork guards no data (`()`), so a philosopher who panicked while
        // holding it cannot have left anything half changed: the poison
        // is ignored.
        let in_hand = self.in_hand.lock().unwrap_or_else(PoisonError::into_inner);
        HeldFork {
            fork_id: self.id,
            _in_hand: in_hand,
        }
    }

    /// Picks the fork up if it is free right now; never waits.
    pub fn try_pick_up(&self) -> Option<HeldFork<'_>> {
        let in_hand = match self.in_hand.try_lock() {
            Ok(in_hand) => in_hand,
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => return None,
        };
        Some(HeldFork {
            fork_id: self.id,
            _in_hand: in_hand,
        })
    }
}

impl HeldFork<'_> {
    /// The number of the fork in hand.
    pub fn fork_id(&self) -> usize {
        self.fork_id
    }
}

/// The table: `n` philosophers, `n` forks, and a waiter with `n - 1`
/// seats. Philosopher `p`'s left fork is fork `p` and its right fork is
/// fork `(p + 1) % n`.
#[derive(Debug)]
pub struct Table {
    forks: Vec<Fork>,
    waiter: Waiter,
}

impl Table {
    /// A table for `n_philosophers` (at least 2).
    pub fn new(n_philosophers: usize) -> Table {
        assert!(
            n_philosophers >= 2,
            "a table needs at least 2 philosophers, got {n_philosophers}"
        );
        Table {
            forks: (0..n_philosophers)
                .map(|id| Fork {
                    id,
                    in_hand: Mutex::new(()),
                })
                .collect(),
            waiter: Waiter::new(n_philosophers - 1),
        }
    }

    /// How many philosophers (and forks) there are.
    pub fn n_philosophers(&self) -> usize {
        self.forks.len()
    }

    /// Philosopher `philosopher`'s left fork: fork number `philosopher`.
    pub fn left_fork(&self, philosopher: usize) -> &Fork {
        &self.forks[philosopher]
    }

    /// Philosopher `philosopher`'s right fork: fork number
    /// `(philosopher + 1) % n`.
    pub fn right_fork(&self, philosopher: usize) -> &Fork {
        &self.forks[(philosopher + 1) % self.forks.len()]
    }

    /// The waiter, who seats at most `n - 1` philosophers at once.
    pub fn waiter(&self) -> &Waiter {
        &self.waiter
    }
}

/// What a philosopher holds while eating: both forks, in any order, and
/// for the waiter strategy the seat. When the meal is dropped, the forks go
/// back first, then the seat.
#[derive(Debug)]
pub struct Meal<'t> {
    /// The philosopher's two forks, in any order.
    pub forks: [HeldFork<'t>; 2],
    /// The seat, for strategies that use the waiter.
    pub seat: Option<Seat<'t>>,
}

/// The waiter: a counter of free seats that philosophers wait on.
#[derive(Debug)]
pub struct Waiter {
    free_seats: Mutex<usize>,
    seat_freed: Condvar,
}

/// A seat at the table; dropping it stands up and frees the seat for a
/// waiting philosopher.
#[derive(Debug)]
pub struct Seat<'w> {
    waiter: &'w Waiter,
}

impl Drop for Seat<'_> {
    fn drop(&mut self) {
        self.waiter.stand_up();
    }
}

impl Waiter {
    /// A waiter with `seats` free seats.
    pub fn new(seats: usize) -> Waiter {
        Waiter {
            free_seats: Mutex::new(seats),
            seat_freed: Condvar::new(),
        }
    }

    /// Waits (in a loop: wake-ups may be stolen or spurious) until a seat is
    /// free, takes it, and returns it.
    pub fn sit_down(&self) -> Seat<'_> {
        let mut free_seats = self
            .free_seats
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        while *free_seats == 0 {
            free_seats = self
                .seat_freed
                .wait(free_seats)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *free_seats -= 1;
        Seat { waiter: self }
    }

    /// Frees one seat and wakes one waiting philosopher.
    fn stand_up(&self) {
        *self
            .free_seats
            .lock()
            .unwrap_or_else(PoisonError::into_inner) += 1;
        // One seat came free, so one waiting philosopher can use it.
        self.seat_freed.notify_one();
    }
}

/// The naive rule: left fork, then right fork. Provided as a demonstration
/// that deadlocks; do not use it in your strategies.
///
/// The pause between the two forks (`yield_now`) makes the deadlock more
/// likely, the way the lecture's `sleep` between the two forks did; the
/// bug is there without it.
pub fn take_left_then_right<'t>(table: &'t Table, philosopher: usize) -> Meal<'t> {
    let left = table.left_fork(philosopher).pick_up();
    thread::yield_now();
    let right = table.right_fork(philosopher).pick_up();
    Meal {
        forks: [left, right],
        seat: None,
    }
}

/// Global fork ordering: the lower-numbered fork first, then the other.
pub fn take_in_fork_order<'t>(table: &'t Table, philosopher: usize) -> Meal<'t> {
    let (left, right) = (table.left_fork(philosopher), table.right_fork(philosopher));
    let (lower, higher) = if left.id() < right.id() {
        (left, right)
    } else {
        (right, left)
    };
    let lower = lower.pick_up();
    let higher = higher.pick_up();
    Meal {
        forks: [lower, higher],
        seat: None,
    }
}

/// The waiter: sit down first, then pick up left and right; the seat is
/// kept in the meal and given back after the forks.
pub fn take_with_waiter<'t>(table: &'t Table, philosopher: usize) -> Meal<'t> {
    let seat = table.waiter().sit_down();
    let left = table.left_fork(philosopher).pick_up();
    let right = table.right_fork(philosopher).pick_up();
    Meal {
        forks: [left, right],
        seat: Some(seat),
    }
}

/// Try and back off: pick up the left fork, try the right one; on failure
/// put the left one down before backing off, so no philosopher waits while
/// holding a fork.
pub fn take_or_back_off<'t>(table: &'t Table, philosopher: usize) -> Meal<'t> {
    let (left, right) = (table.left_fork(philosopher), table.right_fork(philosopher));
    let mut attempt: u32 = 0;
    loop {
        let left_in_hand = left.pick_up();
        if let Some(right_in_hand) = right.try_pick_up() {
            return Meal {
                forks: [left_in_hand, right_in_hand],
                seat: None,
            };
        }
        drop(left_in_hand);
        back_off(philosopher, attempt);
        attempt = attempt.saturating_add(1);
    }
}

/// Waits a pseudo-random short while, different for each philosopher and
/// attempt, and longer (up to a limit) as attempts go up.
pub fn back_off(philosopher: usize, attempt: u32) {
    // A small integer hash (SplitMix64's finalizer) turns (philosopher,
    // attempt) into a well-mixed number; no random number generator needed.
    let mut mixed = (philosopher as u64) << 32 | u64::from(attempt);
    mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    mixed ^= mixed >> 31;
    let limit = 1u64 << attempt.min(5);
    for _ in 0..=(mixed % limit) {
        thread::yield_now();
    }
}

/// The strategies [`dine`] knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Strategy {
    /// [`take_left_then_right`]: the naive rule. Deadlocks; a demonstration.
    LeftThenRight,
    /// [`take_in_fork_order`].
    OrderedForks,
    /// [`take_with_waiter`].
    Waiter,
    /// [`take_or_back_off`] (optional).
    TryAndBackOff,
}

impl Strategy {
    /// A short name for reports: `ordered_forks`, `waiter`, ...
    pub fn name(self) -> &'static str {
        match self {
            Strategy::LeftThenRight => "left_then_right",
            Strategy::OrderedForks => "ordered_forks",
            Strategy::Waiter => "waiter",
            Strategy::TryAndBackOff => "try_and_back_off",
        }
    }
}

/// What happened at dinner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DinnerReport {
    /// Meals each philosopher ate, by philosopher number.
    pub meals: Vec<usize>,
    /// Meals each philosopher had eaten at the moment the first one to
    /// finish had eaten all of its meals: a measure of fairness.
    pub meals_when_first_finished: Vec<usize>,
}

impl DinnerReport {
    /// The spread of [`DinnerReport::meals_when_first_finished`]: the most
    /// meals any philosopher had eaten minus the fewest. 0 is perfectly
    /// even; close to the number of meals means someone hardly got to eat
    /// until the others were done.
    pub fn spread(&self) -> usize {
        let most = self
            .meals_when_first_finished
            .iter()
            .max()
            .copied()
            .unwrap_or(0);
        let fewest = self
            .meals_when_first_finished
            .iter()
            .min()
            .copied()
            .unwrap_or(0);
        most - fewest
    }
}

/// Seats `n_philosophers` (at least 2) at a new table, each on its own
/// thread, and has each eat `meals_each` meals using `strategy`.
pub fn dine(strategy: Strategy, n_philosophers: usize, meals_each: usize) -> DinnerReport {
    match strategy {
        Strategy::LeftThenRight => dine_with(n_philosophers, meals_each, take_left_then_right),
        Strategy::OrderedForks => dine_with(n_philosophers, meals_each, take_in_fork_order),
        Strategy::Waiter => dine_with(n_philosophers, meals_each, take_with_waiter),
        Strategy::TryAndBackOff => dine_with(n_philosophers, meals_each, take_or_back_off),
    }
}

/// The dinner itself, with any way of taking forks (try your own).
///
///
/// Each philosopher thread waits until all are at the table, then repeats
/// `meals_each` times: think, take forks with `take_forks(&table,
/// philosopher)`, check that the meal holds exactly that philosopher's two
/// forks (panics otherwise), eat, put everything back (drop the meal).
pub fn dine_with<TakeForks>(
    n_philosophers: usize,
    meals_each: usize,
    take_forks: TakeForks,
) -> DinnerReport
where
    TakeForks: for<'t> Fn(&'t Table, usize) -> Meal<'t> + Sync,
{
    let table = Table::new(n_philosophers);
    let meals: Vec<AtomicUsize> = (0..n_philosophers).map(|_| AtomicUsize::new(0)).collect();
    let first_finished: Mutex<Option<Vec<usize>>> = Mutex::new(None);
    // Nobody starts eating before everyone has sat down: otherwise the
    // first thread started could finish its meals before the last one even
    // exists, and the fairness figures would measure thread start-up.
    let everyone_seated = Barrier::new(n_philosophers);
    thread::scope(|scope| {
        for philosopher in 0..n_philosophers {
            let (table, meals, first_finished, take_forks, everyone_seated) = (
                &table,
                &meals,
                &first_finished,
                &take_forks,
                &everyone_seated,
            );
            scope.spawn(move || {
                everyone_seated.wait();
                for _ in 0..meals_each {
                    think();
                    let meal = take_forks(table, philosopher);
                    check_meal(table, philosopher, &meal);
                    eat();
                    meals[philosopher].fetch_add(1, Ordering::SeqCst);
                    drop(meal);
                }
                let mut first_finished = first_finished
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                if first_finished.is_none() {
                    *first_finished = Some(
                        meals
                            .iter()
                            .map(|count| count.load(Ordering::SeqCst))
                            .collect(),
                    );
                }
            });
        }
    });
    let meals: Vec<usize> = meals
        .iter()
        .map(|count| count.load(Ordering::SeqCst))
        .collect();
    let meals_when_first_finished = first_finished
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .unwrap_or_else(|| meals.clone());
    DinnerReport {
        meals,
        meals_when_first_finished,
    }
}

fn check_meal(table: &Table, philosopher: usize, meal: &Meal<'_>) {
    let mut held = [meal.forks[0].fork_id(), meal.forks[1].fork_id()];
    let mut own = [
        table.left_fork(philosopher).id(),
        table.right_fork(philosopher).id(),
    ];
    held.sort_unstable();
    own.sort_unstable();
    assert_eq!(
        held, own,
        "philosopher {philosopher} sat down to eat holding forks {held:?}; its forks are {own:?}"
    );
}

/// Thinking and eating take a moment: long enough for the others to act
/// in between, which is when the interesting interleavings happen.
fn think() {
    thread::yield_now();
}

fn eat() {
    thread::yield_now();
}
