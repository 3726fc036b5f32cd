//! palisade-rules: the Suricata 7 rule language.
//!
//! * [`parse_rule`] turns one signature into a typed [`Rule`] (header, options
//!   with spans, contents with their modifiers grouped per buffer) and applies
//!   Suricata's semantic checks.
//! * [`load_rule_files`] / [`load_rules_str`] load rule files the way Suricata
//!   does (comments, `\` continuations, duplicate sids) and report each bad
//!   rule with file, line, keyword and reason.
//! * [`companions`] parses `classification.config`, `reference.config` and
//!   `threshold.config`.
//!
//! The keyword table lives in [`keywords`]; values are parsed by [`values`].
//!
//! Fidelity is checked against Suricata 7.0.10's own verdicts (`-T`): the
//! 27,044 rules of `../shared/rules` (tests/corpus.rs), every rule of the
//! suricata-verify `test.rules` files (tests/verdicts.rs) and ~30,000
//! deterministic mutations of the corpus (tests/mutations.rs); the reference
//! files are made by the scripts in `tests/data/`.
#![forbid(unsafe_code)]

pub mod ast;
pub mod build;
pub mod companions;
pub mod events;
pub mod header;
pub mod keywords;
pub mod lex;
mod loader;
pub mod values;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

pub use ast::*;
pub use companions::{
    parse_classification, parse_iprep_categories, parse_reference_config, parse_threshold_config,
    Classification, ConfigError, ThresholdEntry, ThresholdType, Track,
};
pub use loader::{load_rule_files, load_rules_str, logical_rules, LoadResult, Loader};

/// Predicate telling whether an app-layer protocol's parser (and detection)
/// is enabled, by Suricata protocol name (`http`, `http2`, `dns`, `modbus`...).
pub type AppLayerPredicate = Arc<dyn Fn(&str) -> bool + Send + Sync>;

/// Everything a rule needs from the configuration.
#[derive(Clone, Default)]
pub struct RuleContext {
    /// `vars.address-groups` (name without `$` -> value as written).
    pub address_vars: HashMap<String, String>,
    /// `vars.port-groups`.
    pub port_vars: HashMap<String, String>,
    /// Contents of classification.config.
    pub classification: HashMap<String, Classification>,
    /// Contents of reference.config (lower-case system -> URL prefix).
    pub references: HashMap<String, String>,
    /// App-layer protocols enabled; `None` = Suricata 7.0.10's stock
    /// suricata.yaml (see [`RuleContext::default_app_layer_enabled`]).
    pub app_layer: Option<AppLayerPredicate>,
    /// Categories of the reputation categories file (`iprep` rules naming
    /// another category fail; `None` = no file configured).
    pub iprep_categories: Option<HashSet<String>>,
    /// Directory relative dataset `load`/`state` files are looked up in
    /// (Suricata's data directory). When set, a rule whose file is missing
    /// fails, as in Suricata; `None` skips the check.
    pub dataset_dir: Option<PathBuf>,
    /// Extra features for `requires: feature X` that depend on the
    /// configuration (e.g. `output::file-store` when that output is enabled).
    pub features: HashSet<String>,
    /// `security.lua.allow-rules`: rules with the `lua` keyword fail unless set.
    pub lua_rules_allowed: bool,
}

impl fmt::Debug for RuleContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuleContext")
            .field("address_vars", &self.address_vars)
            .field("port_vars", &self.port_vars)
            .field("classification", &self.classification.len())
            .field("references", &self.references.len())
            .field("app_layer", &self.app_layer.is_some())
            .field("iprep_categories", &self.iprep_categories)
            .field("dataset_dir", &self.dataset_dir)
            .finish()
    }
}

impl RuleContext {
    /// Whether `proto` may be used by rules.
    pub fn app_layer_enabled(&self, proto: &str) -> bool {
        match &self.app_layer {
            Some(p) => p(proto),
            None => Self::default_app_layer_enabled(proto),
        }
    }

    /// Suricata 7.0.10's stock configuration: every parser enabled except
    /// modbus, dnp3, enip and pgsql.
    pub fn default_app_layer_enabled(proto: &str) -> bool {
        !matches!(proto, "modbus" | "dnp3" | "enip" | "pgsql")
    }

    pub fn address_var(&self, name: &str) -> Option<&str> {
        self.address_vars.get(name).map(String::as_str)
    }

    pub fn port_var(&self, name: &str) -> Option<&str> {
        self.port_vars.get(name).map(String::as_str)
    }

    /// Sets the variables from `vars.address-groups.*` / `vars.port-groups.*`
    /// style flat keys (`address-groups.HOME_NET` or `vars.address-groups.HOME_NET`).
    pub fn set_var(&mut self, key: &str, value: &str) {
        if key == "security.lua.allow-rules" {
            self.lua_rules_allowed = matches!(value, "yes" | "true" | "on" | "1");
            return;
        }
        let k = key.strip_prefix("vars.").unwrap_or(key);
        if let Some(n) = k.strip_prefix("address-groups.") {
            self.address_vars.insert(n.to_string(), value.to_string());
        } else if let Some(n) = k.strip_prefix("port-groups.") {
            self.port_vars.insert(n.to_string(), value.to_string());
        }
    }
}

/// Whether the linked PCRE2 judges patterns like the PCRE2 10.42 that
/// Suricata 7.0.10 uses on Debian 12. True with the system library
/// (`libpcre2-dev`, found through pkg-config); the bundled fallback (10.4x)
/// rejects a few odd patterns 10.42 accepts, such as `\x` without digits.
pub fn pcre2_like_suricata() -> bool {
    pcre2::bytes::RegexBuilder::new().build(r"a\x-").is_ok()
}

/// A rule that failed to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub file: String,
    /// First physical line of the rule (1-based).
    pub line: usize,
    /// Keyword involved, if the failure is tied to one.
    pub keyword: Option<String>,
    pub reason: String,
    /// The rule text.
    pub rule: String,
    /// Suricata drops this rule with a warning only (not counted as failed).
    pub silent: bool,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.keyword {
            Some(k) => write!(f, "{}:{}: {}: {}", self.file, self.line, k, self.reason),
            None => write!(f, "{}:{}: {}", self.file, self.line, self.reason),
        }
    }
}

impl std::error::Error for RuleError {}

/// Parses and validates one rule (no duplicate-sid check: that needs the
/// whole rule set, see [`Loader`]).
pub fn parse_rule(text: &str, ctx: &RuleContext) -> Result<Rule, RuleError> {
    parse_rule_at(text, ctx, "", 0)
}

/// Like [`parse_rule`], recording file and line in the result / error.
pub fn parse_rule_at(
    text: &str,
    ctx: &RuleContext,
    file: &str,
    line: usize,
) -> Result<Rule, RuleError> {
    let mut cache = header::HeaderCache::default();
    parse_rule_cached(text, ctx, &mut cache, file, line)
}

pub(crate) fn parse_rule_cached(
    text: &str,
    ctx: &RuleContext,
    cache: &mut header::HeaderCache,
    file: &str,
    line: usize,
) -> Result<Rule, RuleError> {
    build::build_rule(text, ctx, cache, file, line).map_err(|f| RuleError {
        file: file.to_string(),
        line,
        keyword: f.keyword,
        reason: f.reason,
        rule: text.to_string(),
        silent: f.silent,
    })
}

#[cfg(test)]
mod tests;
