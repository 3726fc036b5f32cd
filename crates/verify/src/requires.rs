//! `requires:` (of a test, a filter or a shell check) and `skip:`.

use std::path::Path;

use yaml_rust2::Yaml;

use crate::engine::EngineInfo;
use crate::suite::entries;
use crate::value::{show_yaml, yaml_to_py_str};
use crate::version::{Expr, Version};

/// Why a requirement stops a test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReqError {
    /// The test (or check) does not apply to this engine: it is skipped.
    Unsatisfied(String),
    /// The test itself is malformed: it fails.
    Invalid(String),
}

/// Where requirement scripts run and which files they see.
pub struct ReqEnv<'a> {
    pub info: &'a EngineInfo,
    /// The stand-in for the Suricata source folder (cwd of `script:`).
    pub srcdir: &'a Path,
    /// The test's folder: relative `files:` are looked up there.
    pub test_dir: Option<&'a Path>,
    /// Runs a shell command in `srcdir`, returning whether it exited 0.
    pub run_script: &'a dyn Fn(&str) -> bool,
}

fn version_req(value: &Yaml, expr: Expr) -> Result<Version, ReqError> {
    let text = yaml_to_py_str(value);
    Version::parse(&text, expr).ok_or_else(|| ReqError::Invalid(format!("bad version {text:?}")))
}

fn str_list(value: &Yaml) -> Vec<String> {
    match value {
        Yaml::Array(items) => items.iter().map(yaml_to_py_str).collect(),
        Yaml::Null => Vec::new(),
        other => vec![yaml_to_py_str(other)],
    }
}

/// Evaluates a tiny subset of the Python expressions used by `lambda:`
/// (`sys.platform != "win32"`, `sys.platform == "linux"`). Others are unsupported (None).
pub fn eval_lambda(expr: &str) -> Option<bool> {
    let expr = expr.trim();
    let (op_at, neg) = if let Some(i) = expr.find("!=") {
        (i, true)
    } else {
        (expr.find("==")?, false)
    };
    let lhs = expr[..op_at].trim();
    let rhs = expr[op_at + 2..]
        .trim()
        .trim_matches(|c| c == '"' || c == '\'');
    let platform = match lhs {
        "sys.platform" => "linux",
        "platform.system().lower()" => std::env::consts::OS,
        _ => return None,
    };
    Some((platform == rhs) != neg)
}

/// Checks every key of a `requires:` mapping; `pcap` is handled by the caller.
pub fn check_requires(requires: &Yaml, env: &ReqEnv<'_>) -> Result<(), ReqError> {
    let info = env.info;
    match requires {
        Yaml::Hash(_) | Yaml::Null => {}
        _ => return Err(ReqError::Invalid("requires must be a mapping".into())),
    }
    if let Some(cmds) = crate::suite::get(requires, "command") {
        for c in str_list(cmds) {
            if crate::engine::resolve_bin(Path::new(&c)).is_err() {
                return Err(ReqError::Unsatisfied(format!("requires command {c}")));
            }
        }
    }
    if let (Some(gt), Some(lt)) = (
        crate::suite::get(requires, "gt-version"),
        crate::suite::get(requires, "lt-version"),
    ) {
        let gt_v = version_req(gt, Expr::Gte)?;
        let lt_v = version_req(lt, Expr::Gte)?;
        if !gt_v.is_lt(&lt_v) {
            return Err(ReqError::Invalid(format!(
                "test has both lt-version {} and gt-version {}",
                yaml_to_py_str(lt),
                yaml_to_py_str(gt)
            )));
        }
    }
    for (key, value) in entries(requires) {
        match key.as_str() {
            "min-version" => {
                let v = version_req(value, Expr::Gte)?;
                if !v.satisfied_by(&info.version, Expr::Gte) {
                    return Err(ReqError::Unsatisfied(format!(
                        "requires at least version {}",
                        yaml_to_py_str(value)
                    )));
                }
            }
            "lt-version" => {
                let v = version_req(value, Expr::Lt)?;
                if !v.satisfied_by(&info.version, Expr::Lt) {
                    return Err(ReqError::Unsatisfied(format!(
                        "for versions before {}",
                        yaml_to_py_str(value)
                    )));
                }
            }
            "gt-version" => {
                let v = version_req(value, Expr::Gt)?;
                if !v.satisfied_by(&info.version, Expr::Gt) {
                    return Err(ReqError::Unsatisfied(format!(
                        "for versions after {}",
                        yaml_to_py_str(value)
                    )));
                }
            }
            "version" => {
                let v = version_req(value, Expr::Equal)?;
                if !v.satisfied_by(&info.version, Expr::Equal) {
                    return Err(ReqError::Unsatisfied(format!(
                        "only for version {}",
                        yaml_to_py_str(value)
                    )));
                }
            }
            "features" => {
                for f in str_list(value) {
                    if !info.has_feature(&f) {
                        return Err(ReqError::Unsatisfied(format!("requires feature {f}")));
                    }
                }
            }
            "env" => {
                for var in str_list(value) {
                    if std::env::var_os(&var).is_none() {
                        return Err(ReqError::Unsatisfied(format!("requires env var {var}")));
                    }
                }
            }
            "files" => {
                for f in str_list(value) {
                    let path = match env.test_dir {
                        Some(dir) => dir.join(&f),
                        None => Path::new(&f).to_path_buf(),
                    };
                    if !path.exists() {
                        return Err(ReqError::Unsatisfied(format!("requires file {f}")));
                    }
                }
            }
            "script" => {
                for s in str_list(value) {
                    if !(env.run_script)(&s) {
                        return Err(ReqError::Unsatisfied(format!(
                            "requires script returned false: {}",
                            s.trim()
                        )));
                    }
                }
            }
            "pcap" | "command" => {}
            "lambda" => {
                let text = yaml_to_py_str(value);
                match eval_lambda(&text) {
                    Some(true) => {}
                    Some(false) => return Err(ReqError::Unsatisfied(text)),
                    None => {
                        return Err(ReqError::Unsatisfied(format!(
                            "lambda not supported by this runner: {text}"
                        )))
                    }
                }
            }
            "os" => {
                let want = yaml_to_py_str(value).to_lowercase();
                if !std::env::consts::OS.starts_with(&want) {
                    return Err(ReqError::Unsatisfied(format!("only on {want}")));
                }
            }
            "arch" => {
                let want = yaml_to_py_str(value).to_lowercase();
                if !std::env::consts::ARCH.starts_with(&want) {
                    return Err(ReqError::Unsatisfied(format!("only on {want}")));
                }
            }
            other => {
                return Err(ReqError::Invalid(format!(
                    "unknown requires key {other:?} ({})",
                    show_yaml(value)
                )))
            }
        }
    }
    Ok(())
}

