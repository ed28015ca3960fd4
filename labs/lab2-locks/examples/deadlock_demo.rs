//! Exercise 6's demonstration: the naive philosophers deadlock.
//!
//! `cargo run -p lab2-locks --release --example deadlock_demo`
//!
//! Holds dinners of 5 philosophers who each pick up the left fork, then
//! the right one (`Strategy::LeftThenRight`), until one dinner stops making
//! progress: every philosopher holds a left fork and waits for a right fork
//! that its neighbour will never put down. A watchdog notices that the
//! dinner has not finished after a second and stops the program, which
//! would otherwise wait forever. Pass another strategy's name
//! (`ordered_forks`, `waiter`, `try_and_back_off`) to see it never get
//! stuck.

use std::process::ExitCode;
use std::time::Duration;

use lab2_locks::{Strategy, dine};
use labsync::sync::mpsc;
use labsync::thread;

const N_DINNERS: usize = 200;
const MEALS_EACH: usize = 1000;
const WATCHDOG: Duration = Duration::from_secs(1);

fn main() -> ExitCode {
    let name = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "left_then_right".to_owned());
    let strategies = [
        Strategy::LeftThenRight,
        Strategy::OrderedForks,
        Strategy::Waiter,
        Strategy::TryAndBackOff,
    ];
    let Some(strategy) = strategies
        .into_iter()
        .find(|strategy| strategy.name() == name)
    else {
        eprintln!(
            "unknown strategy `{name}`; known: left_then_right, ordered_forks, waiter, try_and_back_off"
        );
        return ExitCode::from(2);
    };
    for dinner in 1..=N_DINNERS {
        let (report_sender, report_receiver) = mpsc::channel();
        thread::spawn(move || {
            let _ = report_sender.send(dine(strategy, 5, MEALS_EACH));
        });
        match report_receiver.recv_timeout(WATCHDOG) {
            Ok(report) => println!(
                "dinner {dinner}: every philosopher ate {MEALS_EACH} meals (spread {})",
                report.spread()
            ),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                println!(
                    "dinner {dinner}: no progress for {WATCHDOG:?}. Deadlock: each philosopher holds one \
                     fork and waits for the next one, around the table."
                );
                // Returning from main ends the process, stuck threads included.
                return ExitCode::SUCCESS;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                eprintln!("dinner {dinner}: a philosopher panicked (see above)");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("{N_DINNERS} dinners with {name} and no deadlock");
    ExitCode::SUCCESS
}
