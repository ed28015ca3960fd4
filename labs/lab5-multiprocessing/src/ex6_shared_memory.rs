//! Exercise 6: a counter in memory that several processes share.
//!
//! Processes do not share memory, unless they ask for it: two processes
//! that map the same file into their address spaces (`mmap`) see the same
//! bytes, and a store by one is seen by the other, as between threads. This
//! brings the threads' problems back. The lecture's bank balance starts at
//! 100; one process deposits 1 many times, another withdraws 1 as many
//! times; the balance must end at 100, and with a plain read-then-write it
//! does not. Here children add 1 to a shared counter `times` times each;
//! the parent checks the total.
//!
//! Provided: [`SharedCounterFile`] (creating, opening and mapping the file,
//! with the `unsafe` that takes and its reasons), the start line that
//! makes the children count at the same time, [`add_one_racy`], and the
//! `count` sub-command's arguments ([`CountArgs`]). Yours: the two correct
//! ways to add one ([`add_one_atomic`], [`add_one_locked`]), the child's loop
//! ([`count_in_child`]) and the parent ([`count_with_processes`]). You write
//! no `unsafe` code.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use memmap2::{MmapMut, MmapOptions};

use crate::process_error::ProcessError;
use crate::worker::{Subcommand, usage_error};

/// The worker program's sub-commands of this exercise.
pub(crate) const SUBCOMMANDS: &[Subcommand] = &[Subcommand {
    name: COUNT_SUBCOMMAND,
    usage: "--file PATH --times N --method racy|atomic|locked",
    run: run_count,
}];

/// The sub-command that adds 1 to the shared counter many times.
pub const COUNT_SUBCOMMAND: &str = "count";

/// How a child adds 1 to the shared counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountMethod {
    /// Load the value, then store the value plus one: [`add_one_racy`].
    Racy,
    /// One atomic read-modify-write: [`add_one_atomic`].
    Atomic,
    /// Load then store, but under a lock that lives in the shared memory
    /// too: [`add_one_locked`].
    Locked,
}

impl CountMethod {
    /// Every method, in the order of the enum.
    pub const ALL: [CountMethod; 3] = [CountMethod::Racy, CountMethod::Atomic, CountMethod::Locked];

    /// The method's name on the worker's command line.
    pub fn name(self) -> &'static str {
        match self {
            CountMethod::Racy => "racy",
            CountMethod::Atomic => "atomic",
            CountMethod::Locked => "locked",
        }
    }

    /// The method named `name` on the command line, if there is one.
    pub fn from_name(name: &str) -> Option<CountMethod> {
        CountMethod::ALL
            .into_iter()
            .find(|method| method.name() == name)
    }
}

/// The layout of the shared file: a few atomics, nothing else. `repr(C)`
/// fixes the order and the offsets, so that every process (every build of
/// the worker program) agrees on where each field is.
#[repr(C)]
struct SharedPage {
    /// The counter the children add to.
    counter: AtomicU64,
    /// The lock of [`CountMethod::Locked`]: 0 free, 1 held.
    lock: AtomicU32,
    /// How many children the parent will start (written by `create`).
    children_expected: AtomicU32,
    /// How many children have reached the start line.
    children_arrived: AtomicU32,
}

/// The length of a shared counter file, in bytes.
pub const SHARED_COUNTER_FILE_LEN: u64 = std::mem::size_of::<SharedPage>() as u64;

/// How long a child waits at the start line for the others before it
/// starts anyway (so a child that never comes cannot hang the rest).
pub const START_LINE_PATIENCE: Duration = Duration::from_secs(2);

/// A file mapped into this process's memory, holding a counter that every
/// process mapping the same file sees and changes. Provided complete.
///
/// The parent creates the file ([`SharedCounterFile::create`]); each child
/// opens it ([`SharedCounterFile::open`]) and gets the very same counter as
/// an `&AtomicU64`: the operating system maps the same physical page into
/// every process, so a store by one is a store seen by all.
pub struct SharedCounterFile {
    /// Keeps the mapping alive; never read or written through, only
    /// through `page`.
    _mapping: MmapMut,
    /// The start of the mapping, seen as the shared page.
    page: *const SharedPage,
}

// SAFETY: the page holds atomics only, which any thread may use through a
// shared reference; the mapping itself is owned and unmapped once.
unsafe impl Send for SharedCounterFile {}
// SAFETY: as above: `&SharedCounterFile` hands out `&` to atomics only.
unsafe impl Sync for SharedCounterFile {}

