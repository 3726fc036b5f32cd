//! The checks of a test: `filter`, `stats`, `shell`, `file-compare`.

use std::path::Path;

use serde_json::Value;
use yaml_rust2::Yaml;

use crate::requires::{check_requires, ReqEnv, ReqError};
use crate::suite::{entries, get};
use crate::value::{match_key, show_yaml, yaml_to_py_str};
use crate::version::{Expr, Version};

/// Outcome of one check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckOutcome {
    Pass,
    /// The check's own requirements do not hold.
    Skipped(String),
    Fail(String),
}

/// Reads a JSON-lines file (every line must be a JSON value, as the reference runner demands).
pub fn read_json_lines(path: &Path) -> Result<Vec<Value>, String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = std::fs::read(path).map_err(|_| format!("{name} does not exist"))?;
    let text = std::str::from_utf8(&bytes).map_err(|_| format!("{name}: not UTF-8"))?;
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            serde_json::from_str(line)
                .map_err(|e| format!("{name} line {}: invalid JSON: {e}", i + 1))
        })
        .collect()
}

/// Does `record` match every key of `match_` (in order, stopping at the first mismatch)?
pub fn record_matches(record: &Value, match_: &Yaml) -> bool {
    entries(match_)
        .into_iter()
        .all(|(key, expected)| match_key(record, &key, expected))
}

/// Fails on keys a check does not know (as the reference runner does).
fn unexpected_key(check: &Yaml, allowed: &[&str], kind: &str) -> Option<CheckOutcome> {
    entries(check)
        .into_iter()
        .find(|(k, _)| !allowed.contains(&k.as_str()))
        .map(|(k, _)| CheckOutcome::Fail(format!("unexpected key in {kind} check: {k}")))
}

/// A check's own `requires:`.
fn check_own_requires(check: &Yaml, env: &ReqEnv<'_>) -> Option<CheckOutcome> {
    let req = get(check, "requires")?;
    match check_requires(req, env) {
        Ok(()) => None,
        Err(ReqError::Unsatisfied(why)) => Some(CheckOutcome::Skipped(why)),
        Err(ReqError::Invalid(why)) => Some(CheckOutcome::Fail(why)),
    }
}

/// The reference runner rejects a filter requirement that contradicts or repeats the test's
/// own version requirement (`test_min` is the test's `requires: min-version`).
fn filter_version_lint(req: &Yaml, test_min: Option<&Yaml>) -> Result<(), String> {
    let Some(test_min) = test_min else {
        return Ok(());
    };
    if let Some(lt) = get(req, "lt-version") {
        let lt_v = Version::parse(&yaml_to_py_str(lt), Expr::Lt);
        let min_v = Version::parse(&yaml_to_py_str(test_min), Expr::Gte);
        if let (Some(lt_v), Some(min_v)) = (lt_v, min_v) {
            if !min_v.is_lt(&lt_v) {
                return Err(format!(
                    "impossible: test requires min {} and the check lt-version {}",
                    show_yaml(test_min),
                    show_yaml(lt)
                ));
            }
        }
    }
    if let Some(min) = get(req, "min-version") {
        if min == test_min {
            return Err(format!(
                "unnecessary check requirement: min-version {} repeats the test's",
                show_yaml(min)
            ));
        }
    }
    Ok(())
}

