//! Deterministic schedule exploration for the hidden suites of labs 2-4.
//!
//! A hidden test hands a closure to [`explore`]. The closure builds its
//! scenario from `labsync` types (which, in the grader's exploring build,
//! are the scheduler's) and asserts a property. The closure is run many
//! times, each time under a different interleaving chosen by a scheduler
//! that controls every lock, notify, atomic access and spawn: first a random
//! scheduler, then PCT (probabilistic concurrency testing, which targets
//! bugs needing a few badly timed preemptions). Both are seeded with fixed
//! seeds, so the verdict is the same on every run and every machine.
//!
//! On the first failing execution the test fails with: the bug class (a
//! deadlock and a livelock are recognised; otherwise the test's own
//! assertion message, which names it), which scheduler found it at which
//! execution, and the command that replays exactly that schedule. With
//! `EXPLORER_SCHEDULE` set ([`grader::protocol::SCHEDULE_ENV`]), [`explore`]
//! replays that one schedule instead.
//!
//! This crate must be used only from a hidden suite's exploring build; it
//! knows nothing of the grader's processes or verdicts. One exploration at a
//! time per process: the scheduler's failure reporting is process-wide (the
//! grader runs each test in its own process).

use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use shuttle::scheduler::{PctScheduler, RandomScheduler, ReplayScheduler, Scheduler};
use shuttle::{Config, FailurePersistence, MaxSteps, Runner};

use grader::protocol::{IMPLEMENTATION_ARGS_ENV, LAB_ENV, SCHEDULE_ENV, TEST_ENV};

/// How many schedules to try, and with which seeds.
#[derive(Debug, Clone)]
pub struct Exploration {
    /// Executions under the random scheduler.
    pub random_executions: usize,
    /// Executions under PCT.
    pub pct_executions: usize,
    /// PCT's bug depth: how many preemptions a bug may need. 3 or more finds
    /// an `if` where a `while` belongs around `Condvar::wait`; 2 does not.
    pub pct_depth: usize,
    /// The seed of both schedulers.
    pub seed: u64,
    /// Steps after which one execution counts as a livelock.
    pub max_steps: usize,
}

impl Default for Exploration {
    fn default() -> Exploration {
        Exploration {
            random_executions: 300,
            pct_executions: 300,
            pct_depth: 3,
            seed: 0x5eed_2026,
            max_steps: 200_000,
        }
    }
}

/// Explores `body` under the default [`Exploration`].
pub fn explore<F>(body: F)
where
    F: Fn() + Send + Sync + 'static,
{
    Exploration::default().run(body)
}

impl Exploration {
    /// Fewer executions, for scenarios with many threads or steps.
    pub fn with_executions(mut self, random: usize, pct: usize) -> Exploration {
        self.random_executions = random;
        self.pct_executions = pct;
        self
    }

    /// Runs `body` under the random scheduler, then under PCT; panics with
    /// a replayable report on the first failing execution.
    pub fn run<F>(&self, body: F)
    where
        F: Fn() + Send + Sync + 'static,
    {
        let body = Arc::new(body);
        if let Ok(schedule) = std::env::var(SCHEDULE_ENV) {
            eprintln!("explorer: replaying one schedule");
            let body = Arc::clone(&body);
            let runner = Runner::new(ReplayScheduler::new_from_encoded(&schedule), self.config());
            if let Err(payload) =
                panic::catch_unwind(AssertUnwindSafe(|| runner.run(move || body())))
            {
                panic!(
                    "{}\n(replayed the given schedule)",
                    classify(&payload_text(payload.as_ref()))
                );
            }
            eprintln!("explorer: the replayed schedule passed");
            return;
        }
        let random = RandomScheduler::new_from_seed(self.seed, self.random_executions);
        self.run_one_scheduler("random", self.random_executions, random, &body);
        let pct = PctScheduler::new_from_seed(self.seed, self.pct_depth, self.pct_executions);
        let label = format!("PCT (depth {})", self.pct_depth);
        self.run_one_scheduler(&label, self.pct_executions, pct, &body);
    }

    fn config(&self) -> Config {
        let mut config = Config::new();
        config.failure_persistence = FailurePersistence::File(Some(schedule_dir()));
        config.max_steps = MaxSteps::FailAfter(self.max_steps);
        // Scheduler threads run on small stacks by default; student code
        // should not crash for keeping a few arrays on the stack.
        config.stack_size = 1 << 20;
        config.silence_warnings = true;
        config
    }