impl SharedCounterFile {
    /// Creates (or empties) the file at `path` with a counter of 0, ready
    /// for `n_children` children to meet at the start line, and maps it.
    pub fn create(path: &Path, n_children: u32) -> io::Result<SharedCounterFile> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)?;
        // A fresh file of zeros: every field starts at 0.
        file.set_len(SHARED_COUNTER_FILE_LEN)?;
        let shared = SharedCounterFile::map(&file)?;
        shared
            .page()
            .children_expected
            .store(n_children, Ordering::SeqCst);
        Ok(shared)
    }

    /// Maps the existing shared counter file at `path`.
    pub fn open(path: &Path) -> io::Result<SharedCounterFile> {
        let file = OpenOptions::new().read(true).write(true).open(path)?;
        let len = file.metadata()?.len();
        if len != SHARED_COUNTER_FILE_LEN {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "{} is {len} bytes long, not a shared counter file of {SHARED_COUNTER_FILE_LEN} \
                     bytes",
                    path.display()
                ),
            ));
        }
        SharedCounterFile::map(&file)
    }

    fn map(file: &std::fs::File) -> io::Result<SharedCounterFile> {
        // SAFETY: `map_mut` is unsafe because another process could shrink
        // the file while it is mapped (touching the lost bytes would then
        // kill this process with SIGBUS), and because the compiler assumes
        // memory behind `&mut` changes only through it. Neither bites here:
        // only this lab's processes use the file and none shrinks it, and
        // the mapping is never read or written as plain bytes, only as the
        // atomics of `SharedPage`, which are made for memory that others
        // change at the same time.
        let mut mapping = unsafe {
            MmapOptions::new()
                .len(SHARED_COUNTER_FILE_LEN as usize)
                .map_mut(file)?
        };
        let page = mapping.as_mut_ptr().cast::<SharedPage>().cast_const();
        Ok(SharedCounterFile {
            _mapping: mapping,
            page,
        })
    }

    fn page(&self) -> &SharedPage {
        // SAFETY: the mapping is `SHARED_COUNTER_FILE_LEN` bytes, the size
        // of `SharedPage`; it starts on a page boundary, so every atomic in
        // it is aligned; all-zero bytes (or values other processes stored)
        // are valid atomics; and it lives as long as `self`.
        unsafe { &*self.page }
    }

    /// The shared counter.
    pub fn counter(&self) -> &AtomicU64 {
        &self.page().counter
    }

    /// The shared lock word of [`CountMethod::Locked`]: 0 free, 1 held.
    pub fn lock_word(&self) -> &AtomicU32 {
        &self.page().lock
    }

    /// The start line: returns once every child the file was created for
    /// has called it (or after [`START_LINE_PATIENCE`]). Children started
    /// one by one begin their loops at different moments; waiting here
    /// makes them count at the same time, so that a race, if there is one,
    /// shows.
    pub fn wait_at_start_line(&self) {
        let page = self.page();
        page.children_arrived.fetch_add(1, Ordering::SeqCst);
        let give_up = Instant::now() + START_LINE_PATIENCE;
        while page.children_arrived.load(Ordering::SeqCst)
            < page.children_expected.load(Ordering::SeqCst)
            && Instant::now() < give_up
        {
            // Yield rather than spin: on a busy machine the child we wait
            // for may need this CPU to arrive.
            std::thread::yield_now();
        }
    }
}

/// Adds 1 the racy way: read the value, then write the value plus one, as
/// two separate steps. Provided, to show what goes wrong: another process
/// may store in between, and its update is overwritten (lost).
pub fn add_one_racy(counter: &AtomicU64) {
    let seen = counter.load(Ordering::Relaxed);
    // `black_box` keeps the two steps apart. Without it the compiler fuses
    // them into one `inc` instruction, which a CPU core cannot be
    // interrupted in the middle of: on one core the race would never show,
    // though it is still there (two cores can still interleave it).
    counter.store(std::hint::black_box(seen) + 1, Ordering::Relaxed);
}

/// Adds 1 to `counter` with one atomic read-modify-write, so that no other
/// process can store between the read and the write.
///
/// The idea: [`AtomicU64::fetch_add`] asks the CPU to read, add and write
/// as one indivisible step; it works across processes exactly as across
/// threads, because the counter is the same memory for all of them.
///
/// Pitfall: `counter.store(counter.load(..) + 1, ..)` is two atomic steps,
/// not one atomic step: that is [`add_one_racy`], and it loses updates.
pub fn add_one_atomic(counter: &AtomicU64) {
    let _ = counter;
    todo!("exercise 6: add_one_atomic")
}

/// Adds 1 to `counter` the racy way ([`add_one_racy`]), but only while
/// holding the spin lock `lock`, a word in the shared memory that is 0
/// when free and 1 when held.
///
/// The idea: a `Mutex` lives in one process's memory and cannot be shared
/// with another process, but a lock is only a value everybody agrees on.
/// Take it by turning 0 into 1 atomically
/// ([`AtomicU32::compare_exchange_weak`]; if it fails, someone holds the
/// lock: try again), do the racy increment, give it back by storing 0.
/// Use `Ordering::Acquire` when taking and `Ordering::Release` when giving
/// back, so that the previous holder's write of the counter is visible to
/// the next holder's read.
///
/// Pitfall: checking that the lock is 0 and then storing 1 as two steps
/// lets two processes take it at once. And spin politely: call
/// `std::thread::yield_now()` between tries, because the holder may be a
/// process waiting for the very CPU you are spinning on.
pub fn add_one_locked(lock: &AtomicU32, counter: &AtomicU64) {
    let _ = (lock, counter);
    todo!("exercise 6: add_one_locked")
}

