//! palisade-config: Suricata-compatible configuration.
//!
//! * [`Config`]: the configuration tree (Suricata's `ConfNode` model) with
//!   loading from Suricata YAML ([`Config::load_file`]), dotted-path access
//!   ([`Config::get`], [`Config::get_bool`], [`Config::get_int`], ...),
//!   `--set` ([`Config::set_from_string`]) and `--dump-config`
//!   ([`Config::dump`]).
//! * [`defaults()`]: Palisade's built-in default configuration, equal in
//!   keys and values to Suricata 7.0.10's shipped `suricata.yaml`.
//! * [`views`]: typed, validated views of the sections the engine uses.
//! * [`parse_size`], [`is_true`], ...: value helpers with Suricata's rules.

#![forbid(unsafe_code)]

mod emit;
mod error;
mod loader;
mod tree;
mod units;
pub mod views;

pub use error::ConfigError;
pub use loader::{IncludeBase, LoadOptions};
pub use tree::{Config, NodeRef, DEFAULT_MAX_NODES, MAX_NAME_LEN};
pub use units::{is_false, is_true, parse_int, parse_size, parse_time_secs};

/// Palisade's default configuration text (YAML), embedded in the binary.
pub const DEFAULT_YAML: &str = include_str!("default.yaml");

/// The built-in default configuration: the same keys and values as
/// Suricata 7.0.10's default `suricata.yaml`.
pub fn defaults() -> Config {
    match Config::from_yaml_str(DEFAULT_YAML) {
        Ok(c) => c,
        // The embedded text is fixed at build time and covered by tests.
        Err(e) => panic!("embedded default.yaml is invalid: {e}"),
    }
}