/// Evaluates `skip:` (a boolean, or a list of `{feature|uid|config, msg}`).
/// Returns the reason when the test is to be skipped.
pub fn check_skip(skip: &Yaml, info: &EngineInfo) -> Option<String> {
    match skip {
        Yaml::Boolean(true) => return Some("skipped by default".into()),
        Yaml::Array(_) => {}
        _ => return None,
    }
    let Yaml::Array(items) = skip else {
        return None;
    };
    for item in items {
        let msg = crate::suite::get(item, "msg").map(yaml_to_py_str);
        if let Some(f) = crate::suite::get(item, "feature") {
            let f = yaml_to_py_str(f);
            if info.has_feature(&f) {
                return Some(msg.unwrap_or_else(|| format!("not for feature {f}")));
            }
        }
        if crate::suite::get(item, "uid").is_some() || crate::suite::get(item, "config").is_some() {
            // uid needs libc and config needs `--dump-config`: neither is evaluated.
            return Some(msg.unwrap_or_else(|| "skip by uid/config not supported".into()));
        }
    }
    None
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
            features: ["HAVE_JA3", "RUST"].iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn requires_table() {
        let info = info();
        let script = |s: &str| s.trim() == "true";
        let env = ReqEnv {
            info: &info,
            srcdir: Path::new("/"),
            test_dir: Some(Path::new("/")),
            run_script: &script,
        };
        // (requires body, expected: Ok = applies, Some(true) = unsatisfied, Some(false) = invalid)
        let cases: &[(&str, Option<bool>)] = &[
            ("min-version: 7", None),
            ("min-version: 7.0.10", None),
            ("min-version: 7.0.11", Some(true)),
            ("min-version: 8", Some(true)),
            ("min-version: 6.0", None),
            ("lt-version: 8", None),
            ("lt-version: 7.0.10", Some(true)),
            ("lt-version: 7", Some(true)),
            ("gt-version: 7.0.9", None),
            ("gt-version: 7.0.10", Some(true)),
            ("version: 7", None),
            ("version: 7.0", None),
            ("version: 6", Some(true)),
            ("features: [HAVE_JA3]", None),
            ("features: [HAVE_JA3, HAVE_LUA]", Some(true)),
            ("files: [etc/passwd]", None),
            ("files: [no/such/file]", Some(true)),
            ("script: [\"true\"]", None),
            ("script: [\"false\"]", Some(true)),
            ("pcap: false", None),
            ("lambda: sys.platform != \"win32\"", None),
            ("lambda: sys.platform == \"win32\"", Some(true)),
            ("lambda: 1 + 1 == 2", Some(true)),
            ("os: linux", None),
            ("os: windows", Some(true)),
            ("min-version: 7\nfeatures: [NOPE]", Some(true)),
            ("command: [sh]", None),
            ("command: [no-such-command-xyz]", Some(true)),
            ("gt-version: 6\nlt-version: 8", None),
            ("gt-version: 8\nlt-version: 7", Some(false)),
            ("bogus: 1", Some(false)),
            ("min-version: abc", Some(false)),
        ];
        for (body, want) in cases {
            let y = parse_test_yaml(body).unwrap();
            let got = match check_requires(&y, &env) {
                Ok(()) => None,
                Err(ReqError::Unsatisfied(_)) => Some(true),
                Err(ReqError::Invalid(_)) => Some(false),
            };
            assert_eq!(got, *want, "{body}");
        }
    }

    #[test]
    fn skip_table() {
        let info = info();
        let cases: &[(&str, bool)] = &[
            ("skip: true", true),
            ("skip: false", false),
            ("skip: [{feature: HAVE_JA3}]", true),
            ("skip: [{feature: HAVE_LUA}]", false),
            (
                "skip: [{feature: HAVE_LUA}, {feature: RUST, msg: no rust}]",
                true,
            ),
        ];
        for (body, want) in cases {
            let y = parse_test_yaml(body).unwrap();
            let skip = crate::suite::get(&y, "skip").unwrap();
            assert_eq!(check_skip(skip, &info).is_some(), *want, "{body}");
        }
    }
}
