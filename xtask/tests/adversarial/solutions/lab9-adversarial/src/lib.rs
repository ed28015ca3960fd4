//! The reference of the adversarial lab: every function does its job and
//! nothing else. The fixture in `submission/` has the same API and
//! misbehaves in each function.
//!
//! A submission must never read this file. The line below is a canary that
//! `xtask/tests/adversarial.rs` looks for in everything the grading wrote:
//! ADVERSARIAL-CANARY-reference-7f3c9a61e2d4

/// What every misbehaving function of the fixture should have returned.
pub fn expected(seed: u64) -> u64 {
    seed * 3 + 1
}

pub fn sum(left: u64, right: u64) -> u64 {
    left + right
}

pub fn greeting(name: &str) -> String {
    format!("Hello, {name}!")
}

macro_rules! well_behaved {
    ($($name:ident),* $(,)?) => {
        $(
            pub fn $name(seed: u64) -> u64 {
                expected(seed)
            }
        )*
    };
}

well_behaved!(
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