/// What one `count` child is asked to do. On the command line:
/// `count --file PATH --times N --method racy|atomic|locked`.
/// Provided complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountArgs {
    pub file: PathBuf,
    pub times: u64,
    pub method: CountMethod,
}

impl CountArgs {
    /// The worker program's arguments, the sub-command first.
    pub fn to_args(&self) -> Vec<String> {
        vec![
            COUNT_SUBCOMMAND.to_owned(),
            "--file".to_owned(),
            self.file.to_string_lossy().into_owned(),
            "--times".to_owned(),
            self.times.to_string(),
            "--method".to_owned(),
            self.method.name().to_owned(),
        ]
    }

    /// Reads the arguments after the sub-command; each flag is required
    /// once, in any order.
    pub fn parse(flags: &[String]) -> Result<CountArgs, String> {
        let (mut file, mut times, mut method) = (None, None, None);
        let mut flags = flags.iter();
        while let Some(flag) = flags.next() {
            let Some(value) = flags.next() else {
                return Err(format!("`{flag}` needs a value"));
            };
            let slot_was_empty = match flag.as_str() {
                "--file" => file.replace(PathBuf::from(value)).is_none(),
                "--times" => {
                    let parsed = value
                        .parse::<u64>()
                        .map_err(|_| format!("`--times {value}` is not a whole number"))?;
                    times.replace(parsed).is_none()
                }
                "--method" => {
                    let parsed = CountMethod::from_name(value)
                        .ok_or_else(|| format!("unknown method `{value}`"))?;
                    method.replace(parsed).is_none()
                }
                _ => return Err(format!("unknown flag `{flag}`")),
            };
            if !slot_was_empty {
                return Err(format!("`{flag}` given twice"));
            }
        }
        match (file, times, method) {
            (Some(file), Some(times), Some(method)) => Ok(CountArgs {
                file,
                times,
                method,
            }),
            _ => Err("missing a flag".to_owned()),
        }
    }
}

/// The `count` sub-command: parses its arguments and runs
/// [`count_in_child`]. Provided complete.
fn run_count(flags: &[String]) -> ExitCode {
    let request = match CountArgs::parse(flags) {
        Ok(request) => request,
        Err(message) => return usage_error(&SUBCOMMANDS[0], &message),
    };
    match count_in_child(&request) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // A failed write to standard error cannot be reported anywhere.
            let _ = writeln!(
                io::stderr(),
                "lab5 worker count: cannot use the shared counter file {}: {error}",
                request.file.display()
            );
            ExitCode::FAILURE
        }
    }
}

/// The `count` child's work: opens the shared counter file
/// `request.file` ([`SharedCounterFile::open`]), waits at the start line
/// ([`SharedCounterFile::wait_at_start_line`]), then adds 1 to the counter
/// `request.times` times with `request.method` ([`add_one_racy`],
/// [`add_one_atomic`] or [`add_one_locked`] with the file's lock word).
///
/// The `count` sub-command (provided) parses the command line into a
/// [`CountArgs`] and calls this; an error here becomes a message on
/// standard error and a failure status.
///
/// Pitfall: without the start line, children started a millisecond apart
/// may each finish before the next begins, and the racy method seems to
/// work.
pub fn count_in_child(request: &CountArgs) -> io::Result<()> {
    let _ = request;
    todo!("exercise 6: count_in_child")
}

/// Creates the shared counter file `counter_file` for `n_children`
/// children ([`SharedCounterFile::create`], which sets the counter to 0),
/// starts `n_children` children running `worker_program` with the
/// arguments of a [`CountArgs`] (each adds 1 `times` times with `method`),
/// waits for every child, and returns the counter's final value.
///
/// The idea: the parent keeps its own mapping of the file, so once every
/// child has exited it reads the total straight from the shared memory. No
/// pipe carries it.
///
/// Errors: no children ([`ProcessError::InvalidRequest`]), a file that
/// cannot be created (`InvalidRequest` too), a worker that cannot be
/// started (`CouldNotStart`, after stopping and waiting for the children
/// already started), a child that fails (`ChildFailed`, after waiting for
/// all the others).
///
/// Pitfall: start every child before waiting for any; a child that is
/// waited for before the next one starts never races with anyone (and
/// waits at the start line in vain).
pub fn count_with_processes(
    worker_program: &Path,
    counter_file: &Path,
    n_children: usize,
    times: u64,
    method: CountMethod,
) -> Result<u64, ProcessError> {
    let _ = (worker_program, counter_file, n_children, times, method);
    todo!("exercise 6: count_with_processes")
}
