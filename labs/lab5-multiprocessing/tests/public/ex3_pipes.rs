//! Exercise 3: the Leibniz series for pi over pipes.

use std::f64::consts::PI;

use lab5_multiprocessing::{
    leibniz_child, leibniz_partial_sum, leibniz_with_children, split_range,
};

use super::worker_program;

#[test]
fn the_series_tends_to_pi() {
    assert_eq!(leibniz_partial_sum(0..1), 4.0);
    assert_eq!(leibniz_partial_sum(0..2), 4.0 - 4.0 / 3.0);
    assert_eq!(leibniz_partial_sum(5..5), 0.0);
    // The error after n terms is about 1 / n.
    assert!((leibniz_partial_sum(0..1_000_000) - PI).abs() < 2e-6);
}

#[test]
fn split_range_cuts_contiguous_parts_of_almost_equal_length() {
    assert_eq!(split_range(10..20, 3), vec![10..14, 14..17, 17..20]);
    assert_eq!(split_range(0..2, 3), vec![0..1, 1..2, 2..2]);
}

#[test]
fn a_leibniz_child_reads_its_range_and_prints_its_partial_sum_exactly() {
    let mut output = Vec::new();
    leibniz_child(&b"3 1000\n"[..], &mut output).expect("a valid range");
    let printed = String::from_utf8(output).expect("text");
    let partial_sum: f64 = printed.trim_end().parse().expect("a number");
    assert_eq!(
        partial_sum,
        leibniz_partial_sum(3..1000),
        "printed {printed:?}"
    );

    assert!(leibniz_child(&b"three 1000\n"[..], Vec::new()).is_err());
}

#[test]
fn children_add_up_to_the_serial_sum() {
    let serial = leibniz_partial_sum(0..1_000_000);
    for n_children in [1, 3, 4] {
        let parallel = leibniz_with_children(0..1_000_000, n_children, worker_program())
            .expect("the children sum the series");
        println!("{n_children} children: {parallel} (serial {serial})");
        assert!((parallel - serial).abs() < 1e-9);
    }
}
