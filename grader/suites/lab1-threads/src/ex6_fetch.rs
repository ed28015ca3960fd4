//! Exercise 6, `fetch_sequential` and `fetch_concurrent`: byte-identical
//! bodies in input order (errors in their places), every path requested
//! exactly once, one request at a time versus K at a time (never more), and
//! about N/K units instead of N.
//!
//! Each test starts its own `labkit::SlowHttpServer` on loopback. The
//! server's count of requests held at once is the time-free evidence of
//! concurrency; the timing test compares with the floor that the server's
//! delay sets for sequential downloads, and reports a sequential run made
//! by the suite itself, on the same server, in the same run.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use lab1_threads::{fetch_concurrent, fetch_one, fetch_sequential};
use labkit::{SlowHttpServer, measure, unit, units};

use crate::support::{TIMING_ATTEMPTS, call_graded_within, fastest_attempt, in_units};

/// What `fetch_sequential` and `fetch_concurrent` return: one result per
/// path.
type FetchResults = Vec<io::Result<Vec<u8>>>;

/// Paths that mix known images (some twice) with unknown paths.
fn mixed_paths() -> Vec<String> {
    [
        "/image-4",
        "/image-1",
        "/missing",
        "/image-9",
        "/image-1",
        "/image-2",
        "/image-07",
        "/image-3",
        "/image-5",
        "/image-8",
        "/image-6",
    ]
    .map(str::to_owned)
    .to_vec()
}

fn image_paths(n_images: u64) -> Vec<String> {
    (1..=n_images).map(SlowHttpServer::image_path).collect()
}

fn start_server(response_delay: Duration) -> SlowHttpServer {
    SlowHttpServer::start(response_delay).expect("the suite could not start its HTTP server")
}

/// Calls `fetch` (sequential or concurrent) on a helper thread with a time
/// limit and returns its results.
fn fetch_all(
    call: &str,
    server_addr: SocketAddr,
    paths: &[String],
    fetch: fn(SocketAddr, &[&str]) -> FetchResults,
) -> FetchResults {
    let paths = paths.to_vec();
    call_graded_within(call, "the downloads never finished", move || {
        let path_strs: Vec<&str> = paths.iter().map(String::as_str).collect();
        fetch(server_addr, &path_strs)
    })
}

/// Fails unless `results` holds, for each path in order, the exact body or
/// a `NotFound` error for unknown paths.
fn assert_results_match(call: &str, paths: &[String], results: &[io::Result<Vec<u8>>]) {
    assert_eq!(
        results.len(),
        paths.len(),
        "{call}: {} paths gave {} results; there must be one result per path",
        paths.len(),
        results.len()
    );
    for (path_idx, (path, result)) in paths.iter().zip(results).enumerate() {
        match (SlowHttpServer::body_for(path), result) {
            (Some(expected), Ok(body)) if *body == expected => {}
            (Some(expected), Ok(body)) => {
                let wrong_path = paths
                    .iter()
                    .find(|other| SlowHttpServer::body_for(other).as_ref() == Some(body));
                panic!(
                    "{call}: result {path_idx} should be the {} bytes of {path}, got {} other \
                     bytes{}",
                    expected.len(),
                    body.len(),
                    wrong_path.map_or(String::new(), |other| format!(
                        " (the body of {other}: results out of input order)"
                    ))
                );
            }
            (Some(_), Err(error)) => panic!("{call}: result {path_idx} ({path}) failed: {error}"),
            (None, Err(error)) if error.kind() == io::ErrorKind::NotFound => {}
            (None, other) => panic!(
                "{call}: result {path_idx} ({path}) should be the NotFound error of fetch_one, \
                 got {:?}",
                other.as_ref().map(Vec::len)
            ),
        }
    }
}

/// Fails unless the server saw each path exactly as often as it was asked.
fn assert_each_path_requested_once(call: &str, server: &SlowHttpServer, paths: &[String]) {
    let mut requested = server.requested_paths();
    let mut asked_for = paths.to_vec();
    requested.sort();
    asked_for.sort();
    assert_eq!(
        requested, asked_for,
        "{call}: the server was asked for different paths than given (each path must be \
         fetched exactly once)"
    );
}

