//! The hidden suite of the adversarial lab: one test per misbehaviour of
//! the fixture, each calling one graded function and checking its answer
//! against the reference's formula, and two benign tests that must pass in
//! the same run.
//!
//! A submission must never read this file. The line below is a canary that
//! `xtask/tests/adversarial.rs` looks for in everything the grading wrote:
//! ADVERSARIAL-CANARY-suite-4b8d02e5c7a1

/// The input every misbehaving function gets.
const SEED: u64 = 14;
/// The reference's answer for [`SEED`] (`seed * 3 + 1`), written out so
/// that the suite does not trust the graded crate's `expected`.
const EXPECTED: u64 = 43;

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
                assert_eq!(
                    answer,
                    EXPECTED,
                    concat!(stringify!($name), "({}) returned a wrong answer"),
                    SEED
                );
            }
        )*
        grader::suite! {
            benign_sum_adds_its_inputs,
            benign_greeting_names_the_person,
            $($name),*
        }
    };
}

one_call_tests!(
    endless_loop,
    deadlock,
    exit_zero_mid_test,
    exit_zero_from_another_thread,
    abort,
    stack_overflow,
    panic_in_drop_while_unwinding,
    fake_pass_lines_and_json,
    allocate_20_gib,
    touch_memory_until_a_limit,
    fork_bomb,
    double_forked_daemon,
    write_the_results_file,
    read_hidden_files,
    connect_to_the_listener,
);
