//! Exercise 6, throughput: items per second through the lab's
//! `BoundedQueue`, `std::sync::mpsc::sync_channel` and
//! `crossbeam_channel::bounded`, with one producer and one consumer and
//! with two of each, at capacities 64 and 1024.
//!
//! The grader runs this experiment against the graded implementation and
//! against the reference, alternating processes, and reports per point the
//! median of each subject and its ratio to the reference's median; the two
//! channels are measured in every run as baselines. Nothing here is graded.
//!
//! What to expect on two cores: a queue that sleeps on its condition
//! variable whenever it finds itself empty or full pays a system call and a
//! cross-CPU wake-up for many items; crossbeam's channel spins briefly
//! before it sleeps and never takes a lock. std's receiver cannot be shared
//! by two consumers, so with 2P/2C its consumers share it behind a mutex,
//! as a program would have to.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use grader::harness::{BenchMode, SUBJECT_UNDER_TEST, bench_mode, measure};
use lab4_queues::BoundedQueue;

/// The baselines' subject names in the report.
const STD_SYNC_CHANNEL: &str = "std::sync::mpsc::sync_channel";
const CROSSBEAM_BOUNDED: &str = "crossbeam_channel::bounded";

/// Producers (and as many consumers) of each configuration.
const PRODUCER_COUNTS: [usize; 2] = [1, 2];
const CAPACITIES: [usize; 2] = [64, 1024];

/// A producer looks at the clock once every this many items.
const ITEMS_BETWEEN_CLOCK_LOOKS: u64 = 256;

/// Measures items per second for the lab's queue and both channels at
/// 1P/1C and 2P/2C, capacities 64 and 1024.
pub fn queue_throughput() {
    // Each measurement moves `items` items, or stops early when it has run
    // for `budget` (a slow queue must not stretch the experiment): 12
    // measurements take about 1-2 s in quick mode and 3-6 s in full mode.
    let (items, budget) = match bench_mode() {
        BenchMode::Quick => (600_000, Duration::from_millis(150)),
        BenchMode::Full => (1_500_000, Duration::from_millis(400)),
    };
    // Warm-up: threads, allocator and caches; not recorded.
    for subject in Subject::ALL {
        subject.items_per_second(1, 64, 20_000, budget);
    }
    for n_producers in PRODUCER_COUNTS {
        for capacity in CAPACITIES {
            let point = format!("{n_producers}P/{n_producers}C, capacity {capacity}");
            for subject in Subject::ALL {
                let rate = subject.items_per_second(n_producers, capacity, items, budget);
                measure(subject.name(), &point, rate);
            }
        }
    }
}

/// What one measurement runs over.
#[derive(Debug, Clone, Copy)]
enum Subject {
    LabQueue,
    StdSyncChannel,
    CrossbeamBounded,
}

impl Subject {
    const ALL: [Subject; 3] = [
        Subject::LabQueue,
        Subject::StdSyncChannel,
        Subject::CrossbeamBounded,
    ];

    fn name(self) -> &'static str {
        match self {
            Subject::LabQueue => SUBJECT_UNDER_TEST,
            Subject::StdSyncChannel => STD_SYNC_CHANNEL,
            Subject::CrossbeamBounded => CROSSBEAM_BOUNDED,
        }
    }

    /// Moves up to `items` items from `n_producers` producers to as many
    /// consumers, through a queue or channel of `capacity`, and returns the
    /// items consumed per second.
    fn items_per_second(
        self,
        n_producers: usize,
        capacity: usize,
        items: u64,
        budget: Duration,
    ) -> f64 {
        let items_each = items / n_producers as u64;
        let consumed = AtomicU64::new(0);
        let started = Instant::now();
        let deadline = started + budget;
        match self {
            Subject::LabQueue => {
                let queue = BoundedQueue::new(capacity);
                std::thread::scope(|scope| {
                    for _ in 0..n_producers {
                        scope.spawn(|| {
                            let mut taken = 0;
                            while queue.get().is_some() {
                                taken += 1;
                            }
                            consumed.fetch_add(taken, Ordering::Relaxed);
                        });
                    }
                    let producers: Vec<_> = (0..n_producers)
                        .map(|_| {
                            scope.spawn(|| {
                                produce(items_each, deadline, |item| {
                                    assert!(
                                        queue.put(item).is_ok(),
                                        "BoundedQueue::put failed on an open queue"
                                    );
                                });
                            })
                        })
                        .collect();
                    for producer in producers {
                        producer.join().unwrap();
                    }
                    queue.close();
                });
            }
            Subject::StdSyncChannel => {
                let (sender, receiver) = std::sync::mpsc::sync_channel(capacity);
                let receiver = Mutex::new(receiver);
                std::thread::scope(|scope| {
                    for _ in 0..n_producers {
                        scope.spawn(|| {
                            let mut taken = 0;
                            loop {
                                let received = receiver
                                    .lock()
                                    .unwrap_or_else(PoisonError::into_inner)
                                    .recv();
                                if received.is_err() {
                                    break;
                                }
                                taken += 1;
                            }
                            consumed.fetch_add(taken, Ordering::Relaxed);
                        });
                    }
                    for _ in 0..n_producers {
                        let sender = sender.clone();
                        scope.spawn(move || {
                            produce(items_each, deadline, |item| {
                                sender.send(item).expect("the receiver is alive");
                            });
                        });
                    }
                    drop(sender);
                });
            }
            Subject::CrossbeamBounded => {
                let (sender, receiver) = crossbeam::channel::bounded(capacity);
                std::thread::scope(|scope| {
                    for _ in 0..n_producers {
                        let receiver = receiver.clone();
                        let consumed = &consumed;
                        scope.spawn(move || {
                            let taken = receiver.iter().count() as u64;
                            consumed.fetch_add(taken, Ordering::Relaxed);
                        });
                    }
                    for _ in 0..n_producers {
                        let sender = sender.clone();
                        scope.spawn(move || {
                            produce(items_each, deadline, |item| {
                                sender.send(item).expect("the receivers are alive");
                            });
                        });
                    }
                    drop(sender);
                });
            }
        }
        let elapsed = started.elapsed().max(Duration::from_nanos(1));
        consumed.into_inner() as f64 / elapsed.as_secs_f64()
    }
}

/// Sends `0..items_each` through `send`, stopping early once `deadline`
/// has passed (looked at every [`ITEMS_BETWEEN_CLOCK_LOOKS`] items).
fn produce(items_each: u64, deadline: Instant, mut send: impl FnMut(u64)) {
    for item in 0..items_each {
        if item % ITEMS_BETWEEN_CLOCK_LOOKS == 0 && Instant::now() >= deadline {
            return;
        }
        send(item);
    }
}
