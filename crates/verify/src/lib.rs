//! Runner for the suricata-verify conformance suite (see `/work/shared/CONFORMANCE.md`).
//!
//! The suite's tests are folders holding a `test.yaml` (requirements, arguments, checks), a
//! capture and rules. [`run_suite`] runs every selected test against an engine binary
//! (Palisade or Suricata itself) and evaluates the checks; [`ratchet`] compares the outcome
//! with a committed list of tests that must keep passing.
#![forbid(unsafe_code)]

pub mod checks;
pub mod engine;
pub mod ratchet;
pub mod requires;
pub mod run;
pub mod suite;
pub mod value;
pub mod version;

pub use engine::{Engine, EngineInfo};
pub use ratchet::{compare_ratchet, parse_ratchet, read_ratchet, RatchetDiff};
pub use run::{run_suite, Options, Outcome, Report, TestResult};
pub use suite::{default_repo_root, default_suite_dir, discover_tests, TestCase};
pub use version::Version;