pub fn fetch_sequential_returns_exact_bodies_in_order_one_request_at_a_time() {
    let server = start_server(unit() / 4);
    let paths = mixed_paths();
    let call = "fetch_sequential(server, 11 paths)";
    let results = fetch_all(call, server.addr(), &paths, fetch_sequential);
    assert_results_match(call, &paths, &results);
    assert_eq!(
        server.requested_paths(),
        paths,
        "{call}: the requests did not arrive one by one in input order"
    );
    assert_eq!(
        server.max_in_flight(),
        1,
        "{call} is the sequential baseline, but the server held {} requests at once",
        server.max_in_flight()
    );
}

pub fn fetch_concurrent_returns_exact_bodies_in_input_order() {
    let server = start_server(unit() / 4);
    let paths = mixed_paths();
    let call = "fetch_concurrent(server, 11 paths, 3 threads)";
    let results = fetch_all(call, server.addr(), &paths, |addr, paths| {
        fetch_concurrent(addr, paths, 3)
    });
    assert_results_match(call, &paths, &results);
    assert_each_path_requested_once(call, &server, &paths);
}

pub fn fetch_concurrent_keeps_k_requests_in_flight_and_no_more() {
    let server = start_server(units(2));
    let paths = image_paths(9);
    let call = "fetch_concurrent(server, 9 paths, 3 threads)";
    let results = fetch_all(call, server.addr(), &paths, |addr, paths| {
        fetch_concurrent(addr, paths, 3)
    });
    assert_results_match(call, &paths, &results);
    assert_each_path_requested_once(call, &server, &paths);
    let max_in_flight = server.max_in_flight();
    grader::harness::metric(
        "fetch_9_paths_3_threads_max_in_flight",
        max_in_flight as f64,
    );
    assert!(
        max_in_flight <= 3,
        "{call}: the server held {max_in_flight} requests at once; with 3 threads at most 3 \
         may be in flight (a thread per path?)"
    );
    assert_eq!(
        max_in_flight, 3,
        "{call}: the server never held more than {max_in_flight} requests at once; 3 threads \
         should keep 3 requests waiting together (did each thread finish before the next \
         started?)"
    );

    let server = start_server(units(1));
    let paths = image_paths(2);
    let call = "fetch_concurrent(server, 2 paths, 6 threads)";
    let results = fetch_all(call, server.addr(), &paths, |addr, paths| {
        fetch_concurrent(addr, paths, 6)
    });
    assert_results_match(call, &paths, &results);
    assert_each_path_requested_once(call, &server, &paths);
}

pub fn fetch_concurrent_with_k_threads_takes_about_n_over_k_units() {
    let server = start_server(unit());
    let paths = image_paths(6);
    let addr = server.addr();
    // The server holds each request for a unit, so six downloads one after
    // another can never take less than 6 units. On 3 threads they take
    // about 2. A run must stay under 60% of the sequential floor, which no
    // sequential run can ever do, however often it is tried.
    let sequential_floor = units(6);
    let max_fraction_of_floor = 0.6;
    // For the report: the same six downloads one after another, with the
    // provided fetch_one, on the same server, right now.
    let (_, one_by_one) = measure(|| {
        for path in &paths {
            fetch_one(addr, path).expect("the suite's own sequential download failed");
        }
    });
    let call = "fetch_concurrent(server, 6 paths, 3 threads)";
    let concurrently = fastest_attempt(
        || {
            let results = fetch_all(call, addr, &paths, |addr, paths| {
                fetch_concurrent(addr, paths, 3)
            });
            assert_results_match(call, &paths, &results);
        },
        |elapsed| elapsed.div_duration_f64(sequential_floor) < max_fraction_of_floor,
    );
    grader::harness::metric("fetch_6_paths_sequential_units", in_units(one_by_one));
    grader::harness::metric("fetch_6_paths_3_threads_units", in_units(concurrently));
    grader::harness::metric(
        "fetch_speedup_3_threads",
        one_by_one.div_duration_f64(concurrently),
    );
    assert!(
        concurrently.div_duration_f64(sequential_floor) < max_fraction_of_floor,
        "downloads did not overlap: 6 downloads on 3 threads took {:.1} units at best in \
         {TIMING_ATTEMPTS} tries; one after another they take at least 6 units (measured now: \
         {:.1}); with 3 threads about 2",
        in_units(concurrently),
        in_units(one_by_one)
    );
}
