//! The built-in defaults must equal Suricata 7.0.10's default configuration,
//! and our `--dump-config` of the reference file must equal Suricata's.

use std::path::PathBuf;

use palisade_config::{defaults, Config};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// `../shared` beside the repository, as laid out on developer machines and CI.
fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel);
    p.exists().then_some(p)
}

/// Line-by-line comparison with a readable first difference.
fn assert_same_lines(ours: &str, theirs: &str, what: &str) {
    let a: Vec<&str> = ours.lines().collect();
    let b: Vec<&str> = theirs.lines().collect();
    for (i, (x, y)) in a.iter().zip(b.iter()).enumerate() {
        assert_eq!(x, y, "{what}: line {} differs", i + 1);
    }
    assert_eq!(a.len(), b.len(), "{what}: line counts differ");
    assert_eq!(ours, theirs, "{what}: trailing bytes differ");
}

#[test]
fn defaults_equal_committed_suricata_dump() {
    let expected = std::fs::read_to_string(data("suricata-7.0.10.dump")).unwrap();
    assert!(expected.lines().count() > 500);
    assert_same_lines(&defaults().dump(), &expected, "defaults vs suricata dump");
}

#[test]
fn defaults_equal_reference_yaml_loaded_in_place() {
    let Some(p) = shared("suricata-verify/suricata-7.0.10.yaml") else {
        eprintln!("note: ../shared/suricata-verify/suricata-7.0.10.yaml absent, skipped");
        return;
    };
    let reference = Config::load_file(&p).unwrap();
    assert_same_lines(
        &defaults().dump(),
        &reference.dump(),
        "defaults vs reference",
    );
}

#[test]
fn dump_of_reference_equals_suricata_dump_config() {
    let Some(p) = shared("suricata-verify/suricata-7.0.10.yaml") else {
        eprintln!("note: ../shared/suricata-verify/suricata-7.0.10.yaml absent, skipped");
        return;
    };
    let expected = std::fs::read_to_string(data("suricata-7.0.10.dump")).unwrap();
    let ours = Config::load_file(&p).unwrap().dump();
    assert_same_lines(&ours, &expected, "reference dump");
}

#[test]
fn defaults_spot_values() {
    let d = defaults();
    let table: &[(&str, Option<&str>)] = &[
        ("default-log-dir", Some("/var/log/suricata/")),
        ("outputs.0", Some("fast")),
        ("outputs.1.eve-log.filename", Some("eve.json")),
        ("outputs.1.eve-log.types.27", Some("flow")),
        ("app-layer.protocols.imap.enabled", Some("detection-only")),
        ("logging.outputs.2.syslog.format", Some("[%i] <%d> -- ")),
        ("vars.address-groups.EXTERNAL_NET", Some("!$HOME_NET")),
        ("flow.memcap", Some("128mb")),
        ("plugins", None),
    ];
    for (k, v) in table {
        assert_eq!(d.get(k), *v, "{k}");
    }
    assert!(d.get_node("plugins").is_some());
}
