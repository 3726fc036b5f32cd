//! Writes deterministic mutations of the ../shared/rules corpus to stdout
//! (see tests/common/mutate.rs): `mutate_rules SEED COUNT`.

#[path = "../tests/common/mutate.rs"]
mod mutate;

use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seed = args.first().and_then(|s| s.parse().ok()).unwrap_or(1);
    let n = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(3000);
    let base = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/rules");
    let dirs: Vec<PathBuf> = ["et-open", "et-open-supplement", "suricata-events"]
        .iter()
        .map(|d| base.join(d))
        .collect();
    let refs: Vec<&std::path::Path> = dirs.iter().map(|p| p.as_path()).collect();
    let rules = mutate::corpus(&refs);
    for r in mutate::mutate(&rules, seed, n) {
        println!("{r}");
    }
}
