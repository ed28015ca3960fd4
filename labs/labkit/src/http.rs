//! [`SlowHttpServer`]: a real HTTP/1.0 server on loopback that answers
//! every request late.
//!
//! I/O-bound exercises need something to wait for. This server listens on
//! `127.0.0.1` at a port the system picks, starts one thread per connection,
//! holds every request for a configurable delay, then answers with bytes
//! that depend only on the path (see [`SlowHttpServer::body_for`]), so a
//! test can check a download byte for byte. It counts what it saw: requests,
//! requests held right now, and the most ever held at once. The last number
//! is how a test tells concurrent clients from sequential ones without
//! timing them.
//!
//! The server must stay std-only and must always stop: dropping it tells
//! every thread it started to finish, shuts down open connections and joins
//! them. Each wait inside it is bounded (socket timeouts, interruptible
//! delays), so dropping takes at most a few seconds even with a misbehaving
//! client, and no loop runs on after the drop.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::lock_ignoring_poison;

/// How long the accepting thread rests when no connection is waiting.
/// Short enough to add no visible latency to a request, long enough to cost
/// no measurable CPU.
const ACCEPT_POLL_INTERVAL: Duration = Duration::from_millis(1);

/// How long a connection may take to send its request or read the answer.
/// A client that stalls longer is dropped instead of holding a thread.
const SOCKET_TIMEOUT: Duration = Duration::from_secs(5);

/// The largest request head (request line plus headers) the server reads.
const MAX_REQUEST_HEAD_BYTES: usize = 8 * 1024;

/// The prefix of every path the server knows: `/image-0`, `/image-1`, ...
const IMAGE_PATH_PREFIX: &str = "/image-";

/// The highest image number served; higher numbers are "not found".
const MAX_IMAGE_NUMBER: u64 = 1_000_000;

/// An HTTP/1.0 server on `127.0.0.1` that delays every response.
///
/// ```
/// use std::io::{Read, Write};
/// use std::time::Duration;
/// use labkit::SlowHttpServer;
///
/// let server = SlowHttpServer::start(Duration::from_millis(10)).unwrap();
/// let mut connection = std::net::TcpStream::connect(server.addr()).unwrap();
/// connection.write_all(b"GET /image-3 HTTP/1.0\r\n\r\n").unwrap();
/// let mut response = Vec::new();
/// connection.read_to_end(&mut response).unwrap();
///
/// assert!(response.starts_with(b"HTTP/1.0 200 OK\r\n"));
/// let expected_body = SlowHttpServer::body_for("/image-3").unwrap();
/// assert!(response.ends_with(&expected_body));
/// assert_eq!(server.request_count(), 1);
/// ```
#[derive(Debug)]
pub struct SlowHttpServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

/// What the server's threads share.
#[derive(Debug)]
struct Shared {
    response_delay: Duration,
    /// Set once, when the server is dropped; guarded by a mutex so that
    /// delays can wait on [`Shared::stop_requested`] and end early.
    stopping: Mutex<bool>,
    stop_requested: Condvar,
    stats: Mutex<Stats>,
}

#[derive(Debug, Default)]
struct Stats {
    request_count: u64,
    in_flight: usize,
    max_in_flight: usize,
    requested_paths: Vec<String>,
}

/// A connection being served: its thread, and a second handle on its socket
/// so that stopping the server can cut a blocked read or write short.
struct Connection {
    thread: JoinHandle<()>,
    socket: TcpStream,
}

