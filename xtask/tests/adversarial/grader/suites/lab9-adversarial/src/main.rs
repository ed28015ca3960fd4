//! The hidden suite of the adversarial lab: one test per misbehaviour of
//! the fixture, each calling one graded function and recording its answer
//! (the grader compares it with the reference's, so no expected value is in
//! the test process), and two benign tests that must pass in the same run.
//!
//! A submission must never read this file. The line below is a canary that
//! `xtask/tests/adversarial.rs` looks for in everything the grading wrote:
//! ADVERSARIAL-CANARY-suite-4b8d02e5c7a1

/// The input every misbehaving function gets.
const SEED: u64 = 14;

fn benign_sum_adds_its_inputs() {
    assert_eq!(lab9_adversarial::sum(2, 40), 42, "sum(2, 40)");
}

fn benign_greeting_names_the_person() {
    assert_eq!(lab9_adversarial::greeting("Ada"), "Hello, Ada!");
}

macro_rules! one_call_tests {
    ($($name:ident),* $(,)?) => {
        $(
            fn $name() {
                let answer = lab9_adversarial::$name(SEED);
                grader::harness::answer(&format!("{}({SEED})", stringify!($name)), &answer);
            }
        )*
        grader::suite! {
            benign_sum_adds_its_inputs,
            benign_greeting_names_the_person,
            $($name),*
        }
    };
}

include!("../../../../labs/lab9-adversarial/src/behaviours.rs");
with_every_behaviour!(one_call_tests);
