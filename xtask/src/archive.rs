//! Unpacking a student's archive (`.zip`, `.tar`, `.tar.gz`, `.tgz`) into a
//! fresh folder, for `cargo xtask grade-batch`.
//!
//! An archive is untrusted input. This module owns the rules that keep its
//! contents inside the folder they are unpacked into: an entry whose path is
//! absolute or climbs out with `..` refuses the whole archive, and so does a
//! link whose target points outside; links that stay inside are not created
//! at all (a crate needs none, and links among links could escape where
//! each one alone would not). The unpacked size and the number of entries
//! are capped, counting the bytes actually written rather than the sizes an
//! archive declares, so a compression bomb stops early. Devices and pipes
//! are skipped.
//!
//! It knows nothing of crates or grading: it unpacks, or says why not.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Caps on what one archive may unpack to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Bytes written in all. A lab crate is a few hundred kilobytes; more
    /// usually means a `target/` folder was packed.
    pub(crate) max_bytes: u64,
    /// Entries (files, folders, links).
    pub(crate) max_entries: usize,
}

impl Limits {
    /// The caps of a batch: 100 MiB and 20,000 entries.
    pub(crate) const SUBMISSION: Limits = Limits {
        max_bytes: 100 * 1024 * 1024,
        max_entries: 20_000,
    };
}

/// The kinds of archive a submission may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArchiveKind {
    Zip,
    Tar,
    /// A gzip-compressed tar (`.tar.gz` or `.tgz`).
    TarGz,
}

impl ArchiveKind {
    /// The archive kind a file name says, and the name without its
    /// extension (`alice.tar.gz` is `alice`); `None` for other files.
    /// Extensions are matched without regard to case.
    pub(crate) fn of_file_name(file_name: &str) -> Option<(ArchiveKind, &str)> {
        let lower = file_name.to_ascii_lowercase();
        let kinds = [
            (".tar.gz", ArchiveKind::TarGz),
            (".tgz", ArchiveKind::TarGz),
            (".tar", ArchiveKind::Tar),
            (".zip", ArchiveKind::Zip),
        ];
        kinds.into_iter().find_map(|(extension, kind)| {
            let stem_len = lower.strip_suffix(extension)?.len();
            (stem_len > 0).then(|| (kind, &file_name[..stem_len]))
        })
    }
}

/// What an unpacking did besides writing files.
#[derive(Debug, Default)]
pub(crate) struct Unpacked {
    pub(crate) files: usize,
    pub(crate) bytes: u64,
    /// Entries not created, each with the reason (`src/link -> lib.rs: a
    /// link`).
    pub(crate) skipped: Vec<String>,
}

/// Unpacks `archive` into `destination`, which must not exist yet (it is
/// created), within `limits`. On an error the caller should remove
/// `destination`: it may hold the entries unpacked before the one that was
/// refused, all of them inside it.
pub(crate) fn unpack(
    archive: &Path,
    kind: ArchiveKind,
    destination: &Path,
    limits: Limits,
) -> Result<Unpacked> {
    std::fs::create_dir(destination)
        .with_context(|| format!("could not create {}", destination.display()))?;
    let file =
        File::open(archive).with_context(|| format!("could not open {}", archive.display()))?;
    let mut writer = Writer {
        destination,
        limits,
        unpacked: Unpacked::default(),
        entries: 0,
    };
    match kind {
        ArchiveKind::Zip => unpack_zip(file, &mut writer),
        ArchiveKind::Tar => unpack_tar(BufReader::new(file), &mut writer),
        ArchiveKind::TarGz => unpack_tar(
            flate2::read::GzDecoder::new(BufReader::new(file)),
            &mut writer,
        ),
    }?;
    Ok(writer.unpacked)
}

/// Where entries go, and the running totals checked against the caps.
struct Writer<'a> {
    destination: &'a Path,
    limits: Limits,
    unpacked: Unpacked,
    entries: usize,
}

