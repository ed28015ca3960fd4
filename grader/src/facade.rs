//! Finding code that reaches around a lab's synchronization facade.
//!
//! Labs that are graded by schedule exploration take their threads, locks
//! and atomics from a facade crate (`labsync`). Code that uses `std::sync`,
//! `std::thread` or `core::sync` directly is invisible to the explorer: its
//! races go unseen and its blocking calls hang the exploration. This module
//! finds such uses in a crate's sources so the student is told before
//! grading, with file and line. It reads text only; it never compiles or
//! runs anything, and it is a help for honest students, not a security
//! boundary.

use std::path::{Path, PathBuf};

/// One place that bypasses the facade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bypass {
    /// Relative to the crate's folder.
    pub file: PathBuf,
    /// 1-based.
    pub line: usize,
    /// What was found there, e.g. `std::sync`.
    pub found: String,
}

/// Module paths that bypass the facade.
const BYPASSING_PATHS: &[&str] = &["std::sync", "std::thread", "core::sync"];

/// Scans every `.rs` file under `crate_dir/src`.
pub fn find_bypasses(crate_dir: &Path) -> Vec<Bypass> {
    let mut files = Vec::new();
    collect_rust_files(&crate_dir.join("src"), &mut files);
    files.sort();
    let mut bypasses = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let relative = file.strip_prefix(crate_dir).unwrap_or(&file).to_path_buf();
        for (line, found) in scan(&text) {
            bypasses.push(Bypass {
                file: relative.clone(),
                line,
                found,
            });
        }
    }
    bypasses
}

/// The (line, path) of every bypass in one file's text.
fn scan(text: &str) -> Vec<(usize, String)> {
    let code = without_comments(text);
    let mut found = Vec::new();
    // Line-based: `std::sync::Mutex`, `use std::thread;`, `std :: sync`.
    for (line_idx, line) in code.lines().enumerate() {
        let tight = tighten(line);
        for path in BYPASSING_PATHS {
            if contains_path(&tight, path) {
                found.push((line_idx + 1, (*path).to_owned()));
            }
        }
    }
    // Grouped imports, possibly over several lines: `use std::{sync::Arc, thread};`.
    let tight_code = tighten(&code);
    let mut search_from = 0;
    while let Some(offset) = tight_code[search_from..].find("std::{") {
        let start = search_from + offset;
        search_from = start + "std::{".len();
        // `mystd::{...}` is not `std::{...}`.
        if tight_code[..start]
            .chars()
            .next_back()
            .is_some_and(|ch| ch.is_alphanumeric() || ch == '_')
        {
            continue;
        }
        let group = tight_code[search_from..].split('}').next().unwrap_or("");
        for item in group.split(',') {
            let head = item.trim().split("::").next().unwrap_or("").trim();
            if head == "sync" || head == "thread" {
                let line = tight_code[..start].matches('\n').count() + 1;
                found.push((line, format!("std::{head}")));
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// Removes spaces and tabs around `::` and after `{`, so that `std :: sync`
/// and `std::{ sync }` read as `std::sync` and `std::{sync}`. Newlines are
/// kept so line numbers stay right.
fn tighten(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (idx, &ch) in chars.iter().enumerate() {
        if ch == ' ' || ch == '\t' {
            let previous = out.chars().next_back();
            let next = chars[idx + 1..]
                .iter()
                .find(|next| **next != ' ' && **next != '\t');
            if previous == Some(':') || previous == Some('{') || next == Some(&':') {
                continue;
            }
        }
        out.push(ch);
    }
    out
}

/// True if `path` occurs in `compact` as a whole path segment sequence
/// (`std::sync` in `std::sync::Mutex`, not in `labstd::synced`).
fn contains_path(compact: &str, path: &str) -> bool {
    compact.match_indices(path).any(|(start, _)| {
        let before = compact[..start].chars().next_back();
        let after = compact[start + path.len()..].chars().next();
        let boundary_before = before.is_none_or(|ch| !(ch.is_alphanumeric() || ch == '_'));
        let boundary_after = after.is_none_or(|ch| !(ch.is_alphanumeric() || ch == '_'));
        boundary_before && boundary_after
    })
}

/// The text with `//` and `/* */` comments blanked out (newlines kept, so
/// line numbers stay right). String literals are not parsed: a `//` inside a
/// string cuts the rest of that line, which can only hide a bypass, never
/// invent one.
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut block_depth = 0;
    while let Some(ch) = chars.next() {
        if block_depth > 0 {
            if ch == '*' && chars.peek() == Some(&'/') {
                chars.next();
                block_depth -= 1;
            } else if ch == '/' && chars.peek() == Some(&'*') {
                chars.next();
                block_depth += 1;
            } else if ch == '\n' {
                out.push('\n');
            }
            continue;
        }
        if ch == '/' && chars.peek() == Some(&'/') {
            for rest in chars.by_ref() {
                if rest == '\n' {
                    out.push('\n');
                    break;
                }
            }
        } else if ch == '/' && chars.peek() == Some(&'*') {
            chars.next();
            block_depth += 1;
        } else {
            out.push(ch);
        }
    }
    out
}

fn collect_rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // Symbolic links are not followed: a submission's tree is scanned,
        // not what it points at.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            collect_rust_files(&path, files);
        } else if kind.is_file() && path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::scan;

    #[test]
    fn finds_direct_paths_and_grouped_imports_with_lines() {
        let text = "use labsync::sync::Mutex;\n\
                    use std::sync::Arc;\n\
                    use std::{\n    collections::HashMap,\n    thread,\n};\n\
                    fn f() { let _ = std :: thread :: spawn(|| ()); }\n";
        let found = scan(text);
        assert_eq!(
            found,
            vec![
                (2, "std::sync".to_owned()),
                (3, "std::thread".to_owned()),
                (7, "std::thread".to_owned())
            ]
        );
    }

    #[test]
    fn ignores_comments_the_facade_and_lookalike_names() {
        let text = "// std::sync::Mutex would be wrong here\n\
                    /* use std::thread; */\n\
                    use labsync::thread;\n\
                    use mystd::synced::X;\n\
                    use std::collections::HashMap;\n";
        assert_eq!(scan(text), vec![]);
    }
}
