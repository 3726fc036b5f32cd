//! `pcre` with PCRE2 (JIT when available), Suricata's flags and match limits.
//!
//! The pcre2 crate exposes neither compile options for `A`/`E`/`G` nor match limits, so:
//! - `A` (anchored): a match must start at the start offset; PCRE2 returns the leftmost
//!   match, which starts there whenever an anchored match exists;
//! - `G` (ungreedy): `(?U)` after the pattern's leading `(*...)` items;
//! - `E` (dollar end-only, ignored with `m`): each `$` metacharacter becomes `\z`;
//! - match limits (`pcre.match-limit`, `-recursion`; none with `O`): the pattern-start
//!   items `(*LIMIT_MATCH=n)(*LIMIT_DEPTH=n)`.
//!
//! Memory: a full rule set has thousands of pcres, most of which never run (their
//! rule's prefilter never fires, or their app layer is absent). JIT code and the
//! crate's per-regex match-data pools cost several KB per pattern, so the engine build
//! only checks that the pattern compiles (without JIT) and keeps its text; the JIT
//! compiled regex is made on the first search and kept.

use std::sync::OnceLock;

use palisade_rules::values::Pcre;

use super::InspectConfig;

/// PCRE2 compile options taken from the rule's flags.
#[derive(Debug, Clone, Copy, Default)]
struct Opts {
    caseless: bool,
    dotall: bool,
    multi_line: bool,
    extended: bool,
}

impl Opts {
    fn builder(self, jit: bool) -> pcre2::bytes::RegexBuilder {
        let mut b = pcre2::bytes::RegexBuilder::new();
        b.jit_if_available(jit)
            .caseless(self.caseless)
            .dotall(self.dotall)
            .multi_line(self.multi_line)
            .extended(self.extended);
        b
    }
}

#[derive(Debug)]
pub(crate) struct PcreItem {
    /// The pattern handed to PCRE2 (limits, verbs and rewrites included).
    full: Box<str>,
    opts: Opts,
    /// Compiled (with JIT when available) on the first search; `None` if that failed.
    re: OnceLock<Option<pcre2::bytes::Regex>>,
    pub negated: bool,
    pub relative: bool,
    anchored: bool,
    /// A following keyword is relative to this pcre: retry on its failure.
    pub relative_next: bool,
}

/// Length of the leading `(*...)` items of a pattern.
fn leading_verbs(p: &str) -> usize {
    let b = p.as_bytes();
    let mut i = 0;
    while b.get(i) == Some(&b'(') && b.get(i + 1) == Some(&b'*') {
        match b[i..].iter().position(|&c| c == b')') {
            Some(e) => i += e + 1,
            None => break,
        }
    }
    i
}

