//! Exercise 6: I/O-bound work. Download several resources from an HTTP
//! server one after another, then with several threads.
//!
//! The lecture downloads five images. Most of a download is waiting: for
//! the connection, for the server, for the bytes to arrive. A thread that
//! waits uses no CPU, so while one thread waits for its image, others can
//! wait for theirs. With K threads, N downloads that each take one unit of
//! waiting finish in about N / K units. This holds in Python too, despite
//! its global interpreter lock, because Python releases the lock while it
//! waits for I/O.
//!
//! The tests start a real HTTP server on `127.0.0.1` (labkit's
//! `SlowHttpServer`) that holds every answer for one unit.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// How long [`fetch_one`] waits to connect, and then for each read or write,
/// before giving up with an error.
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// Downloads `path` from the HTTP server at `server_addr` and returns the
/// body. Provided complete.
///
/// # Errors
///
/// Connection and read errors; `NotFound` for a 404 answer; `InvalidData`
/// for an answer that is not HTTP, is cut short, or has another status.
pub fn fetch_one(server_addr: SocketAddr, path: &str) -> io::Result<Vec<u8>> {
    let mut connection = TcpStream::connect_timeout(&server_addr, FETCH_TIMEOUT)?;
    connection.set_read_timeout(Some(FETCH_TIMEOUT))?;
    connection.set_write_timeout(Some(FETCH_TIMEOUT))?;
    let request = format!("GET {path} HTTP/1.0\r\nHost: {server_addr}\r\n\r\n");
    connection.write_all(request.as_bytes())?;
    // An HTTP/1.0 server closes the connection after the answer, so the
    // whole answer is everything up to the end of the stream.
    let mut response = Vec::new();
    connection.read_to_end(&mut response)?;
    body_of_response(path, response)
}

/// Checks the status line and length of a complete HTTP answer and returns
/// its body.
fn body_of_response(path: &str, mut response: Vec<u8>) -> io::Result<Vec<u8>> {
    let invalid =
        |what: String| io::Error::new(io::ErrorKind::InvalidData, format!("GET {path}: {what}"));
    let head_len = response
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .ok_or_else(|| invalid("the answer has no complete HTTP head".to_owned()))?;
    let head = std::str::from_utf8(&response[..head_len])
        .map_err(|_| invalid("the answer's head is not text".to_owned()))?;
    let mut head_lines = head.split("\r\n");
    let status_line = head_lines.next().unwrap_or_default();
    let status_code = match status_line.split(' ').collect::<Vec<_>>().as_slice() {
        [version, code, ..] if version.starts_with("HTTP/") => code.parse::<u16>().ok(),
        _ => None,
    }
    .ok_or_else(|| invalid(format!("not an HTTP status line: {status_line:?}")))?;
    let declared_len = head_lines.find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse::<usize>().ok())
            .flatten()
    });
    let body = response.split_off(head_len + 4);
    if let Some(declared_len) = declared_len
        && declared_len != body.len()
    {
        return Err(invalid(format!(
            "the answer was cut short: {} of {declared_len} bytes",
            body.len()
        )));
    }
    match status_code {
        200 => Ok(body),
        404 => Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("GET {path}: 404 Not Found"),
        )),
        other => Err(invalid(format!("the server answered {other}"))),
    }
}

/// Fetches every path with [`fetch_one`], one after another, and returns
/// one result per path, in the order of `paths`.
///
/// This is the baseline that [`fetch_concurrent`] is compared with: one
/// request at a time, each waiting for the previous one to finish. A path
/// the server does not know gives an `Err` in its place; keep going with
/// the others.
pub fn fetch_sequential(server_addr: SocketAddr, paths: &[&str]) -> Vec<io::Result<Vec<u8>>> {
    let _ = (server_addr, paths);
    todo!("exercise 6: fetch_sequential")
}

/// Fetches every path with [`fetch_one`] on `n_threads` threads and returns
/// one result per path, in the order of `paths`, exactly as
/// [`fetch_sequential`] would.
///
/// Use at most `n_threads` threads, each making one request at a time, so
/// that the server never sees more than `n_threads` requests at once.
/// Reusing exercise 2 or 3 is welcome.
///
/// The idea: the threads spend their time waiting on the network, so
/// their waits overlap and the total time shrinks with the number of
/// threads, even on a single CPU core.
///
/// Pitfall: a thread per path also "works" on five paths, but on five
/// thousand it opens five thousand connections at once; a server (or the
/// operating system) will refuse some of them.
///
/// # Panics
///
/// If `n_threads` is zero.
pub fn fetch_concurrent(
    server_addr: SocketAddr,
    paths: &[&str],
    n_threads: usize,
) -> Vec<io::Result<Vec<u8>>> {
    let _ = (server_addr, paths, n_threads);
    todo!("exercise 6: fetch_concurrent")
}