impl SlowHttpServer {
    /// Starts a server on `127.0.0.1` at a free port; every response waits
    /// `response_delay` before it is sent.
    pub fn start(response_delay: Duration) -> io::Result<SlowHttpServer> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        // Non-blocking accepts let the accepting thread notice the stop
        // request on its own, without a wake-up connection that could fail.
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            response_delay,
            stopping: Mutex::new(false),
            stop_requested: Condvar::new(),
            stats: Mutex::new(Stats::default()),
        });
        let acceptor_shared = Arc::clone(&shared);
        let acceptor = std::thread::Builder::new()
            .name("slow-http-accept".to_owned())
            .spawn(move || accept_until_stopped(&listener, &acceptor_shared))?;
        Ok(SlowHttpServer {
            addr,
            shared,
            acceptor: Some(acceptor),
        })
    }

    /// The address to connect to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// How long each response is held back.
    pub fn response_delay(&self) -> Duration {
        self.shared.response_delay
    }

    /// How many GET requests the server has read, known paths and unknown
    /// ones alike. Malformed requests are answered at once, without the
    /// delay, and are not counted.
    pub fn request_count(&self) -> u64 {
        lock_ignoring_poison(&self.shared.stats).request_count
    }

    /// How many requests the server is holding back right now.
    ///
    /// A request counts from the moment its head has been read until its
    /// delay is over, just before the answer is written. Because the count
    /// drops before the client can see the answer, a client that waits for
    /// each answer before sending the next request never makes it exceed 1.
    pub fn in_flight(&self) -> usize {
        lock_ignoring_poison(&self.shared.stats).in_flight
    }

    /// The most requests the server was ever holding back at the same time.
    pub fn max_in_flight(&self) -> usize {
        lock_ignoring_poison(&self.shared.stats).max_in_flight
    }

    /// The paths of every counted request so far, in the order they arrived.
    pub fn requested_paths(&self) -> Vec<String> {
        lock_ignoring_poison(&self.shared.stats)
            .requested_paths
            .clone()
    }

    /// The path of image number `image_number`: `/image-7`.
    pub fn image_path(image_number: u64) -> String {
        format!("{IMAGE_PATH_PREFIX}{image_number}")
    }

    /// The exact body the server sends for `path`, or `None` if it answers
    /// that path with 404 Not Found.
    ///
    /// Known paths are `/image-N` for N from 0 to 1,000,000 written without
    /// leading zeros. Each body starts with a readable line naming the image
    /// and continues with pseudo-random bytes (any byte value, including
    /// `\r\n\r\n`), between 4 KiB and 64 KiB long, the same on every run.
    pub fn body_for(path: &str) -> Option<Vec<u8>> {
        let digits = path.strip_prefix(IMAGE_PATH_PREFIX)?;
        let image_number: u64 = digits.parse().ok()?;
        // Only the canonical spelling is known, so that two different paths
        // never share a body ("/image-07" is not "/image-7").
        if image_number > MAX_IMAGE_NUMBER || digits != image_number.to_string() {
            return None;
        }
        Some(image_bytes(image_number))
    }
}

impl Drop for SlowHttpServer {
    fn drop(&mut self) {
        *lock_ignoring_poison(&self.shared.stopping) = true;
        self.shared.stop_requested.notify_all();
        if let Some(acceptor) = self.acceptor.take() {
            // The acceptor only panics if the server itself has a bug; the
            // drop must still finish, so the panic is not propagated.
            let _ = acceptor.join();
        }
    }
}

impl Shared {
    fn is_stopping(&self) -> bool {
        *lock_ignoring_poison(&self.stopping)
    }

    /// Counts a request as read and held.
    fn begin_request(&self, path: String) {
        let mut stats = lock_ignoring_poison(&self.stats);
        stats.request_count += 1;
        stats.in_flight += 1;
        stats.max_in_flight = stats.max_in_flight.max(stats.in_flight);
        stats.requested_paths.push(path);
    }

    /// Counts a request as no longer held.
    fn end_request(&self) {
        lock_ignoring_poison(&self.stats).in_flight -= 1;
    }

