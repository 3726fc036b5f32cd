//! The ratchet: tests that passed once must keep passing.

use std::collections::BTreeSet;
use std::path::Path;

use crate::run::{Outcome, Report};

/// Test names of a ratchet file: one per line, `#` starts a comment, blank lines ignored.
pub fn parse_ratchet(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

pub fn read_ratchet(path: &Path) -> Result<Vec<String>, String> {
    std::fs::read_to_string(path)
        .map(|t| parse_ratchet(&t))
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Differences between a run and the ratchet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RatchetDiff {
    /// Listed tests that ran and did not pass (failed or skipped), with the outcome line.
    pub regressed: Vec<String>,
    /// Listed tests that the suite does not hold (or that the patterns left out).
    pub not_run: Vec<String>,
    /// Passing tests that are not listed.
    pub newly_passing: Vec<String>,
}

impl RatchetDiff {
    pub fn ok(&self) -> bool {
        self.regressed.is_empty()
    }
}

/// Compares the results with the ratchet list.
pub fn compare_ratchet(report: &Report, listed: &[String]) -> RatchetDiff {
    let listed_set: BTreeSet<&str> = listed.iter().map(String::as_str).collect();
    let mut diff = RatchetDiff::default();
    let mut seen = BTreeSet::new();
    for r in &report.results {
        seen.insert(r.name.as_str());
        let is_listed = listed_set.contains(r.name.as_str());
        match (&r.outcome, is_listed) {
            (Outcome::Pass, false) => diff.newly_passing.push(r.name.clone()),
            (Outcome::Pass, true) => {}
            (_, true) => diff.regressed.push(r.line()),
            (_, false) => {}
        }
    }
    diff.not_run = listed_set
        .iter()
        .filter(|n| !seen.contains(*n))
        .map(|n| n.to_string())
        .collect();
    diff
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Engine, EngineInfo, PALISADE_AS_VERSION};
    use crate::run::TestResult;
    use std::time::Duration;

    #[test]
    fn parse_and_compare() {
        let listed = parse_ratchet("# header\na\n\nb  # note\nc\ngone\n");
        assert_eq!(listed, ["a", "b", "c", "gone"]);
        let res = |name: &str, outcome: Outcome| TestResult {
            name: name.into(),
            outcome,
            duration: Duration::ZERO,
        };
        let report = Report {
            info: EngineInfo {
                engine: Engine::Palisade,
                bin: "/x".into(),
                version: PALISADE_AS_VERSION,
                features: Default::default(),
            },
            out_dir: "/tmp".into(),
            results: vec![
                res("a", Outcome::Pass),
                res("b", Outcome::Fail("why".into())),
                res("c", Outcome::Skip("no".into())),
                res("d", Outcome::Pass),
                res("e", Outcome::Fail("x".into())),
            ],
        };
        let d = compare_ratchet(&report, &listed);
        assert_eq!(d.regressed, ["FAIL b: why", "SKIP c: no"]);
        assert_eq!(d.newly_passing, ["d"]);
        assert_eq!(d.not_run, ["gone"]);
        assert!(!d.ok());
    }
}
