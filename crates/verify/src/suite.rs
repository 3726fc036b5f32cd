//! Finding the suite and its tests.

use std::path::{Path, PathBuf};

use yaml_rust2::{Yaml, YamlLoader};

/// One test: a folder under `tests/` holding a `test.yaml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestCase {
    /// Path relative to `tests/`, with `/` separators (`alert-max/alert-max-append-...`).
    pub name: String,
    /// Absolute folder.
    pub dir: PathBuf,
}

impl TestCase {
    /// The folder's own name: what the reference runner calls the test (used for "ips").
    pub fn basename(&self) -> &str {
        self.name.rsplit('/').next().unwrap_or(&self.name)
    }
}

/// The repository root: the nearest ancestor of the current directory holding
/// `crates/verify/Cargo.toml`, else the one this crate was built from.
pub fn default_repo_root() -> PathBuf {
    if let Ok(cwd) = std::env::current_dir() {
        for dir in cwd.ancestors() {
            if dir.join("crates/verify/Cargo.toml").is_file() {
                return dir.to_path_buf();
            }
        }
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `<repo>/../shared/suricata-verify`.
pub fn default_suite_dir() -> PathBuf {
    let p = default_repo_root().join("../shared/suricata-verify");
    std::fs::canonicalize(&p).unwrap_or(p)
}

/// All tests under `<suite>/tests`, sorted by name. A folder holding `test.yaml` is a test
/// and is not searched further.
pub fn discover_tests(suite: &Path) -> Result<Vec<TestCase>, String> {
    let root = suite.join("tests");
    let root = std::fs::canonicalize(&root).map_err(|e| format!("{}: {e}", root.display()))?;
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if !path.is_dir() {
                continue;
            }
            if path.join("test.yaml").is_file() {
                let rel = path.strip_prefix(&root).unwrap_or(&path);
                let name = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push(TestCase { name, dir: path });
            } else {
                stack.push(path);
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Keeps the tests whose name contains one of the patterns (all when there are none).
pub fn select(tests: Vec<TestCase>, patterns: &[String]) -> Vec<TestCase> {
    if patterns.is_empty() {
        return tests;
    }
    tests
        .into_iter()
        .filter(|t| patterns.iter().any(|p| t.name.contains(p.as_str())))
        .collect()
}

/// Loads a test.yaml; an empty document is an empty mapping.
pub fn load_test_yaml(path: &Path) -> Result<Yaml, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse_test_yaml(&text)
}

pub fn parse_test_yaml(text: &str) -> Result<Yaml, String> {
    let mut docs = YamlLoader::load_from_str(text).map_err(|e| format!("test.yaml: {e}"))?;
    if docs.is_empty() {
        return Ok(Yaml::Hash(Default::default()));
    }
    let doc = docs.swap_remove(0);
    match doc {
        Yaml::Null => Ok(Yaml::Hash(Default::default())),
        Yaml::Hash(_) => Ok(doc),
        _ => Err("test.yaml is not a mapping".into()),
    }
}

/// `map[key]` for a YAML mapping (None when absent or not a mapping).
pub fn get<'a>(map: &'a Yaml, key: &str) -> Option<&'a Yaml> {
    match map {
        Yaml::Hash(h) => h.get(&Yaml::String(key.to_string())),
        _ => None,
    }
}

/// Entries of a mapping with string keys, in document order.
pub fn entries(map: &Yaml) -> Vec<(String, &Yaml)> {
    match map {
        Yaml::Hash(h) => h
            .iter()
            .map(|(k, v)| (crate::value::yaml_to_py_str(k), v))
            .collect(),
        _ => Vec::new(),
    }
}
