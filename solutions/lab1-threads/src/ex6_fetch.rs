//! Exercise 6: I/O-bound work. Download several resources from an HTTP
//! server one after another, then with several threads.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::ex2_chunks::map_in_chunks;

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

/// Fetches every path with [`fetch_one`], one after another, and returns the
/// results in input order.
pub fn fetch_sequential(server_addr: SocketAddr, paths: &[&str]) -> Vec<io::Result<Vec<u8>>> {
    paths
        .iter()
        .map(|path| fetch_one(server_addr, path))
        .collect()
}

/// Fetches every path with [`fetch_one`] on `n_threads` threads and returns
/// the results in input order.
///
/// # Panics
///
/// If `n_threads` is zero.
pub fn fetch_concurrent(
    server_addr: SocketAddr,
    paths: &[&str],
    n_threads: usize,
) -> Vec<io::Result<Vec<u8>>> {
    assert!(n_threads >= 1, "n_threads must be at least 1, got 0");
    // Exercise 2 already does the hard part: contiguous chunks of paths, one
    // thread per chunk, results joined back in input order.
    map_in_chunks(paths, n_threads, |path| fetch_one(server_addr, path))
}