    /// Waits for `duration`, or less if the server is stopping. Returns
    /// whether the whole duration passed without a stop request.
    fn wait_unless_stopped(&self, duration: Duration) -> bool {
        let deadline = Instant::now() + duration;
        let mut stopping = lock_ignoring_poison(&self.stopping);
        loop {
            if *stopping {
                return false;
            }
            let now = Instant::now();
            if now >= deadline {
                return true;
            }
            stopping = self
                .stop_requested
                .wait_timeout(stopping, deadline - now)
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
    }
}

/// The accepting thread: starts a thread per connection until the server is
/// dropped, then cuts every open connection and waits for its thread.
fn accept_until_stopped(listener: &TcpListener, shared: &Arc<Shared>) {
    let mut connections: Vec<Connection> = Vec::new();
    while !shared.is_stopping() {
        match listener.accept() {
            Ok((socket, _peer)) => {
                if let Ok(connection) = start_connection(socket, shared) {
                    connections.push(connection);
                }
            }
            // Nothing waiting, or a transient failure such as running out of
            // file descriptors: rest briefly rather than spin.
            Err(_) => {
                shared.wait_unless_stopped(ACCEPT_POLL_INTERVAL);
            }
        }
        // Forget connections that are over so the list stays short in a
        // long test; their threads have already finished.
        connections.retain(|connection| !connection.thread.is_finished());
    }
    for connection in &connections {
        // Wakes a thread blocked reading or writing; errors only mean the
        // connection was already closed.
        let _ = connection.socket.shutdown(Shutdown::Both);
    }
    for connection in connections {
        let _ = connection.thread.join();
    }
}

fn start_connection(socket: TcpStream, shared: &Arc<Shared>) -> io::Result<Connection> {
    // Accepted sockets may inherit non-blocking mode on some systems; this
    // thread wants plain blocking reads bounded by timeouts.
    socket.set_nonblocking(false)?;
    socket.set_read_timeout(Some(SOCKET_TIMEOUT))?;
    socket.set_write_timeout(Some(SOCKET_TIMEOUT))?;
    let handle_for_stop = socket.try_clone()?;
    let connection_shared = Arc::clone(shared);
    let thread = std::thread::Builder::new()
        .name("slow-http-connection".to_owned())
        .spawn(move || serve_one_request(socket, &connection_shared))?;
    Ok(Connection {
        thread,
        socket: handle_for_stop,
    })
}

/// Reads one request, holds it for the delay, answers, and closes.
fn serve_one_request(mut socket: TcpStream, shared: &Shared) {
    let Some(head) = read_request_head(&mut socket) else {
        return;
    };
    let (status, body) = match parse_request_line(&head) {
        Ok(path) => {
            let body = SlowHttpServer::body_for(&path);
            shared.begin_request(path);
            let delay_completed = shared.wait_unless_stopped(shared.response_delay);
            shared.end_request();
            if !delay_completed {
                return;
            }
            match body {
                Some(body) => ("200 OK", body),
                None => ("404 Not Found", b"no such resource\n".to_vec()),
            }
        }
        Err(status) => (status, format!("{status}\n").into_bytes()),
    };
    let head = format!(
        "HTTP/1.0 {status}\r\nContent-Type: application/octet-stream\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    // A client that hung up early is its own problem; nothing to report.
    if socket.write_all(head.as_bytes()).is_ok() && socket.write_all(&body).is_ok() {
        let _ = socket.flush();
    }
    let _ = socket.shutdown(Shutdown::Write);
}

/// Reads up to the blank line that ends a request head. Returns `None` if
/// the client closes, stalls, or sends more than a head may hold.
fn read_request_head(socket: &mut TcpStream) -> Option<Vec<u8>> {
    let mut head = Vec::new();
    let mut buffer = [0_u8; 1024];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        if head.len() > MAX_REQUEST_HEAD_BYTES {
            return None;
        }
        match socket.read(&mut buffer) {
            Ok(0) | Err(_) => return None,
            Ok(n_read) => head.extend_from_slice(&buffer[..n_read]),
        }
    }
    Some(head)
}

/// Extracts the path from `GET /path HTTP/1.x`; anything else gets the
/// status line to answer with.
fn parse_request_line(head: &[u8]) -> Result<String, &'static str> {
    let text = std::str::from_utf8(head).map_err(|_| "400 Bad Request")?;
    let request_line = text.split("\r\n").next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(path), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("400 Bad Request");
    };
    if !version.starts_with("HTTP/1.") || !path.starts_with('/') {
        return Err("400 Bad Request");
    }
    if method != "GET" {
        return Err("405 Method Not Allowed");
    }
    Ok(path.to_owned())
}

/// The body of image `image_number`: a readable first line, then bytes from
/// a SplitMix64 stream seeded by the number, cut to a length that also
/// depends on the number.
fn image_bytes(image_number: u64) -> Vec<u8> {
    const MIN_LEN: u64 = 4 * 1024;
    const EXTRA_LEN_RANGE: u64 = 60 * 1024;
    let len = usize::try_from(MIN_LEN + image_number.wrapping_mul(7919) % EXTRA_LEN_RANGE)
        .expect("an image is at most 64 KiB");
    let mut bytes = Vec::with_capacity(len + 8);
    bytes.extend_from_slice(format!("image {image_number}\n").as_bytes());
    let mut state = image_number;
    while bytes.len() < len {
        bytes.extend_from_slice(&splitmix64_next(&mut state).to_le_bytes());
    }
    bytes.truncate(len);
    bytes
}