impl Writer<'_> {
    /// Counts one more entry against the limit.
    fn count_entry(&mut self) -> Result<()> {
        self.entries += 1;
        if self.entries > self.limits.max_entries {
            bail!(
                "the archive holds more than {} entries; a lab submission is one crate (was a \
                 target/ folder packed?)",
                self.limits.max_entries
            );
        }
        Ok(())
    }

    fn create_dir(&mut self, relative: &Path) -> Result<()> {
        let path = self.destination.join(relative);
        std::fs::create_dir_all(&path)
            .with_context(|| format!("could not create {}", path.display()))
    }

    /// Writes one file, counting the bytes really written against the
    /// limit.
    fn write_file(&mut self, relative: &Path, contents: &mut dyn Read) -> Result<()> {
        let path = self.destination.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("could not create {}", parent.display()))?;
        }
        let mut file =
            File::create(&path).with_context(|| format!("could not create {}", path.display()))?;
        let allowance = self.limits.max_bytes - self.unpacked.bytes;
        // One byte more than allowed tells "exactly at the cap" from "over".
        let written = std::io::copy(&mut contents.take(allowance + 1), &mut file)
            .with_context(|| format!("could not unpack {}", relative.display()))?;
        if written > allowance {
            bail!(
                "the archive unpacks to more than {} KiB; a lab submission is one crate (was a \
                 target/ folder packed?)",
                self.limits.max_bytes / 1024
            );
        }
        self.unpacked.bytes += written;
        self.unpacked.files += 1;
        Ok(())
    }

    /// A link entry: refused if it points outside, otherwise not created.
    fn skip_link(&mut self, relative: &Path, target: &Path, kind: &str) -> Result<()> {
        let parent = relative.parent().unwrap_or(Path::new(""));
        let resolved = if target.is_absolute() {
            None
        } else {
            enclosed(&parent.join(target))
        };
        if resolved.is_none() {
            bail!(
                "the archive holds a {kind} that points outside it: {} -> {}",
                relative.display(),
                target.display()
            );
        }
        self.unpacked.skipped.push(format!(
            "{} -> {}: a {kind} (links are not unpacked)",
            relative.display(),
            target.display()
        ));
        Ok(())
    }
}

/// The entry's path made relative to the destination, or `None` if it is
/// absolute or climbs out (`..` beyond its start). `.` parts are dropped;
/// `a/../b` is `b`.
fn enclosed(path: &Path) -> Option<PathBuf> {
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.iter().collect())
}

/// Checks an entry's name and returns its safe relative path; `None` for an
/// entry to leave out (the archive's root itself, macOS resource forks).
fn checked_entry_path(name: &Path) -> Result<Option<PathBuf>> {
    let text = name.to_string_lossy();
    if text.contains('\0') {
        bail!("the archive holds an entry whose name contains a NUL byte");
    }
    let Some(relative) = enclosed(name) else {
        bail!(
            "the archive holds an entry that would be written outside it: {} (absolute paths \
             and `..` are refused)",
            name.display()
        );
    };
    if name.components().any(|part| part == Component::ParentDir) {
        // Even `a/../b` is refused: no honest archiver writes it, and what it
        // means depends on whether `a` is a link.
        bail!(
            "the archive holds an entry whose path goes through `..`: {}",
            name.display()
        );
    }
    let is_resource_fork = relative
        .components()
        .next()
        .is_some_and(|first| first.as_os_str() == "__MACOSX");
    if relative.as_os_str().is_empty() || is_resource_fork {
        return Ok(None);
    }
    Ok(Some(relative))
}

fn unpack_zip(file: File, writer: &mut Writer<'_>) -> Result<()> {
    let mut archive =
        zip::ZipArchive::new(BufReader::new(file)).context("not a readable zip archive")?;
    for entry_idx in 0..archive.len() {
        writer.count_entry()?;
        let mut entry = archive
            .by_index(entry_idx)
            .with_context(|| format!("could not read entry {entry_idx} of the zip archive"))?;
        // Zip names use `/`; some Windows tools wrote `\`, which would
        // otherwise hide a `..` from the check.
        let name = PathBuf::from(entry.name().replace('\\', "/"));
        let Some(relative) = checked_entry_path(&name)? else {
            continue;
        };
        if entry.is_symlink() {
            let mut target = String::new();
            entry
                .read_to_string(&mut target)
                .with_context(|| format!("could not read the link {}", name.display()))?;
            writer.skip_link(&relative, Path::new(&target), "symbolic link")?;
        } else if entry.is_dir() {
            writer.create_dir(&relative)?;
        } else {
            writer.write_file(&relative, &mut entry)?;
        }
    }
    Ok(())
}

