//! Exercise 6, provided complete: the `count` sub-command and its
//! arguments, the counting methods, the shared page mapped from a file
//! ([`SharedCounterFile`], which holds this exercise's one `unsafe` block)
//! and the racy increment. One file serves the student crate and the
//! reference solution.

use super::*;

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
