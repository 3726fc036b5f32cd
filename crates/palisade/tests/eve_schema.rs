//! Every EVE record Palisade writes on real captures validates against Suricata 7.0.10's EVE
//! schema, with every record type the foundation writes switched on (flow, netflow, decoder
//! anomalies, stats).

mod common;
use common::*;

#[test]
fn eve_records_validate_against_schema() {
    let Some(shared) = shared() else {
        eprintln!("../shared not present: skipped");
        return;
    };
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(shared.join("suricata-verify/schema-7.0.10.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");

    // Every 8th shared capture plus the sample shipped in the repository.
    let list = std::fs::read_to_string(shared.join("pcaps/alerts-suricata-7.0.10.tsv")).unwrap();
    let mut captures: Vec<std::path::PathBuf> = list
        .lines()
        .skip(1)
        .enumerate()
        .filter(|(i, _)| i % 8 == 0)
        .map(|(_, l)| shared.join("pcaps").join(l.split('\t').next().unwrap()))
        .collect();
    captures
        .push(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/sample.pcap"));

    // Switch on decoder anomalies and netflow records on top of the defaults.
    let extra = [
        "--set",
        "outputs.1.eve-log.types.2.anomaly.enabled=yes",
        "--set",
        "outputs.1.eve-log.types.2.anomaly.types.decode=yes",
        "--set",
        "outputs.1.eve-log.types.2.anomaly.types.stream=yes",
        "--set",
        "outputs.1.eve-log.types.28=netflow",
    ];
    let results = par_map(&captures, |path| {
        let (o, eve, out) = run_capture(path, &extra);
        let _ = std::fs::remove_dir_all(out);
        let mut kinds = std::collections::BTreeMap::<String, usize>::new();
        let mut errors = Vec::new();
        for r in &eve {
            *kinds
                .entry(r["event_type"].as_str().unwrap_or("?").to_string())
                .or_default() += 1;
            if let Err(e) = validator.validate(r) {
                errors.push(format!("{}: {e}: {r}", path.display()));
            }
        }
        (o.status.code(), kinds, errors)
    });
    let mut total = std::collections::BTreeMap::<String, usize>::new();
    let mut errors = Vec::new();
    for (code, kinds, errs) in results {
        assert_eq!(code, Some(0));
        for (k, n) in kinds {
            *total.entry(k).or_default() += n;
        }
        errors.extend(errs);
    }
    println!("records validated per event_type: {total:?}");
    for k in ["flow", "netflow", "stats", "anomaly"] {
        assert!(
            total.get(k).copied().unwrap_or(0) > 0,
            "no {k} records were written"
        );
    }
    assert!(
        errors.is_empty(),
        "{} invalid records, first ones:\n{}",
        errors.len(),
        errors[..errors.len().min(5)].join("\n")
    );
}
