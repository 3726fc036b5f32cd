//! Capture files to read: one file, or a directory read in name order.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// Lists the capture files named by `-r`: the file itself, or the regular files of a
/// directory sorted by name (descending into subdirectories when `recursive`).
pub fn list_inputs(path: &Path, recursive: bool) -> io::Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    collect(path, recursive, 0, &mut out)?;
    out.sort();
    Ok(out)
}

/// Directory nesting followed at most (guards against link loops).
const MAX_DIR_DEPTH: usize = 32;

fn collect(dir: &Path, recursive: bool, depth: usize, out: &mut Vec<PathBuf>) -> io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        let Ok(ft) = std::fs::metadata(&p).map(|m| m.file_type()) else {
            continue;
        };
        if ft.is_file() {
            // Skip hidden files such as editor droppings, as a directory reader should.
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            out.push(p);
        } else if ft.is_dir() && recursive && depth < MAX_DIR_DEPTH {
            collect(&p, recursive, depth + 1, out)?;
        }
    }
    Ok(())
}

/// The bytes of a capture file, mapped into memory (read into a buffer when mapping is not
/// possible, e.g. for a pipe or an empty file).
pub enum FileBytes {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
}

impl FileBytes {
    #[allow(unsafe_code)]
    pub fn open(path: &Path) -> io::Result<FileBytes> {
        let file = File::open(path)?;
        let meta = file.metadata()?;
        if meta.is_file() && meta.len() > 0 {
            // SAFETY: the map is read-only and private to this process. If another process
            // truncates the file while we read it, accesses past the new end fault (SIGBUS);
            // that is the accepted risk of reading captures zero-copy, as every mmap-based
            // capture reader takes it. Nothing in Palisade writes to input captures.
            match unsafe { memmap2::MmapOptions::new().map(&file) } {
                Ok(m) => {
                    #[cfg(unix)]
                    let _ = m.advise(memmap2::Advice::Sequential);
                    return Ok(FileBytes::Mapped(m));
                }
                Err(_) => { /* fall back to reading */ }
            }
        }
        let mut buf = Vec::new();
        io::Read::read_to_end(&mut &file, &mut buf)?;
        Ok(FileBytes::Owned(buf))
    }

    /// Tells the kernel the mapped pages before `upto` will not be read again, so that a
    /// long capture read front to back does not keep every page it has passed resident.
    /// The bytes stay readable (a later access reads them from the file again).
    #[allow(unsafe_code)]
    pub fn release_before(&self, upto: usize) {
        #[cfg(unix)]
        if let FileBytes::Mapped(m) = self {
            let upto = upto.min(m.len());
            if upto == 0 {
                return;
            }
            // SAFETY: the mapping is a private, read-only map of a file. MADV_DONTNEED on
            // it only drops the resident copies of the pages; a later read faults them
            // in again from the file, with the same contents, so every slice handed out
            // keeps reading the same bytes.
            let _ =
                unsafe { m.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, 0, upto) };
        }
        #[cfg(not(unix))]
        let _ = upto;
    }

    pub fn bytes(&self) -> &[u8] {
        match self {
            FileBytes::Mapped(m) => m,
            FileBytes::Owned(v) => v,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_in_name_order() {
        let dir = std::env::temp_dir().join(format!("palisade-input-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        for n in ["b.pcap", "a.pcap", "c.pcapng", ".hidden", "sub/d.pcap"] {
            std::fs::write(dir.join(n), b"x").unwrap();
        }
        let names = |v: Vec<PathBuf>| -> Vec<String> {
            v.iter()
                .map(|p| p.strip_prefix(&dir).unwrap().to_string_lossy().into_owned())
                .collect()
        };
        assert_eq!(
            names(list_inputs(&dir, false).unwrap()),
            ["a.pcap", "b.pcap", "c.pcapng"]
        );
        assert_eq!(
            names(list_inputs(&dir, true).unwrap()),
            ["a.pcap", "b.pcap", "c.pcapng", "sub/d.pcap"]
        );
        let f = dir.join("a.pcap");
        assert_eq!(list_inputs(&f, false).unwrap(), vec![f.clone()]);
        assert_eq!(FileBytes::open(&f).unwrap().bytes(), b"x");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
