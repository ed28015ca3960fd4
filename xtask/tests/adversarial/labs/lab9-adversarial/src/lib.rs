//! The adversarial lab's student crate: stubs, as every lab has. Only the
//! fixture in `submission/` and the reference are ever graded.

pub fn expected(_seed: u64) -> u64 {
    todo!()
}

pub fn sum(_left: u64, _right: u64) -> u64 {
    todo!()
}

pub fn greeting(_name: &str) -> String {
    todo!()
}

macro_rules! stub {
    ($($name:ident),* $(,)?) => {
        $(
            pub fn $name(_seed: u64) -> u64 {
                todo!()
            }
        )*
    };
}

stub!(
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
