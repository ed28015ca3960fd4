// The misbehaviours of the adversarial lab, one function each, named once
// for the stubs, the reference and the hidden suite (which include this
// file). The uploads in `submission/` and `submission-rerun/` write theirs
// out: an upload is one crate, and reads nothing of the course's.

/// Invokes `$then!` with the name of every misbehaviour.
macro_rules! with_every_behaviour {
    ($then:ident) => {
        $then!(
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
    };
}
