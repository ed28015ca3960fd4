//! Exercise 3: a thread pool that maps a function over a list of items.

use std::any::Any;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::thread;

/// Why [`pool_map`] could not produce every output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PoolError {
    /// The pool was asked to run with zero worker threads.
    NoWorkers,
    /// The work panicked for the item at `item_idx` (its position in the
    /// input); `message` is the panic's message.
    TaskPanicked { item_idx: usize, message: String },
}

impl fmt::Display for PoolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PoolError::NoWorkers => write!(f, "a pool needs at least one worker thread, got 0"),
            PoolError::TaskPanicked { item_idx, message } => {
                write!(f, "the work for item {item_idx} panicked: {message}")
            }
        }
    }
}

impl std::error::Error for PoolError {}

/// Applies `work` to every item on at most `n_workers` threads and returns
/// the outputs in input order.
///
/// `min(n_workers, items.len())` workers are started once; each takes the
/// next unclaimed item whenever it is free. If `work` panics, no new items
/// are handed out, the items already running finish, and the error names
/// the smallest index whose work panicked.
pub fn pool_map<Item, Output, Work>(
    items: Vec<Item>,
    n_workers: usize,
    work: Work,
) -> Result<Vec<Output>, PoolError>
where
    Item: Send,
    Output: Send,
    Work: Fn(Item) -> Output + Sync,
{
    if n_workers == 0 {
        return Err(PoolError::NoWorkers);
    }
    let n_items = items.len();
    let unclaimed_items = Mutex::new(items.into_iter().enumerate());
    let stop_handing_out = AtomicBool::new(false);
    let worker_reports: Vec<WorkerReport<Output>> = thread::scope(|scope| {
        let workers: Vec<_> = (0..n_workers.min(n_items))
            .map(|worker_idx| {
                thread::Builder::new()
                    .name(format!("pool-worker-{worker_idx}"))
                    .spawn_scoped(scope, || {
                        run_worker(&unclaimed_items, &stop_handing_out, &work)
                    })
                    .expect("the system refused to start a pool worker thread")
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| {
                worker
                    .join()
                    .expect("a pool worker catches every panic of the work")
            })
            .collect()
    });

    let first_panic = worker_reports
        .iter()
        .flat_map(|report| &report.panics)
        .min_by_key(|(item_idx, _)| *item_idx);
    if let Some((item_idx, message)) = first_panic {
        return Err(PoolError::TaskPanicked {
            item_idx: *item_idx,
            message: message.clone(),
        });
    }
    let mut outputs_by_idx: Vec<Option<Output>> = (0..n_items).map(|_| None).collect();
    for (item_idx, output) in worker_reports.into_iter().flat_map(|report| report.outputs) {
        outputs_by_idx[item_idx] = Some(output);
    }
    Ok(outputs_by_idx
        .into_iter()
        .map(|output| output.expect("without a panic every item is processed"))
        .collect())
}

/// What one worker did: outputs and panics, each with its item's index.
struct WorkerReport<Output> {
    outputs: Vec<(usize, Output)>,
    panics: Vec<(usize, String)>,
}

type UnclaimedItems<Item> = Mutex<std::iter::Enumerate<std::vec::IntoIter<Item>>>;

fn run_worker<Item, Output>(
    unclaimed_items: &UnclaimedItems<Item>,
    stop_handing_out: &AtomicBool,
    work: &(impl Fn(Item) -> Output + Sync),
) -> WorkerReport<Output> {
    let mut report = WorkerReport {
        outputs: Vec::new(),
        panics: Vec::new(),
    };
    while !stop_handing_out.load(Ordering::Relaxed) {
        // The guard is a temporary of this statement, so the lock is released
        // before the work runs. Holding it during `work` would let only one
        // worker run at a time.
        let next_item = unclaimed_items
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .next();
        let Some((item_idx, item)) = next_item else {
            break;
        };
        match panic::catch_unwind(AssertUnwindSafe(|| work(item))) {
            Ok(output) => report.outputs.push((item_idx, output)),
            Err(payload) => {
                stop_handing_out.store(true, Ordering::Relaxed);
                report
                    .panics
                    .push((item_idx, panic_message(payload.as_ref())));
            }
        }
    }
    report
}

/// The text of a panic: `panic!("...")` carries a `&str` or a `String`.
fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "<a panic without a text message>".to_owned()
    }
}