fn unpack_tar(reader: impl Read, writer: &mut Writer<'_>) -> Result<()> {
    let mut archive = tar::Archive::new(reader);
    let entries = archive.entries().context("not a readable tar archive")?;
    for entry in entries {
        writer.count_entry()?;
        let mut entry = entry.context("could not read the next entry of the tar archive")?;
        let name = entry
            .path()
            .context("a tar entry has an unreadable name")?
            .into_owned();
        let Some(relative) = checked_entry_path(&name)? else {
            continue;
        };
        let entry_type = entry.header().entry_type();
        match entry_type {
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                writer.write_file(&relative, &mut entry)?;
            }
            tar::EntryType::Directory => writer.create_dir(&relative)?,
            tar::EntryType::Symlink | tar::EntryType::Link => {
                let target = entry
                    .link_name()
                    .context("a tar link has an unreadable target")?
                    .map(|target| target.into_owned())
                    .unwrap_or_default();
                if entry_type == tar::EntryType::Symlink {
                    writer.skip_link(&relative, &target, "symbolic link")?;
                } else {
                    // A hard link's target is a path inside the archive,
                    // relative to its root rather than to the link.
                    if enclosed(&target).is_none() {
                        bail!(
                            "the archive holds a hard link that points outside it: {} -> {}",
                            relative.display(),
                            target.display()
                        );
                    }
                    writer.unpacked.skipped.push(format!(
                        "{} -> {}: a hard link (links are not unpacked)",
                        relative.display(),
                        target.display()
                    ));
                }
            }
            tar::EntryType::XGlobalHeader | tar::EntryType::XHeader => {}
            other => writer.unpacked.skipped.push(format!(
                "{}: not a file or folder ({other:?})",
                relative.display()
            )),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_with(entries: &[(&str, &[u8])]) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().unwrap();
        let mut zip = zip::ZipWriter::new(file.reopen().unwrap());
        for (name, contents) in entries {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(contents).unwrap();
        }
        zip.finish().unwrap();
        file
    }

    /// A tar with raw names, written by hand: `tar::Builder` refuses the
    /// very names these tests need.
    fn tar_with(entries: &[(&str, tar::EntryType, &str, &[u8])]) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().unwrap();
        let mut builder = tar::Builder::new(file.reopen().unwrap());
        for (name, entry_type, link, contents) in entries {
            let mut header = tar::Header::new_old();
            let name_field = &mut header.as_old_mut().name;
            name_field[..name.len()].copy_from_slice(name.as_bytes());
            let link_field = &mut header.as_old_mut().linkname;
            link_field[..link.len()].copy_from_slice(link.as_bytes());
            header.set_entry_type(*entry_type);
            header.set_size(contents.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder.append(&header, *contents).unwrap();
        }
        builder.finish().unwrap();
        file
    }

    fn unpack_into(archive: &Path, kind: ArchiveKind) -> (tempfile::TempDir, Result<Unpacked>) {
        let parent = tempfile::tempdir().unwrap();
        let result = unpack(
            archive,
            kind,
            &parent.path().join("inside"),
            Limits::SUBMISSION,
        );
        (parent, result)
    }

    /// Every file under `dir`, relative to it.
    fn files_under(dir: &Path) -> Vec<String> {
        let mut found = Vec::new();
        let mut pending = vec![dir.to_path_buf()];
        while let Some(folder) = pending.pop() {
            for entry in std::fs::read_dir(folder).unwrap().flatten() {
                if entry.file_type().unwrap().is_dir() {
                    pending.push(entry.path());
                } else {
                    let relative = entry.path().strip_prefix(dir).unwrap().to_path_buf();
                    found.push(relative.display().to_string());
                }
            }
        }
        found.sort();
        found
    }

    #[test]
    fn archive_kinds_come_from_the_extension() {
        assert_eq!(
            ArchiveKind::of_file_name("alice.tar.gz"),
            Some((ArchiveKind::TarGz, "alice"))
        );
        assert_eq!(
            ArchiveKind::of_file_name("Bob Smith.TGZ"),
            Some((ArchiveKind::TarGz, "Bob Smith"))
        );
        assert_eq!(
            ArchiveKind::of_file_name("c.tar"),
            Some((ArchiveKind::Tar, "c"))
        );
        assert_eq!(
            ArchiveKind::of_file_name("d.e.zip"),
            Some((ArchiveKind::Zip, "d.e"))
        );
        assert_eq!(ArchiveKind::of_file_name("notes.txt"), None);
        assert_eq!(ArchiveKind::of_file_name(".zip"), None);
    }

    #[test]
    fn a_zip_unpacks_its_files_and_folders() {
        let archive = zip_with(&[
            ("crate/Cargo.toml", b"[package]\n"),
            ("crate/src/lib.rs", b"pub fn f() {}\n"),
            ("__MACOSX/crate/._lib.rs", b"fork"),
        ]);
        let (parent, result) = unpack_into(archive.path(), ArchiveKind::Zip);
        let unpacked = result.unwrap();
        assert_eq!(unpacked.files, 2);
        assert_eq!(
            files_under(&parent.path().join("inside")),
            ["crate/Cargo.toml", "crate/src/lib.rs"]
        );
    }

    #[test]
    fn entries_that_climb_out_or_are_absolute_are_refused() {
        for name in ["../evil", "crate/../../evil", "/tmp/evil", "..\\evil"] {
            let archive = zip_with(&[("Cargo.toml", b"ok"), (name, b"evil")]);
            let (parent, result) = unpack_into(archive.path(), ArchiveKind::Zip);
            let message = format!("{:#}", result.unwrap_err());
            assert!(
                message.contains("outside") || message.contains(".."),
                "{name}: {message}"
            );
            assert_eq!(files_under(parent.path()), ["inside/Cargo.toml"], "{name}");
        }
        let archive = tar_with(&[("../evil", tar::EntryType::Regular, "", b"evil")]);
        let (parent, result) = unpack_into(archive.path(), ArchiveKind::Tar);
        assert!(format!("{:#}", result.unwrap_err()).contains("../evil"));
        assert!(files_under(parent.path()).is_empty());
    }

    #[test]
    fn links_are_never_created_and_refused_if_they_point_outside() {
        let archive = tar_with(&[
            ("src/lib.rs", tar::EntryType::Regular, "", b"pub fn f() {}"),
            ("src/alias.rs", tar::EntryType::Symlink, "lib.rs", b""),
        ]);
        let (parent, result) = unpack_into(archive.path(), ArchiveKind::Tar);
        let unpacked = result.unwrap();
        assert_eq!(unpacked.skipped.len(), 1, "{:?}", unpacked.skipped);
        assert_eq!(files_under(parent.path()), ["inside/src/lib.rs"]);

        for (link, entry_type) in [
            ("../../etc/passwd", tar::EntryType::Symlink),
            ("/etc/passwd", tar::EntryType::Symlink),
            ("../outside", tar::EntryType::Link),
        ] {
            let archive = tar_with(&[("src/escape", entry_type, link, b"")]);
            let (parent, result) = unpack_into(archive.path(), ArchiveKind::Tar);
            let message = format!("{:#}", result.unwrap_err());
            assert!(message.contains("points outside"), "{link}: {message}");
            assert!(files_under(parent.path()).is_empty());
        }
    }

    #[test]
    fn a_tar_gz_unpacks_like_a_tar() {
        let file = tempfile::NamedTempFile::new().unwrap();
        let encoder =
            flate2::write::GzEncoder::new(file.reopen().unwrap(), flate2::Compression::fast());
        let mut builder = tar::Builder::new(encoder);
        let mut header = tar::Header::new_gnu();
        header.set_size(3);
        header.set_mode(0o644);
        builder
            .append_data(&mut header, "alice/Cargo.toml", &b"abc"[..])
            .unwrap();
        builder.into_inner().unwrap().finish().unwrap();
        let (parent, result) = unpack_into(file.path(), ArchiveKind::TarGz);
        assert_eq!(result.unwrap().bytes, 3);
        assert_eq!(files_under(parent.path()), ["inside/alice/Cargo.toml"]);
    }

    #[test]
    fn an_archive_that_unpacks_too_large_or_too_many_stops_at_the_cap() {
        let limits = Limits {
            max_bytes: 64 * 1024,
            max_entries: 3,
        };
        let parent = tempfile::tempdir().unwrap();
        // Highly compressible: the zip is small, its contents are not. The
        // cap counts bytes written, not the size the archive declares.
        let zeros = vec![0u8; 40 * 1024];
        let archive = zip_with(&[("a", &zeros), ("b", &zeros)]);
        let result = unpack(
            archive.path(),
            ArchiveKind::Zip,
            &parent.path().join("big"),
            limits,
        );
        assert!(
            format!("{:#}", result.unwrap_err()).contains("more than 64 KiB"),
            "the size cap is reported"
        );
        let archive = zip_with(&[("a", b""), ("b", b""), ("c", b""), ("d", b"")]);
        let result = unpack(
            archive.path(),
            ArchiveKind::Zip,
            &parent.path().join("many"),
            limits,
        );
        assert!(
            format!("{:#}", result.unwrap_err()).contains("more than 3 entries"),
            "the entry cap is reported"
        );
        let archive = zip_with(&[("a", &zeros), ("b", b"")]);
        let result = unpack(
            archive.path(),
            ArchiveKind::Zip,
            &parent.path().join("fits"),
            limits,
        );
        assert_eq!(result.unwrap().bytes, zeros.len() as u64);
    }

    #[test]
    fn garbage_is_not_an_archive() {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), b"this is not a zip").unwrap();
        let (_parent, result) = unpack_into(file.path(), ArchiveKind::Zip);
        assert!(format!("{:#}", result.unwrap_err()).contains("not a readable zip archive"));
    }
}
