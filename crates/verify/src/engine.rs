//! The engine under test: its binary, version and build features.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::version::{Expr, Version};

/// Which program runs the tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Palisade,
    Suricata,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Palisade => "palisade",
            Engine::Suricata => "suricata",
        }
    }
}

impl std::str::FromStr for Engine {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "palisade" => Ok(Engine::Palisade),
            "suricata" => Ok(Engine::Suricata),
            _ => Err(format!("unknown engine {s:?} (palisade or suricata)")),
        }
    }
}

/// The version Palisade claims for `requires:` evaluation.
pub const PALISADE_AS_VERSION: Version = Version::new(7, 0, 10);

/// What `requires:` is evaluated against.
#[derive(Clone, Debug)]
pub struct EngineInfo {
    pub engine: Engine,
    /// Absolute path of the binary.
    pub bin: PathBuf,
    pub version: Version,
    pub features: BTreeSet<String>,
}

impl EngineInfo {
    /// Asks the binary for its version (`-V`, Suricata only: Palisade counts as 7.0.10) and
    /// its features (`--build-info`).
    pub fn probe(engine: Engine, bin: &Path) -> Result<EngineInfo, String> {
        let bin = resolve_bin(bin)?;
        let version = match engine {
            Engine::Palisade => PALISADE_AS_VERSION,
            Engine::Suricata => {
                let out = Command::new(&bin)
                    .arg("-V")
                    .output()
                    .map_err(|e| format!("{}: {e}", bin.display()))?;
                let text = String::from_utf8_lossy(&out.stdout);
                Version::parse(&text, Expr::Gte)
                    .ok_or_else(|| format!("cannot parse the version from {text:?}"))?
            }
        };
        let out = Command::new(&bin)
            .arg("--build-info")
            .output()
            .map_err(|e| format!("{} --build-info: {e}", bin.display()))?;
        let features = parse_build_info(&String::from_utf8_lossy(&out.stdout));
        Ok(EngineInfo {
            engine,
            bin,
            version,
            features,
        })
    }

    pub fn has_feature(&self, f: &str) -> bool {
        self.features.contains(f)
    }
}

/// Features from `--build-info`: the words of the `Features:` line, plus `X` for every
/// `X support: yes...` line of the configuration section.
pub fn parse_build_info(text: &str) -> BTreeSet<String> {
    let mut features = BTreeSet::new();
    let mut in_config = false;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("Features:") {
            features.extend(rest.split_whitespace().map(str::to_string));
        }
        if line.contains("Configuration") {
            in_config = true;
        }
        if in_config {
            if let Some((key, val)) = line.split_once(" support:") {
                if val.trim().starts_with("yes") {
                    features.insert(key.trim().to_string());
                }
            }
        }
    }
    features
}

/// Makes a binary path absolute, searching PATH for a bare name.
pub fn resolve_bin(bin: &Path) -> Result<PathBuf, String> {
    if bin.components().count() == 1 && !bin.exists() {
        if let Some(paths) = std::env::var_os("PATH") {
            for dir in std::env::split_paths(&paths) {
                let cand = dir.join(bin);
                if cand.is_file() {
                    return Ok(cand);
                }
            }
        }
        return Err(format!("{} not found in PATH", bin.display()));
    }
    std::fs::canonicalize(bin).map_err(|e| format!("{}: {e}", bin.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_info_features() {
        let text = "This is Suricata version 7.0.10 RELEASE\n\
            Features: NFQ PCAP_SET_BUFF HAVE_LUA HAVE_JA3 \n\
            SIMD support: SSE_4_2\n\
            \n\
            Suricata Configuration:\n\
            \x20 AF_PACKET support:                       yes\n\
            \x20 PF_RING support:                         no\n\
            \x20 LUA support:                             yes, through luajit\n\
            \x20 liblz4 support:                          yes\n";
        let f = parse_build_info(text);
        for want in ["NFQ", "HAVE_LUA", "HAVE_JA3", "AF_PACKET", "LUA", "liblz4"] {
            assert!(f.contains(want), "{want} in {f:?}");
        }
        for absent in ["PF_RING", "SIMD", "HAVE_JA4"] {
            assert!(!f.contains(absent), "{absent} in {f:?}");
        }
    }
}
