//! Every rule of every suricata-verify test.rules must get the verdict
//! (loads / fails) Suricata 7.0.10 gave it. The reference comes from
//! `tests/data/gen-verdicts.sh` (Suricata's own `-T` output), committed as
//! `tests/data/verdicts.tsv` and `tests/data/contexts.tsv`.

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};

use palisade_rules::{load_rules_str, logical_rules};

/// Agreement reached (rules with the same verdict); raise when it improves.
const MIN_AGREEMENT: usize = 1507;

struct Reference {
    failing: HashSet<usize>,
    loaded: usize,
    failed: usize,
}

fn read_reference() -> BTreeMap<String, Reference> {
    let text = include_str!("data/verdicts.tsv");
    let mut out: BTreeMap<String, Reference> = BTreeMap::new();
    for l in text.lines() {
        let f: Vec<&str> = l.split('\t').collect();
        let e = out.entry(f[0].to_string()).or_insert(Reference {
            failing: HashSet::new(),
            loaded: 0,
            failed: 0,
        });
        if f[1] == "*" {
            e.loaded = f[2].parse().unwrap();
            e.failed = f[3].parse().unwrap();
        } else {
            e.failing.insert(f[1].parse().unwrap());
        }
    }
    out
}

type Settings = HashMap<String, String>;
/// Per test: (has its own yaml, settings).
type TestSettings = HashMap<String, (bool, Settings)>;

fn read_contexts() -> (Settings, TestSettings) {
    let text = include_str!("data/contexts.tsv");
    let mut default = HashMap::new();
    let mut per: TestSettings = HashMap::new();
    for l in text.lines() {
        let f: Vec<&str> = l.splitn(3, '\t').collect();
        if f.len() < 3 {
            continue;
        }
        if f[0] == "-" {
            default.insert(f[1].to_string(), f[2].to_string());
            continue;
        }
        let e = per.entry(f[0].to_string()).or_default();
        if f[1] == "=full" {
            e.0 = true;
        } else {
            e.1.insert(f[1].to_string(), f[2].to_string());
        }
    }
    (default, per)
}

#[test]
fn suricata_verify_verdicts() {
    let sv = common::shared().join("suricata-verify/tests");
    if !sv.exists() {
        eprintln!("skipping: {} not found", sv.display());
        return;
    }
    let reference = read_reference();
    let (default, per) = read_contexts();
    let mut total = 0;
    let mut agree = 0;
    let mut diffs = Vec::new();
    let mut count_diffs = 0;
    for (test, r) in &reference {
        let path = sv.join(test).join("test.rules");
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let settings = match per.get(test) {
            Some((true, s)) => s.clone(),
            Some((false, s)) => {
                let mut d = default.clone();
                d.extend(s.clone());
                d
            }
            None => default.clone(),
        };
        let mut ctx = common::context_from_settings(&settings);
        // Where Suricata looked for dataset files when the reference was made.
        ctx.dataset_dir = Some("/var/lib/suricata/data".into());
        let res = load_rules_str(&text, &path.display().to_string(), &ctx);
        let ours: HashMap<usize, String> =
            res.errors.iter().map(|e| (e.line, e.to_string())).collect();
        for (line, rule) in logical_rules(&text) {
            total += 1;
            let theirs_fail = r.failing.contains(&line);
            let ours_fail = ours.contains_key(&line);
            if theirs_fail == ours_fail {
                agree += 1;
            } else {
                diffs.push(format!(
                    "{test}:{line}: suricata {} palisade {} ({})\n    {}",
                    if theirs_fail { "FAILS" } else { "loads" },
                    if ours_fail { "fails" } else { "loads" },
                    ours.get(&line).map(String::as_str).unwrap_or("-"),
                    rule.chars().take(300).collect::<String>()
                ));
            }
        }
        // 0/0: Suricata stopped on a configuration error before loading rules.
        let suricata_loaded_rules = (r.loaded, r.failed) != (0, 0);
        if suricata_loaded_rules && (res.loaded, res.failed) != (r.loaded, r.failed) {
            count_diffs += 1;
            println!(
                "{test}: counts differ: suricata {} loaded {} failed, palisade {} loaded {} failed",
                r.loaded, r.failed, res.loaded, res.failed
            );
        }
    }
    for d in &diffs {
        println!("{d}");
    }
    println!(
        "suricata-verify verdict agreement: {agree}/{total} rules; {} disagree; {count_diffs} files with different loaded/failed counts",
        diffs.len()
    );
    assert!(
        agree >= MIN_AGREEMENT,
        "agreement {agree}/{total} fell below {MIN_AGREEMENT}"
    );
    assert_eq!(
        count_diffs, 0,
        "files whose loaded/failed counts differ from Suricata's"
    );
}
