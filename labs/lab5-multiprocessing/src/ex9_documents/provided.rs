//! Exercise 9, provided complete: the documents, their generator, their
//! text, the list of conversions of a folder and the pool job that runs
//! `convert_document`. One file serves the student crate and the reference
//! solution.

use super::*;

/// One JSON document of the folder to convert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub title: String,
    pub author: String,
    pub paragraphs: Vec<String>,
}

/// One conversion: read the JSON document at `input`, write its text to
/// `output`. This is what travels to a pool worker, rather than the
/// document itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversionTask {
    pub input: PathBuf,
    pub output: PathBuf,
}

/// The width of the text's lines, in characters.
pub const TEXT_WIDTH: usize = 72;

/// Writes `n_documents` generated documents into `folder` (created if
/// needed), as `doc-00000.json`, `doc-00001.json`, ..., and returns their
/// paths in that order. The same seed writes the same files, byte for
/// byte; each document depends only on the seed and its number.
pub fn generate_documents(
    folder: &Path,
    n_documents: usize,
    seed: u64,
) -> io::Result<Vec<PathBuf>> {
    fs::create_dir_all(folder)?;
    let mut paths = Vec::with_capacity(n_documents);
    for document_idx in 0..n_documents {
        let document = generate_document(seed, document_idx as u64);
        let path = folder.join(format!("doc-{document_idx:05}.json"));
        let json = serde_json::to_string_pretty(&document).map_err(io::Error::other)?;
        fs::write(&path, json + "\n")?;
        paths.push(path);
    }
    Ok(paths)
}

/// The document number `document_idx` of the folder generated from `seed`.
pub fn generate_document(seed: u64, document_idx: u64) -> Document {
    let mut random = SplitMix64(seed ^ document_idx.wrapping_mul(0xA076_1D64_78BD_642F));
    let title_words = random.between(2, 6);
    let title = (0..title_words)
        .map(|_| capitalized(random.pick(WORDS)))
        .collect::<Vec<_>>()
        .join(" ");
    let author = format!("{} {}", random.pick(FIRST_NAMES), random.pick(LAST_NAMES));
    let n_paragraphs = random.between(2, 5);
    let paragraphs = (0..n_paragraphs)
        .map(|_| {
            let n_sentences = random.between(2, 5);
            (0..n_sentences)
                .map(|_| {
                    let n_words = random.between(4, 12);
                    let words: Vec<&str> = (0..n_words).map(|_| random.pick(WORDS)).collect();
                    format!("{}.", capitalized(&words.join(" ")))
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    Document {
        title,
        author,
        paragraphs,
    }
}

/// The plain text of a document: the title, underlined with `=`, a `by`
/// line, then each paragraph wrapped at [`TEXT_WIDTH`] characters, with an
/// empty line before each paragraph.
pub fn document_to_text(document: &Document) -> String {
    let mut text = String::new();
    text.push_str(&document.title);
    text.push('\n');
    text.push_str(&"=".repeat(document.title.chars().count()));
    text.push_str("\nby ");
    text.push_str(&document.author);
    text.push('\n');
    for paragraph in &document.paragraphs {
        text.push('\n');
        let mut line_chars = 0;
        for word in paragraph.split_whitespace() {
            let word_chars = word.chars().count();
            if line_chars > 0 && line_chars + 1 + word_chars > TEXT_WIDTH {
                text.push('\n');
                line_chars = 0;
            }
            if line_chars > 0 {
                text.push(' ');
                line_chars += 1;
            }
            text.push_str(word);
            line_chars += word_chars;
        }
        text.push('\n');
    }
    text
}

/// Lists the conversions of a folder: one task per `*.json` file of
/// `input_folder`, sorted by file name, each writing `<name>.txt` into
/// `output_folder`, which this creates if needed.
pub fn plan_conversion(
    input_folder: &Path,
    output_folder: &Path,
) -> io::Result<Vec<ConversionTask>> {
    fs::create_dir_all(output_folder)?;
    let mut inputs = Vec::new();
    for entry in fs::read_dir(input_folder)? {
        let path = entry?.path();
        if path
            .extension()
            .is_some_and(|extension| extension == "json")
        {
            inputs.push(path);
        }
    }
    inputs.sort();
    Ok(inputs
        .into_iter()
        .map(|input| {
            let mut output = output_folder.join(input.file_name().unwrap_or_default());
            output.set_extension("txt");
            ConversionTask { input, output }
        })
        .collect())
}

/// The `convert-document` job of the pool's registry: a [`ConversionTask`]
/// in, the byte count of [`convert_document`] out.
pub(crate) fn convert_document_job(task: Value) -> Result<Value, String> {
    let task: ConversionTask = serde_json::from_value(task)
        .map_err(|error| format!("the task is not a conversion task: {error}"))?;
    convert_document(&task).map(Value::from)
}

/// A small, fast, deterministic generator (SplitMix64), so that the same
/// seed gives the same documents on every machine and every version.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut mixed = self.0;
        mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        mixed ^ (mixed >> 31)
    }

    /// A number from `low` to `high`, both included.
    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }

    fn pick<'a>(&mut self, choices: &[&'a str]) -> &'a str {
        choices[(self.next() % choices.len() as u64) as usize]
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

const FIRST_NAMES: &[&str] = &[
    "Ada", "Alan", "Barbara", "Edsger", "Grace", "John", "Leslie", "Margaret", "Niklaus", "Tony",
    "Frances", "Donald", "Radia", "Ken", "Dennis", "Sophie",
];

const LAST_NAMES: &[&str] = &[
    "Lovelace", "Turing", "Liskov", "Dijkstra", "Hopper", "Backus", "Lamport", "Hamilton", "Wirth",
    "Hoare", "Allen", "Knuth", "Perlman", "Thompson", "Ritchie", "Wilson",
];

const WORDS: &[&str] = &[
    "process",
    "thread",
    "pipe",
    "signal",
    "worker",
    "pool",
    "chunk",
    "frame",
    "queue",
    "lock",
    "memory",
    "parent",
    "child",
    "fork",
    "spawn",
    "wait",
    "exit",
    "status",
    "buffer",
    "stream",
    "task",
    "result",
    "order",
    "map",
    "reply",
    "request",
    "length",
    "byte",
    "header",
    "payload",
    "file",
    "folder",
    "document",
    "title",
    "author",
    "paragraph",
    "line",
    "word",
    "text",
    "json",
    "core",
    "cache",
    "scheduler",
    "kernel",
    "descriptor",
    "zombie",
    "orphan",
    "group",
    "session",
    "quickly",
    "slowly",
    "together",
    "apart",
    "safely",
    "always",
    "never",
    "again",
    "at",
    "once",
    "the",
    "a",
    "of",
    "to",
    "and",
    "in",
    "every",
    "each",
    "no",
];