/// A `filter:` check, evaluated in the output folder `out`.
pub fn run_filter(
    filter: &Yaml,
    out: &Path,
    env: &ReqEnv<'_>,
    test_min: Option<&Yaml>,
) -> CheckOutcome {
    if let Some(bad) = unexpected_key(
        filter,
        &["count", "match", "filename", "requires", "comment"],
        "filter",
    ) {
        return bad;
    }
    if get(filter, "count").is_none() {
        return CheckOutcome::Fail("filter check missing count".into());
    }
    if get(filter, "match").is_none() {
        return CheckOutcome::Fail("filter check missing match".into());
    }
    if let Some(req) = get(filter, "requires") {
        if let Err(e) = filter_version_lint(req, test_min) {
            return CheckOutcome::Fail(e);
        }
    }
    if let Some(outcome) = check_own_requires(filter, env) {
        return outcome;
    }
    let filename = get(filter, "filename")
        .map(yaml_to_py_str)
        .unwrap_or_else(|| "eve.json".into());
    let Some(want) = get(filter, "count") else {
        return CheckOutcome::Fail("filter check missing count".into());
    };
    let Some(match_ @ Yaml::Hash(_)) = get(filter, "match") else {
        return CheckOutcome::Fail("filter match is not a mapping".into());
    };
    let records = match read_json_lines(&out.join(&filename)) {
        Ok(r) => r,
        Err(e) => return CheckOutcome::Fail(e),
    };
    let mut count: i64 = 0;
    for rec in &records {
        if record_matches(rec, match_) {
            count += 1;
        }
    }
    if crate::value::json_eq_yaml(&Value::from(count), want) {
        return CheckOutcome::Pass;
    }
    let what = match get(filter, "comment") {
        Some(c) => yaml_to_py_str(c).trim().to_string(),
        None => {
            let keys: Vec<String> = entries(match_)
                .into_iter()
                .map(|(k, v)| format!("{k}: {}", show_yaml(v)))
                .collect();
            format!("{{{}}}", keys.join(", "))
        }
    };
    CheckOutcome::Fail(format!(
        "filter {what}: expected {} got {count}",
        show_yaml(want)
    ))
}

