//! Conformance ratchet: runs the suricata-verify suite (../shared/suricata-verify) against
//! this build of palisade and fails when a test listed in crates/verify/ratchet.txt no longer
//! passes. Tests that pass but are not listed are printed ("newly passing: add them").
//! Skipped (with a message) when the suite is not present.

use std::path::Path;
use std::time::Duration;

use palisade_verify::{compare_ratchet, read_ratchet, run_suite, Engine, Options};

#[test]
fn suricata_verify_ratchet() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let suite = manifest.join("../../../shared/suricata-verify");
    if !suite.join("tests").is_dir() {
        eprintln!(
            "skipped: suricata-verify suite not found at {}",
            suite.display()
        );
        return;
    }
    let listed = read_ratchet(&manifest.join("../verify/ratchet.txt")).expect("ratchet.txt");

    let mut opts = Options::new(Engine::Palisade, env!("CARGO_BIN_EXE_palisade"));
    opts.suite = suite;
    opts.timeout = Duration::from_secs(60);
    let report = run_suite(&opts, &mut |_| {}).expect("suite run");
    let diff = compare_ratchet(&report, &listed);

    println!(
        "suricata-verify: {} passed, {} failed, {} skipped ({} listed in the ratchet)",
        report.passed(),
        report.failed(),
        report.skipped(),
        listed.len()
    );
    if !diff.newly_passing.is_empty() {
        println!(
            "newly passing: add them to crates/verify/ratchet.txt:\n  {}",
            diff.newly_passing.join("\n  ")
        );
    }
    if !diff.not_run.is_empty() {
        println!(
            "ratchet entries not in the suite:\n  {}",
            diff.not_run.join("\n  ")
        );
    }
    if diff.ok() {
        let _ = std::fs::remove_dir_all(&report.out_dir);
    }
    assert!(
        diff.regressed.is_empty(),
        "{} ratchet tests stopped passing (outputs in {}):\n  {}",
        diff.regressed.len(),
        report.out_dir.display(),
        diff.regressed.join("\n  ")
    );
}
