//! Loading rule files the way Suricata's loader does.

use std::collections::HashMap;
use std::path::Path;

use crate::ast::Rule;
use crate::header::HeaderCache;
use crate::lex::MAX_RULE_LEN;
use crate::{parse_rule_cached, RuleContext, RuleError};

/// Outcome of loading rule files.
#[derive(Debug, Clone, Default)]
pub struct LoadResult {
    /// Rules that loaded (a rule replaced by a higher revision of the same
    /// sid is removed from here but still counted in `loaded`, as Suricata does).
    pub rules: Vec<Rule>,
    pub errors: Vec<RuleError>,
    /// Suricata's "rules successfully loaded" count.
    pub loaded: usize,
    /// Suricata's "rules failed" count.
    pub failed: usize,
    /// Rules Suricata drops with a warning only (neither loaded nor failed;
    /// listed in `warnings`).
    pub skipped: usize,
    pub warnings: Vec<RuleError>,
    /// Rule files processed.
    pub files: usize,
    /// Files that could not be read (also reported in `file_errors`).
    pub bad_files: usize,
    pub file_errors: Vec<String>,
}

impl LoadResult {
    /// Suricata 7.0.10's summary line (its last number is the count of
    /// silently skipped rules). When nothing loaded, Suricata prints
    /// instead the warning "N rule files specified, but no rules were loaded!".
    pub fn summary(&self) -> String {
        if self.loaded == 0 && self.files > 0 {
            return format!(
                "{} rule files specified, but no rules were loaded!",
                self.files
            );
        }
        format!(
            "{} rule files processed. {} rules successfully loaded, {} rules failed, {}",
            self.files, self.loaded, self.failed, self.skipped
        )
    }
}

/// Incremental loader keeping the duplicate-sid table across files.
pub struct Loader<'a> {
    ctx: &'a RuleContext,
    result: LoadResult,
    /// (gid, sid) -> index in result.rules
    by_sid: HashMap<(u32, u32), usize>,
    cache: HeaderCache,
}

impl<'a> Loader<'a> {
    pub fn new(ctx: &'a RuleContext) -> Self {
        Loader {
            ctx,
            result: LoadResult::default(),
            by_sid: HashMap::new(),
            cache: HeaderCache::default(),
        }
    }

    /// Loads one file from disk.
    pub fn load_file(&mut self, path: &Path) {
        let name = path.display().to_string();
        self.result.files += 1;
        match std::fs::read(path) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                self.load_text(&text, &name);
            }
            Err(e) => {
                self.result.bad_files += 1;
                self.result
                    .file_errors
                    .push(format!("opening rule file {name}: {e}"));
            }
        }
    }

    /// Loads rules from text (`file` is used in messages only).
    pub fn load_text(&mut self, text: &str, file: &str) {
        for (line, rule) in logical_rules(text) {
            self.add(&rule, file, line);
        }
    }

    fn add(&mut self, text: &str, file: &str, line: usize) {
        if text.len() > MAX_RULE_LEN {
            self.fail(RuleError {
                file: file.into(),
                line,
                keyword: None,
                reason: format!("rule longer than {MAX_RULE_LEN} bytes"),
                rule: text.into(),
                silent: false,
            });
            return;
        }
        match parse_rule_cached(text, self.ctx, &mut self.cache, file, line) {
            Ok(rule) => {
                let key = (rule.gid, rule.sid);
                if let Some(&i) = self.by_sid.get(&key) {
                    let old_rev = self.result.rules.get(i).map(|r| r.rev).unwrap_or(0);
                    if rule.rev > old_rev {
                        // Newer revision replaces the older one.
                        if let Some(slot) = self.result.rules.get_mut(i) {
                            *slot = rule;
                        }
                        self.result.loaded += 1;
                    } else {
                        self.fail(RuleError {
                            file: file.into(),
                            line,
                            keyword: Some("sid".into()),
                            reason: format!("Duplicate signature (gid {} sid {})", key.0, key.1),
                            rule: text.into(),
                            silent: false,
                        });
                    }
                    return;
                }
                self.by_sid.insert(key, self.result.rules.len());
                self.result.rules.push(rule);
                self.result.loaded += 1;
            }
            Err(e) if e.silent => {
                self.result.skipped += 1;
                self.result.warnings.push(e);
            }
            Err(e) => self.fail(e),
        }
    }

    fn fail(&mut self, e: RuleError) {
        self.result.failed += 1;
        self.result.errors.push(e);
    }

    pub fn finish(mut self) -> LoadResult {
        // Spare capacity of the doubling vector is up to half of it (528 B a rule).
        self.result.rules.shrink_to_fit();
        self.result
    }
}

/// Splits a rule file into rules: (first line number, rule text).
///
/// Like Suricata: a line starting with `#`, space, tab, CR or nothing is
/// skipped (unless it continues a rule); a line whose last non-space
/// character is `\` continues on the next line, the backslash removed; a
/// continuation left open at the end of the file is dropped.
pub fn logical_rules(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start = 0usize;
    let mut continuing = false;
    for (i, raw) in text.split('\n').enumerate() {
        let lineno = i + 1;
        if !continuing {
            match raw.as_bytes().first() {
                None | Some(b'\r') | Some(b' ') | Some(b'#') | Some(b'\t') => continue,
                _ => {}
            }
            start = lineno;
        }
        let trimmed = raw.trim_end();
        if let Some(body) = trimmed.strip_suffix('\\') {
            cur.push_str(body);
            continuing = true;
            if cur.len() > MAX_RULE_LEN * 4 {
                // Bound memory: hand the oversized rule over (it fails).
                out.push((start, std::mem::take(&mut cur)));
                continuing = false;
            }
            continue;
        }
        cur.push_str(raw.strip_suffix('\r').unwrap_or(raw));
        continuing = false;
        out.push((start, std::mem::take(&mut cur)));
    }
    // The last split piece after a final '\n' is empty and skipped above.
    out
}

/// Loads several rule files with one duplicate-sid table.
pub fn load_rule_files<P: AsRef<Path>>(paths: &[P], ctx: &RuleContext) -> LoadResult {
    let mut l = Loader::new(ctx);
    for p in paths {
        l.load_file(p.as_ref());
    }
    l.finish()
}

/// Loads rules from a string.
pub fn load_rules_str(text: &str, file: &str, ctx: &RuleContext) -> LoadResult {
    let mut l = Loader::new(ctx);
    l.result.files = 1;
    l.load_text(text, file);
    l.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitting() {
        let text = "# c\n\nalert a\n  indented\n\tx\nalert b \\\n  cont\nalert c\r\nalert d \\";
        let r = logical_rules(text);
        assert_eq!(
            r,
            vec![
                (3, "alert a".to_string()),
                (6, "alert b   cont".to_string()),
                (8, "alert c".to_string())
            ]
        );
    }
}