    fn run_one_scheduler<S, F>(&self, label: &str, executions: usize, scheduler: S, body: &Arc<F>)
    where
        S: Scheduler + 'static,
        F: Fn() + Send + Sync + 'static,
    {
        let execution_count = Arc::new(AtomicUsize::new(0));
        // How many panics the process had seen when the current execution
        // started: the first panic after that mark is the failure's cause.
        let panics_before_execution = Arc::new(AtomicUsize::new(0));
        let runner = Runner::new(scheduler, self.config());
        let counted_body = {
            let (body, execution_count, panics_before_execution) = (
                Arc::clone(body),
                Arc::clone(&execution_count),
                Arc::clone(&panics_before_execution),
            );
            move || {
                execution_count.fetch_add(1, Ordering::Relaxed);
                panics_before_execution
                    .store(grader::harness::recorded_panics().len(), Ordering::Relaxed);
                body()
            }
        };
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| runner.run(counted_body)));
        let Err(payload) = outcome else {
            let _ = std::fs::remove_dir_all(schedule_dir());
            return;
        };
        let message = payload_text(payload.as_ref());
        // When a thread panics while holding a lock, the lock is poisoned and
        // the scheduler may report another thread's `PoisonError` first; the
        // first panic of the failing execution is the one that explains it.
        let first_panic = grader::harness::recorded_panics()
            .get(panics_before_execution.load(Ordering::Relaxed))
            .cloned()
            .filter(|first| !first.contains(message.as_str()));
        let explanation = match first_panic {
            Some(first) => format!(
                "{first}\n(the execution then failed with: {})",
                classify(&message)
            ),
            None => classify(&message),
        };
        let failing_execution = execution_count.load(Ordering::Relaxed);
        panic!(
            "{explanation}\nfound by the {label} scheduler (seed {:#x}) on explored execution {failing_execution} \
             of {executions}; exploration is deterministic, so it fails the same way on every run{}",
            self.seed,
            replay_hint(),
        );
    }
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| {
            payload
                .downcast_ref::<&str>()
                .map(|text| (*text).to_owned())
        })
        .unwrap_or_else(|| "a thread panicked with a non-text payload".to_owned())
}

/// Names the bug class of a failure the scheduler itself detected; a
/// test's own assertion message is kept as it is.
pub fn classify(message: &str) -> String {
    if message.contains("deadlock!") {
        let blocked = message.split("blocked tasks:").nth(1).unwrap_or("").trim();
        format!(
            "deadlock or lost wake-up: every thread was blocked (on a lock, a condition variable, a \
             join or a channel) and none could ever run again; blocked: {blocked}"
        )
    } else if message.contains("exceeded max_steps") {
        "livelock or endless spinning: a thread kept looping without any other thread making \
         progress (a spin loop waiting for something only a blocked thread could do?)"
            .to_owned()
    } else if message.contains("ExecutionState` is not set") {
        "a std::sync or std::thread type was used where the lab's facade (labsync) was expected: \
         the explorer cannot see it"
            .to_owned()
    } else {
        message.to_owned()
    }
}

fn replay_hint() -> String {
    let Some(schedule) = newest_schedule() else {
        return String::new();
    };
    let lab = std::env::var(LAB_ENV).unwrap_or_else(|_| "LAB".to_owned());
    let test = std::env::var(TEST_ENV).unwrap_or_else(|_| "TEST".to_owned());
    let implementation = std::env::var(IMPLEMENTATION_ARGS_ENV)
        .ok()
        .filter(|args| !args.is_empty())
        .map(|args| format!(" {args}"))
        .unwrap_or_default();
    format!(
        "\nreplay this schedule with the test's output: cargo xtask grade {lab}{implementation} --replay {test} \
         --schedule {schedule}"
    )
}

/// Where failing schedules are written: one folder per process, so a test
/// never reads another's.
fn schedule_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("explorer-schedules-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

fn newest_schedule() -> Option<String> {
    let newest = std::fs::read_dir(schedule_dir())
        .ok()?
        .flatten()
        .max_by_key(|entry| entry.metadata().and_then(|meta| meta.modified()).ok())?;
    let schedule = std::fs::read_to_string(newest.path()).ok()?;
    let _ = std::fs::remove_dir_all(schedule_dir());
    Some(schedule.trim().to_owned())
}

/// The first problem a scenario's threads saw, reported by the scenario's
/// main thread once it has joined them.
///
/// Threads report here instead of panicking. A thread that panics unwinds
/// through whatever it holds of the lab's types (a permit guard, a lock),
/// and a lock dropped during a panic is poisoned; the explorer then tends to
/// report another thread's `PoisonError`, or a deadlock of the threads that
/// waited for the one that died, instead of the assertion that explains the
/// bug. Panicking in the main thread, after every other thread has ended,
/// avoids that. The lock is the explorer's own, so it is part of the
/// explored schedule.
#[derive(Debug, Default)]
pub struct Problems {
    first: shuttle::sync::Mutex<Option<String>>,
}

impl Problems {
    /// Records a problem, unless an earlier one was recorded already
    /// (`describe` runs only then). Scenarios call it only when something
    /// went wrong, so a correct run adds no lock to the schedule.
    pub fn report(&self, describe: impl FnOnce() -> String) {
        let mut first = self
            .first
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if first.is_none() {
            *first = Some(describe());
        }
    }

    /// Fails the test with the first problem reported, if any.
    pub fn fail_on_first(&self) {
        let first = self
            .first
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(problem) = first {
            panic!("{problem}");
        }
    }
}
