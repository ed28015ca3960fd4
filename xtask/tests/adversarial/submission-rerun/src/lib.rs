//! Every function of lab 9 answers right: were this submission's build
//! accepted, every test would pass. Its misbehaviour is in its build
//! script alone (see `build.rs`).

/// Whatever the build script managed to read of hidden files.
const BUILD_LEAK: &str = env!("ADVERSARIAL_BUILD_LEAK");

pub fn expected(seed: u64) -> u64 {
    seed * 3 + 1
}

pub fn sum(left: u64, right: u64) -> u64 {
    left + right
}

pub fn greeting(name: &str) -> String {
    format!("Hello, {name}!")
}

/// Prints what the build script read, where the grader captures it.
pub fn read_hidden_files(seed: u64) -> u64 {
    println!("the build script read: {BUILD_LEAK}");
    expected(seed)
}

macro_rules! right_answers {
    ($($name:ident),* $(,)?) => {
        $(
            pub fn $name(seed: u64) -> u64 {
                expected(seed)
            }
        )*
    };
}

right_answers!(
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
    connect_to_the_listener,
);
