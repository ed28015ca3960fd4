//! Exercise 2: separate memory.
//!
//! One test only: the global list is shared by every test of this binary
//! (they run on threads of one process), so only this test touches it.

use lab5_multiprocessing::{append_in_child, append_in_thread, append_to_global_list, global_list};

use super::worker_program;

#[test]
fn a_child_appends_to_its_own_list_and_a_thread_to_ours() {
    assert_eq!(append_to_global_list(&[1, 2]), vec![1, 2]);

    let childs_list = append_in_child(&[7, 8], worker_program()).expect("the child appends");
    assert_eq!(
        childs_list,
        vec![7, 8],
        "the child started with its own empty list"
    );
    assert_eq!(global_list(), vec![1, 2], "our list did not change");

    let threads_list = append_in_thread(&[9]);
    assert_eq!(
        threads_list,
        vec![1, 2, 9],
        "the thread appended to our list"
    );
    assert_eq!(global_list(), vec![1, 2, 9]);
}
