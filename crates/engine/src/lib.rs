//! The engine: configuration, rule loading, and the packet pipeline
//! capture -> decode -> (defrag, tunnels) -> flow -> output.
//!
//! Time inside the pipeline comes from the packets, never from the clock, so the same input
//! always gives the same output.
//!
//! The only `unsafe` code of Palisade is here, in [`input`]: mapping capture files into
//! memory and releasing pages behind the reader. Everything else denies it.
#![deny(unsafe_code)]

mod detect;
pub mod input;
pub mod log;
mod pipeline;
pub mod progress;
pub mod rules;
mod stream;

use std::fmt;
use std::path::PathBuf;

pub use palisade_decode::ChecksumMode;
pub use pipeline::run_bytes;

/// Everything the command line decides.
#[derive(Clone, Debug, Default)]
pub struct EngineOptions {
    pub config_file: Option<PathBuf>,
    pub includes: Vec<PathBuf>,
    pub sets: Vec<(String, String)>,
    pub pcap: Option<PathBuf>,
    pub recursive: bool,
    pub log_dir: Option<PathBuf>,
    pub exclusive_rules: Vec<PathBuf>,
    pub extra_rules: Vec<PathBuf>,
    pub checksum: Option<ChecksumMode>,
    pub runmode: Option<String>,
    pub test_config: bool,
    pub init_errors_fatal: bool,
    pub disable_detection: bool,
    pub dump_config: bool,
    pub simulate_ips: bool,
    pub verbose: u8,
    pub pidfile: Option<PathBuf>,
}

#[derive(Debug)]
pub struct EngineError(pub String);

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EngineError {}

macro_rules! fail {
    ($($t:tt)*) => { return Err(EngineError(format!($($t)*))) };
}
pub(crate) use fail;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The Suricata release whose interfaces (flags, configuration, EVE, rules) Palisade follows.
pub const SURICATA_COMPAT: &str = "7.0.10";

pub fn version_line() -> String {
    format!("This is Palisade version {VERSION} (Suricata {SURICATA_COMPAT} compatible)")
}

/// `--build-info` in Suricata's layout, naming only what this build really has.
pub fn build_info() -> String {
    let yn = |b: bool| if b { "yes" } else { "no" };
    let mut s = String::new();
    s.push_str(&version_line());
    s.push('\n');
    s.push_str("Features: PCAP_FILE PCAPNG RUST\n");
    s.push_str(&format!(
        "{}-bits, {}-endian architecture\n",
        usize::BITS,
        if cfg!(target_endian = "little") {
            "Little"
        } else {
            "Big"
        }
    ));
    s.push_str(&format!(
        "Rust version: {}\n\n",
        option_env!("RUSTC_VERSION").unwrap_or("stable")
    ));
    s.push_str("Palisade Configuration:\n");
    let rows: &[(&str, bool)] = &[
        ("AF_PACKET support", false),
        ("AF_XDP support", false),
        ("DPDK support", false),
        ("eBPF support", false),
        ("XDP support", false),
        ("PF_RING support", false),
        ("NFQueue support", false),
        ("NFLOG support", false),
        ("IPFW support", false),
        ("Netmap support", false),
        ("Unix socket enabled", false),
        ("Detection enabled", false),
        ("Libmagic support", false),
        ("libjansson support", false),
        ("hiredis support", false),
        ("PCRE jit", false),
        ("LUA support", false),
        ("GeoIP2 support", false),
        ("JA3 support", false),
        ("JA4 support", false),
        ("Hyperscan support", false),
        ("Libnet support", false),
        ("liblz4 support", false),
        ("Rust support", true),
        ("pcap file support", true),
        ("pcapng file support", true),
    ];
    for (name, v) in rows {
        s.push_str(&format!("  {:<41}{}\n", format!("{name}:"), yn(*v)));
    }
    s
}

/// Runs what the options ask for: dump the configuration, test it, or process captures.
pub fn main(opts: &EngineOptions) -> Result<(), EngineError> {
    let cfg = pipeline::load_config(opts)?;
    if opts.dump_config {
        print!("{}", cfg.dump());
        return Ok(());
    }
    pipeline::run(opts, &cfg)
}
