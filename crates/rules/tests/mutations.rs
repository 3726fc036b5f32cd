//! Differential test: deterministic mutations of the ../shared/rules corpus
//! (option removed / duplicated / moved / swapped, numbers changed, options
//! from other rules inserted, header fields replaced) must get Suricata
//! 7.0.10's verdicts, recorded by `tests/data/gen-mutations.sh` in
//! `tests/data/mutation-verdicts.tsv`.

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use palisade_rules::{load_rules_str, pcre2_like_suricata};

/// Rules whose verdict must agree (all of them).
const MIN_AGREEMENT: usize = 29993;

#[test]
fn mutated_rules_match_suricata() {
    let base = common::shared().join("rules");
    if !base.exists() {
        eprintln!("skipping: shared rules not found");
        return;
    }
    let dirs: Vec<PathBuf> = ["et-open", "et-open-supplement", "suricata-events"]
        .iter()
        .map(|d| base.join(d))
        .collect();
    let refs: Vec<&std::path::Path> = dirs.iter().map(|p| p.as_path()).collect();
    let corpus = common::mutate::corpus(&refs);

    // seed -> (count, loaded, failed, failing lines)
    let mut reference: BTreeMap<u64, (usize, usize, usize, HashSet<usize>)> = BTreeMap::new();
    for l in include_str!("data/mutation-verdicts.tsv").lines() {
        let f: Vec<&str> = l.split('\t').collect();
        let seed: u64 = f[0].parse().unwrap();
        let e = reference.entry(seed).or_default();
        if f[1] == "*" {
            e.0 = f[2].parse().unwrap();
            e.1 = f[3].parse().unwrap();
            e.2 = f[4].parse().unwrap();
        } else {
            e.3.insert(f[1].parse().unwrap());
        }
    }

    // Default yaml of suricata-verify with the ICS parsers enabled.
    let settings: HashMap<String, String> = include_str!("data/contexts.tsv")
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.splitn(3, '\t').collect();
            (f.len() == 3 && f[0] == "-").then(|| (f[1].to_string(), f[2].to_string()))
        })
        .collect();
    let mut ctx = common::context_from_settings(&settings);
    ctx.app_layer = Some(Arc::new(|p: &str| p != "pgsql"));

    // Suricata 7.0.10 links PCRE2 10.42; another version may judge a few odd
    // patterns differently: such disagreements are reported, not counted.
    let same_pcre = pcre2_like_suricata();
    let mut pcre_version_diffs = 0;
    let mut total = 0;
    let mut agree = 0;
    let mut diffs = Vec::new();
    for (seed, (count, loaded, failed, failing)) in &reference {
        let rules = common::mutate::mutate(&corpus, *seed, *count);
        let text = rules.join("\n") + "\n";
        let res = load_rules_str(&text, "mutations.rules", &ctx);
        let ours: HashMap<usize, String> = res
            .errors
            .iter()
            .map(|e| (e.line, e.reason.clone()))
            .collect();
        for (i, rule) in rules.iter().enumerate() {
            let line = i + 1;
            total += 1;
            let theirs = failing.contains(&line);
            let mine = ours.contains_key(&line);
            let pcre_only = ours
                .get(&line)
                .is_some_and(|r| r.starts_with("pcre2 compile"));
            if theirs == mine {
                agree += 1;
            } else if !same_pcre && pcre_only {
                pcre_version_diffs += 1;
                println!("seed {seed} line {line}: differs only by the PCRE2 version");
            } else {
                diffs.push(format!(
                    "seed {seed} line {line}: suricata {} palisade {} ({})\n    {}",
                    if theirs { "FAILS" } else { "loads" },
                    if mine { "fails" } else { "loads" },
                    ours.get(&line).map(String::as_str).unwrap_or("-"),
                    rule.chars().take(400).collect::<String>()
                ));
            }
        }
        println!(
            "seed {seed}: suricata {loaded} loaded {failed} failed, palisade {} loaded {} failed ({} skipped)",
            res.loaded, res.failed, res.skipped
        );
    }
    for d in &diffs {
        println!("{d}");
    }
    println!(
        "mutation verdict agreement: {agree}/{total}; {} disagree; {pcre_version_diffs} set aside (PCRE2 other than Suricata's 10.42: {})",
        diffs.len(),
        !same_pcre
    );
    assert!(
        agree + pcre_version_diffs >= MIN_AGREEMENT,
        "agreement {agree}/{total} fell below {MIN_AGREEMENT}"
    );
    assert!(
        diffs.is_empty(),
        "{} rules disagree with Suricata",
        diffs.len()
    );
}