/// One step of SplitMix64: a tiny, well-mixed generator that needs no crate.
fn splitmix64_next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut mixed = *state;
    mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    mixed ^ (mixed >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal client: sends `request` and returns the status code and
    /// body of the answer.
    fn send(addr: SocketAddr, request: &str) -> (u16, Vec<u8>) {
        let mut socket = TcpStream::connect(addr).unwrap();
        socket.write_all(request.as_bytes()).unwrap();
        let mut response = Vec::new();
        socket.read_to_end(&mut response).unwrap();
        let head_end = response
            .windows(4)
            .position(|window| window == b"\r\n\r\n")
            .expect("a complete response head");
        let head = std::str::from_utf8(&response[..head_end]).unwrap();
        let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
        let content_length: usize = head
            .lines()
            .find_map(|line| line.strip_prefix("Content-Length: "))
            .unwrap()
            .parse()
            .unwrap();
        let body = response[head_end + 4..].to_vec();
        assert_eq!(body.len(), content_length);
        (status, body)
    }

    fn get(addr: SocketAddr, path: &str) -> (u16, Vec<u8>) {
        send(addr, &format!("GET {path} HTTP/1.0\r\nHost: test\r\n\r\n"))
    }

    #[test]
    fn bodies_are_deterministic_and_differ_between_images() {
        let first = SlowHttpServer::body_for("/image-1").unwrap();
        assert_eq!(first, SlowHttpServer::body_for("/image-1").unwrap());
        assert_ne!(first, SlowHttpServer::body_for("/image-2").unwrap());
        assert!(first.starts_with(b"image 1\n"));
        for image_number in [0, 1, 2, 17, 999, MAX_IMAGE_NUMBER] {
            let body = SlowHttpServer::body_for(&SlowHttpServer::image_path(image_number)).unwrap();
            assert!(
                (4 * 1024..64 * 1024).contains(&body.len()),
                "{image_number}: {}",
                body.len()
            );
        }
    }

    #[test]
    fn only_canonical_image_paths_have_bodies() {
        for unknown in [
            "/",
            "/image-",
            "/image-07",
            "/image--1",
            "/image-x",
            "/image-1000001",
            "image-1",
        ] {
            assert_eq!(SlowHttpServer::body_for(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn serves_the_body_of_an_image() {
        let server = SlowHttpServer::start(Duration::ZERO).unwrap();
        let (status, body) = get(server.addr(), "/image-42");
        assert_eq!(status, 200);
        assert_eq!(body, SlowHttpServer::body_for("/image-42").unwrap());
        assert_eq!(server.request_count(), 1);
        assert_eq!(server.requested_paths(), ["/image-42"]);
    }

    #[test]
    fn answers_unknown_paths_and_bad_requests_with_errors() {
        let server = SlowHttpServer::start(Duration::ZERO).unwrap();
        assert_eq!(get(server.addr(), "/nothing-here").0, 404);
        assert_eq!(send(server.addr(), "POST /image-1 HTTP/1.0\r\n\r\n").0, 405);
        assert_eq!(send(server.addr(), "hello\r\n\r\n").0, 400);
        // Only well-formed GET requests are counted.
        assert_eq!(server.request_count(), 1);
    }

    #[test]
    fn delays_each_response() {
        let delay = Duration::from_millis(50);
        let server = SlowHttpServer::start(delay).unwrap();
        let started = Instant::now();
        get(server.addr(), "/image-1");
        assert!(started.elapsed() >= delay);
        assert_eq!(server.response_delay(), delay);
    }

    #[test]
    fn sequential_clients_keep_one_request_in_flight() {
        let server = SlowHttpServer::start(Duration::from_millis(5)).unwrap();
        for image_number in 0..5 {
            get(server.addr(), &SlowHttpServer::image_path(image_number));
        }
        assert_eq!(server.request_count(), 5);
        assert_eq!(server.max_in_flight(), 1);
        assert_eq!(server.in_flight(), 0);
    }

    #[test]
    fn concurrent_clients_are_held_at_the_same_time() {
        let server = SlowHttpServer::start(Duration::from_millis(200)).unwrap();
        std::thread::scope(|scope| {
            for image_number in 0..4 {
                let server = &server;
                scope.spawn(move || get(server.addr(), &SlowHttpServer::image_path(image_number)));
            }
        });
        assert_eq!(server.request_count(), 4);
        assert_eq!(server.max_in_flight(), 4);
        assert_eq!(server.in_flight(), 0);
    }

    #[test]
    fn dropping_the_server_ends_held_requests_and_silent_clients_quickly() {
        let hold = Duration::from_secs(60);
        let server = SlowHttpServer::start(hold).unwrap();
        let addr = server.addr();
        // One client waits for a 60 s answer, another never sends anything.
        let mut waiting = TcpStream::connect(addr).unwrap();
        waiting.write_all(b"GET /image-1 HTTP/1.0\r\n\r\n").unwrap();
        let _silent = TcpStream::connect(addr).unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        while server.in_flight() == 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(server.in_flight(), 1);
        let started = Instant::now();
        drop(server);
        // A drop that waited for the held answer would take the whole hold.
        let share_of_hold = started.elapsed().div_duration_f64(hold);
        assert!(
            share_of_hold < 0.25,
            "dropping took {share_of_hold:.2} of the 60 s hold"
        );
        // The held request was dropped without an answer.
        let mut response = Vec::new();
        let _ = waiting.read_to_end(&mut response);
        assert!(response.is_empty());
        // Nobody listens any more.
        assert!(TcpStream::connect(addr).is_err());
    }
}
