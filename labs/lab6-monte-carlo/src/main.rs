//! The lab's worker program: [`estimate_pi_processes`] starts it once per
//! worker process, as `lab6-monte-carlo pi --samples N --seed S --blocks
//! START..END`. Provided complete; the work is in
//! [`lab6_monte_carlo::worker_main`].
//!
//! [`estimate_pi_processes`]: lab6_monte_carlo::estimate_pi_processes

use std::process::ExitCode;

fn main() -> ExitCode {
    lab6_monte_carlo::worker_main()
}