/// A `stats:` check: keys of the last `stats` record of eve.json (lines that are not JSON
/// are passed over, as the reference runner does).
pub fn run_stats(stats: &Yaml, out: &Path) -> CheckOutcome {
    let Ok(bytes) = std::fs::read(out.join("eve.json")) else {
        return CheckOutcome::Fail("eve.json not found".into());
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut last = None;
    for line in text.lines() {
        let Ok(rec) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if rec.get("event_type").and_then(Value::as_str) == Some("stats") {
            last = rec.get("stats").cloned();
        }
    }
    let Some(last) = last else {
        return CheckOutcome::Fail("no stats event found in eve.json".into());
    };
    for (key, expected) in entries(stats) {
        if !match_key(&last, &key, expected) {
            let got = crate::value::show_found(&crate::value::find_value(&key, &last));
            return CheckOutcome::Fail(format!(
                "stats.{key}: expected {} got {got}",
                show_yaml(expected)
            ));
        }
    }
    CheckOutcome::Pass
}

/// A `file-compare:` check: `filename` (in the output folder) equals `expected` (in the test
/// folder), byte for byte.
pub fn run_file_compare(fc: &Yaml, out: &Path, test_dir: &Path) -> CheckOutcome {
    if let Some(bad) = unexpected_key(fc, &["requires", "filename", "expected"], "file-compare") {
        return bad;
    }
    let (Some(file), Some(expected)) = (get(fc, "filename"), get(fc, "expected")) else {
        return CheckOutcome::Fail("file-compare needs filename and expected".into());
    };
    let file = yaml_to_py_str(file);
    let expected = yaml_to_py_str(expected);
    let a = match std::fs::read(out.join(&file)) {
        Ok(a) => a,
        Err(e) => return CheckOutcome::Fail(format!("file-compare: {file}: {e}")),
    };
    let b = match std::fs::read(test_dir.join(&expected)) {
        Ok(b) => b,
        Err(e) => return CheckOutcome::Fail(format!("file-compare: {expected}: {e}")),
    };
    if a == b {
        CheckOutcome::Pass
    } else {
        CheckOutcome::Fail(format!("file-compare: {file} differs from {expected}"))
    }
}

/// Result of running a shell command for a check.
pub struct ShellRun {
    pub exit_ok: bool,
    pub stdout: Vec<u8>,
    pub detail: String,
}

/// A `shell:` check. `run` executes the command in the output folder.
pub fn run_shell_check(
    shell: &Yaml,
    env: &ReqEnv<'_>,
    run: &dyn Fn(&str) -> ShellRun,
) -> CheckOutcome {
    if let Some(bad) = unexpected_key(shell, &["requires", "args", "expect"], "shell") {
        return bad;
    }
    let Some(args) = get(shell, "args") else {
        return CheckOutcome::Fail("shell check missing args".into());
    };
    if let Some(outcome) = check_own_requires(shell, env) {
        return outcome;
    }
    let cmd = yaml_to_py_str(args);
    let short = cmd.trim().lines().next().unwrap_or("").to_string();
    let res = run(&cmd);
    if !res.exit_ok {
        return CheckOutcome::Fail(format!("shell `{short}` failed{}", res.detail));
    }
    if let Some(expect) = get(shell, "expect") {
        let Ok(text) = String::from_utf8(res.stdout) else {
            return CheckOutcome::Fail(format!("shell `{short}`: output not UTF-8"));
        };
        let want = yaml_to_py_str(expect);
        if text.trim() != want {
            return CheckOutcome::Fail(format!(
                "shell `{short}`: expected {want:?} got {:?}",
                text.trim()
            ));
        }
    }
    CheckOutcome::Pass
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Engine, EngineInfo, PALISADE_AS_VERSION};
    use crate::suite::parse_test_yaml;

    fn info() -> EngineInfo {
        EngineInfo {
            engine: Engine::Palisade,
            bin: "/bin/true".into(),
            version: PALISADE_AS_VERSION,
            features: Default::default(),
        }
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!(
            "palisade-verify-unit-{}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    const EVE: &str = r#"{"event_type":"alert","alert":{"signature_id":1,"signature":"ET one"},"src_port":80}
{"event_type":"alert","alert":{"signature_id":2,"signature":"ET two"},"src_port":81}
{"event_type":"flow","flow":{"pkts_toserver":3}}
{"event_type":"stats","stats":{"decoder":{"pkts":10},"detect":{"alert":1}}}
{"event_type":"stats","stats":{"decoder":{"pkts":20},"detect":{"alert":2,"engines":[{"id":0},{"id":1}]}}}
"#;

    #[test]
    fn filter_and_stats_table() {
        let dir = scratch("filter");
        std::fs::write(dir.join("eve.json"), EVE).unwrap();
        std::fs::write(dir.join("bad.json"), "{\"a\":1}\nnot json\n").unwrap();
        let info = info();
        let no_script = |_: &str| false;
        let env = ReqEnv {
            info: &info,
            srcdir: &dir,
            test_dir: Some(&dir),
            run_script: &no_script,
        };
        // (check yaml, expected outcome kind: 'P' pass, 'F' fail, 'S' skipped)
        let cases: &[(&str, char)] = &[
            ("filter: {count: 2, match: {event_type: alert}}", 'P'),
            ("filter: {count: 3, match: {event_type: alert}}", 'F'),
            (
                "filter: {count: 1, match: {event_type: alert, alert.signature_id: 2}}",
                'P',
            ),
            (
                "filter: {count: 2, match: {alert.signature.__startswith: ET}}",
                'P',
            ),
            (
                "filter: {count: 0, match: {event_type: alert}, min-version: 8}",
                'F',
            ), // unknown key
            (
                "filter: {count: 2, match: {event_type: alert, alert.signature.__startswith: ET}}",
                'P',
            ),
            (
                "filter: {count: 1, match: {event_type: alert, src_port.__gt: 80}}",
                'P',
            ),
            ("filter: {count: 5, match: {}}", 'P'),
            ("filter: {count: 1, match: {has-key: flow}}", 'P'),
            ("filter: {count: 4, match: {not-has-key: flow}}", 'P'),
            (
                "filter: {count: 0, match: {event_type: alert}, requires: {min-version: 8}}",
                'S',
            ),
            (
                "filter: {count: 0, match: {event_type: alert}, requires: {features: [HAVE_LUA]}}",
                'S',
            ),
            (
                "filter: {count: 1, match: {event_type: flow}, requires: {min-version: 7}}",
                'P',
            ),
            ("filter: {count: 1, filename: bad.json, match: {a: 1}}", 'F'),
            (
                "filter: {count: 0, filename: missing.json, match: {a: 1}}",
                'F',
            ),
            ("filter: {match: {a: 1}}", 'F'),
            ("stats: {decoder.pkts: 20, detect.alert: 2}", 'P'),
            ("stats: {decoder.pkts: 10}", 'F'),
            (
                "stats:\n  detect.engines.__len: 2\n  detect.engines[1].id: 1",
                'P',
            ),
            ("stats: {decoder.pkts.__gte: 20}", 'P'),
            ("stats: {decoder.nope: 0}", 'F'),
        ];
        for (body, want) in cases {
            let y = parse_test_yaml(body).unwrap_or_else(|e| panic!("{body}: {e}"));
            let got = if let Some(f) = get(&y, "filter") {
                run_filter(f, &dir, &env, None)
            } else {
                run_stats(get(&y, "stats").unwrap(), &dir)
            };
            let kind = match got {
                CheckOutcome::Pass => 'P',
                CheckOutcome::Fail(_) => 'F',
                CheckOutcome::Skipped(_) => 'S',
            };
            assert_eq!(kind, *want, "{body}: {got:?}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn filter_lint() {
        let cases: &[(&str, &str, bool)] = &[
            ("lt-version: 7", "7", false),
            ("lt-version: 8", "7", true),
            ("min-version: 7", "7", false),
            ("min-version: 7.0.3", "7", true),
        ];
        for (req, test_min, ok) in cases {
            let r = parse_test_yaml(req).unwrap();
            let m = Yaml::String((*test_min).into());
            let m = if test_min.contains('.') {
                m
            } else {
                Yaml::Integer(test_min.parse().unwrap())
            };
            assert_eq!(
                filter_version_lint(&r, Some(&m)).is_ok(),
                *ok,
                "{req} / {test_min}"
            );
        }
    }

    #[test]
    fn shell_and_file_compare() {
        let dir = scratch("shell");
        std::fs::write(dir.join("a.txt"), "same\n").unwrap();
        std::fs::write(dir.join("b.txt"), "same\n").unwrap();
        std::fs::write(dir.join("c.txt"), "other\n").unwrap();
        let info = info();
        let no_script = |_: &str| false;
        let env = ReqEnv {
            info: &info,
            srcdir: &dir,
            test_dir: Some(&dir),
            run_script: &no_script,
        };
        // A fake shell: "ok N" prints N, "fail" fails.
        let fake = |cmd: &str| {
            let cmd = cmd.trim();
            match cmd.strip_prefix("ok ") {
                Some(n) => ShellRun {
                    exit_ok: true,
                    stdout: format!("  {n}\n").into_bytes(),
                    detail: String::new(),
                },
                None => ShellRun {
                    exit_ok: false,
                    stdout: Vec::new(),
                    detail: String::new(),
                },
            }
        };
        let cases: &[(&str, char)] = &[
            ("shell: {args: ok 1, expect: 1}", 'P'),
            ("shell: {args: ok 2, expect: 1}", 'F'),
            ("shell: {args: ok 2}", 'P'),
            ("shell: {args: fail}", 'F'),
            (
                "shell: {args: ok 1, expect: 1, requires: {min-version: 9}}",
                'S',
            ),
            ("shell: {args: ok 1, expect: 1, min-version: 9}", 'F'),
            ("shell: {expect: 1}", 'F'),
            ("file-compare: {filename: a.txt, expected: b.txt}", 'P'),
            ("file-compare: {filename: a.txt, expected: c.txt}", 'F'),
            ("file-compare: {filename: nope.txt, expected: c.txt}", 'F'),
        ];
        for (body, want) in cases {
            let y = parse_test_yaml(body).unwrap();
            let got = if let Some(s) = get(&y, "shell") {
                run_shell_check(s, &env, &fake)
            } else {
                run_file_compare(get(&y, "file-compare").unwrap(), &dir, &dir)
            };
            let kind = match got {
                CheckOutcome::Pass => 'P',
                CheckOutcome::Fail(_) => 'F',
                CheckOutcome::Skipped(_) => 'S',
            };
            assert_eq!(kind, *want, "{body}: {got:?}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