/// Replaces the `$` metacharacters (outside escapes and classes) by `\z`.
fn dollar_endonly(p: &str) -> String {
    let b = p.as_bytes();
    let mut out = Vec::with_capacity(b.len() + 8);
    let mut i = 0;
    let mut in_class = false;
    let mut quoted = false;
    while i < b.len() {
        let c = b[i];
        if quoted {
            if c == b'\\' && b.get(i + 1) == Some(&b'E') {
                quoted = false;
                out.extend_from_slice(b"\\E");
                i += 2;
                continue;
            }
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            b'\\' => {
                if b.get(i + 1) == Some(&b'Q') {
                    quoted = true;
                }
                out.push(c);
                if let Some(&n) = b.get(i + 1) {
                    out.push(n);
                }
                i += 2;
                continue;
            }
            b'[' if !in_class => {
                in_class = true;
                out.push(c);
                i += 1;
                // A `]` right after `[` or `[^` is literal.
                if b.get(i) == Some(&b'^') {
                    out.push(b'^');
                    i += 1;
                }
                if b.get(i) == Some(&b']') {
                    out.push(b']');
                    i += 1;
                }
                continue;
            }
            b'[' if in_class && b.get(i + 1) == Some(&b':') => {
                // POSIX class [:name:]
                if let Some(e) = p[i + 2..].find(":]") {
                    out.extend_from_slice(&b[i..i + 2 + e + 2]);
                    i += 2 + e + 2;
                    continue;
                }
                out.push(c);
            }
            b']' if in_class => {
                in_class = false;
                out.push(c);
            }
            b'$' if !in_class => out.extend_from_slice(b"\\z"),
            _ => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| p.to_string())
}

impl PcreItem {
    pub fn compile(p: &Pcre, cfg: &InspectConfig) -> Result<PcreItem, String> {
        let mut opts = Opts::default();
        let (mut anchored, mut endonly, mut ungreedy, mut nolimit, mut multiline) =
            (false, false, false, false, false);
        for f in p.flags.chars() {
            match f {
                'i' => opts.caseless = true,
                's' => opts.dotall = true,
                'm' => {
                    opts.multi_line = true;
                    multiline = true;
                }
                'x' => opts.extended = true,
                'A' => anchored = true,
                'E' => endonly = true,
                'G' => ungreedy = true,
                'O' => nolimit = true,
                _ => {}
            }
        }
        let pat = &p.pattern;
        let lv = leading_verbs(pat);
        let (verbs, body) = pat.split_at(lv);
        let body = if endonly && !multiline {
            dollar_endonly(body)
        } else {
            body.to_string()
        };
        let mut full = String::with_capacity(pat.len() + 48);
        if !nolimit {
            full.push_str(&format!(
                "(*LIMIT_MATCH={})(*LIMIT_DEPTH={})",
                cfg.pcre_match_limit.max(1),
                cfg.pcre_match_limit_recursion.max(1)
            ));
        }
        full.push_str(verbs);
        if ungreedy {
            full.push_str("(?U)");
        }
        full.push_str(&body);
        // Checked now (a pattern PCRE2 rejects skips the rule at build time), JIT
        // compiled when first used.
        opts.builder(false)
            .build(&full)
            .map_err(|e| format!("pcre2 compile of \"{pat}\" failed: {e}"))?;
        Ok(PcreItem {
            full: full.into_boxed_str(),
            opts,
            re: OnceLock::new(),
            negated: p.negated,
            relative: p.relative,
            anchored,
            relative_next: false,
        })
    }

    /// One search as Suricata's DetectPcrePayloadMatch: relative pcres see the buffer from
    /// `buffer_offset`; a retry starts at `match_start` (start of the previous match + 1).
    /// On a (non-negated) match, returns the match's absolute `(start, end)`.
    pub fn search(&self, buf: &[u8], buffer_offset: u32, match_start: u32) -> PcreResult {
        let base = if self.relative {
            (buffer_offset as usize).min(buf.len())
        } else {
            0
        };
        let subject = &buf[base..];
        let start = if match_start != 0 {
            (match_start as usize).saturating_sub(base)
        } else {
            0
        };
        if start > subject.len() {
            return PcreResult::NoMatch;
        }
        let re = self
            .re
            .get_or_init(|| self.opts.builder(true).build(&self.full).ok());
        let Some(re) = re else {
            // Compiled at build time, so not expected: treated as a failed search.
            return PcreResult::NoMatch;
        };
        match re.find_at(subject, start) {
            Ok(Some(m)) if !self.anchored || m.start() == start => {
                if self.negated {
                    PcreResult::NoMatch
                } else {
                    PcreResult::Match(base + m.start(), base + m.end())
                }
            }
            Ok(_) => {
                if self.negated {
                    PcreResult::NegatedMatch
                } else {
                    PcreResult::NoMatch
                }
            }
            // Match limit reached or other error: no match, negated or not.
            Err(_) => PcreResult::NoMatch,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PcreResult {
    NoMatch,
    /// A negated pcre that did not match.
    NegatedMatch,
    Match(usize, usize),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites() {
        assert_eq!(leading_verbs("(*UTF)(*UCP)abc"), 12);
        assert_eq!(leading_verbs("abc"), 0);
        assert_eq!(dollar_endonly(r"a$"), r"a\z");
        assert_eq!(dollar_endonly(r"a\$[$]$"), r"a\$[$]\z");
        assert_eq!(dollar_endonly(r"[]$]$"), r"[]$]\z");
        assert_eq!(dollar_endonly(r"\Q$\E$"), r"\Q$\E\z");
    }

    fn pcre(pattern: &str, flags: &str) -> Pcre {
        Pcre {
            pattern: pattern.into(),
            negated: false,
            flags: flags.into(),
            relative: false,
            buffer: None,
        }
    }

    #[test]
    fn compiled_on_first_search_with_the_rule_flags() {
        let cfg = InspectConfig::default();
        let p = PcreItem::compile(&pcre("^ab.c$", "is"), &cfg).expect("valid pattern");
        assert!(
            p.re.get().is_none(),
            "no regex is kept before the first search"
        );
        assert_eq!(p.search(b"AB\nC", 0, 0), PcreResult::Match(0, 4));
        assert!(matches!(p.re.get(), Some(Some(_))));
        assert_eq!(p.search(b"xABC", 0, 0), PcreResult::NoMatch);
        // Without `s` the dot does not take the newline.
        let p = PcreItem::compile(&pcre("ab.c", "i"), &cfg).expect("valid pattern");
        assert_eq!(p.search(b"AB\nC", 0, 0), PcreResult::NoMatch);
    }

    #[test]
    fn bad_pattern_fails_at_build() {
        let cfg = InspectConfig::default();
        assert!(PcreItem::compile(&pcre("a(b", ""), &cfg).is_err());
    }
}
