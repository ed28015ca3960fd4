//! Exercise 6: a counter in a memory mapping that several processes share.
//!
//! `cargo test -p lab5-multiprocessing ex6 -- --nocapture` prints how many
//! updates the racy children lost.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use lab5_multiprocessing::{
    CountArgs, CountMethod, SharedCounterFile, add_one_atomic, add_one_locked, count_with_processes,
};

use super::worker_program;

#[test]
fn add_one_atomic_and_add_one_locked_add_exactly_one() {
    let counter = AtomicU64::new(41);
    add_one_atomic(&counter);
    assert_eq!(counter.load(Ordering::SeqCst), 42);
    let lock = AtomicU32::new(0);
    add_one_locked(&lock, &counter);
    assert_eq!(counter.load(Ordering::SeqCst), 43);
    assert_eq!(
        lock.load(Ordering::SeqCst),
        0,
        "the lock must be free again (0) afterwards"
    );
}

#[test]
fn a_child_adds_to_the_counter_its_parent_mapped() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let path = folder.path().join("counter");
    let shared = SharedCounterFile::create(&path, 1).expect("create the shared counter file");
    let request = CountArgs {
        file: path.clone(),
        times: 1000,
        method: CountMethod::Atomic,
    };
    let status = std::process::Command::new(worker_program())
        .args(request.to_args())
        .status()
        .expect("run the worker program");
    assert!(status.success(), "the count child failed: {status}");
    // The parent never wrote to the counter: the child's 1000 increments
    // reached it through the shared mapping.
    assert_eq!(shared.counter().load(Ordering::SeqCst), 1000);
}

#[test]
fn children_adding_with_fetch_add_never_lose_an_update() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let total = count_with_processes(
        worker_program(),
        &folder.path().join("counter"),
        2,
        100_000,
        CountMethod::Atomic,
    )
    .expect("count_with_processes with the atomic method");
    assert_eq!(total, 200_000, "lost updates with fetch_add");
}

#[test]
fn children_adding_under_a_lock_in_shared_memory_never_lose_an_update() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let total = count_with_processes(
        worker_program(),
        &folder.path().join("counter"),
        2,
        50_000,
        CountMethod::Locked,
    )
    .expect("count_with_processes with the locked method");
    assert_eq!(total, 100_000, "lost updates under the lock");
}

/// The lecture's lesson, with processes: two children that load and then
/// store lose updates. Each attempt gives the race millions of chances; a
/// few attempts make a miss (no loss at all) practically impossible.
#[test]
fn children_adding_with_load_then_store_lose_updates() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let times = 5_000_000;
    let mut totals = Vec::new();
    for _attempt in 0..5 {
        let total = count_with_processes(
            worker_program(),
            &folder.path().join("counter"),
            2,
            times,
            CountMethod::Racy,
        )
        .expect("count_with_processes with the racy method");
        totals.push(total);
        if total < 2 * times {
            break;
        }
    }
    println!("racy totals (expected {} each): {totals:?}", 2 * times);
    assert!(
        totals.iter().any(|&total| total < 2 * times),
        "the racy children never lost an update ({totals:?}); do they really run at the same \
         time, on the same file?"
    );
}
