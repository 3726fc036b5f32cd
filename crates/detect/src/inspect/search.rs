//! Single-pattern search: exact (memchr's memmem) and ASCII case-insensitive.

use memchr::memmem::Finder;

/// A content pattern prepared for repeated searches.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    /// The pattern as written (exact), or lower-cased (nocase).
    bytes: Vec<u8>,
    nocase: bool,
    finder: Finder<'static>,
    /// nocase: index of the pattern byte used to find candidates, its two cases.
    anchor: usize,
    anchor_cases: (u8, u8),
}

/// Rough frequency rank of a byte in network payloads (higher = more common); used to pick
/// the candidate byte of case-insensitive searches.
fn commonness(b: u8) -> u8 {
    match b {
        0 => 250,
        b' ' | b'e' | b't' | b'a' | b'o' | b'i' | b'n' | b's' | b'r' => 200,
        b'a'..=b'z' | b'0'..=b'9' => 120,
        b'\r' | b'\n' | b'/' | b'.' | b'=' | b':' | b'-' | b'_' | 0xff => 100,
        _ => 40,
    }
}

impl Pattern {
    pub(crate) fn new(pat: &[u8], nocase: bool) -> Pattern {
        let bytes: Vec<u8> = if nocase {
            pat.iter().map(u8::to_ascii_lowercase).collect()
        } else {
            pat.to_vec()
        };
        let finder = Finder::new(&bytes).into_owned();
        let anchor = (0..bytes.len())
            .min_by_key(|&i| commonness(bytes[i]))
            .unwrap_or(0);
        let a = bytes.get(anchor).copied().unwrap_or(0);
        Pattern {
            anchor_cases: (a, a.to_ascii_uppercase()),
            bytes,
            nocase,
            finder,
            anchor,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Start of the first occurrence in `hay`.
    pub(crate) fn find(&self, hay: &[u8]) -> Option<usize> {
        if !self.nocase {
            return self.finder.find(hay);
        }
        let n = self.bytes.len();
        if n == 0 || hay.len() < n {
            return if n == 0 { Some(0) } else { None };
        }
        let (lo, up) = self.anchor_cases;
        // Candidate positions of the anchor byte, restricted so the whole pattern fits.
        let first = self.anchor;
        let last_start = hay.len() - n;
        let region = &hay[first..=last_start + first];
        let mut from = 0;
        while from < region.len() {
            let rel = if lo == up {
                memchr::memchr(lo, &region[from..])
            } else {
                memchr::memchr2(lo, up, &region[from..])
            }?;
            let start = from + rel;
            if hay[start..start + n].eq_ignore_ascii_case(&self.bytes) {
                return Some(start);
            }
            from = start + 1;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_and_nocase() {
        let p = Pattern::new(b"AbC", false);
        assert_eq!(p.find(b"xxabcAbC"), Some(5));
        assert_eq!(p.find(b"abc"), None);
        let p = Pattern::new(b"AbC", true);
        assert_eq!(p.find(b"xxaBcAbC"), Some(2));
        assert_eq!(p.find(b"ab"), None);
        let p = Pattern::new(b"|\x00Z", true);
        assert_eq!(p.find(b"..|\x00z"), Some(2));
        assert_eq!(p.find(b"..|\x01z"), None);
    }
}
