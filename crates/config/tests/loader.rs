//! Loading behaviour checked against facts from Suricata 7.0.10
//! (`suricata --dump-config` outputs committed under tests/data).

use std::path::{Path, PathBuf};

use palisade_config::{Config, ConfigError, IncludeBase, LoadOptions};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel);
    p.exists().then_some(p)
}

/// A fresh scratch folder for one test.
fn scratch(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("palisade-config-{}-{}", std::process::id(), test));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, text).unwrap();
    p
}

fn fnv1a64(b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &x in b {
        h ^= u64::from(x);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[test]
fn quirks_match_suricata() {
    // quirks.dump is Suricata 7.0.10's --dump-config of quirks.yaml: aliases
    // ignored, nested lists, nulls, mangling, redefinition, dotted keys...
    let c = Config::load_file(data("quirks.yaml")).unwrap();
    let expected = std::fs::read_to_string(data("quirks.dump")).unwrap();
    assert_eq!(c.dump(), expected);
    assert!(c
        .warnings()
        .iter()
        .any(|w| w.contains("x_y is deprecated. Please use x-y")));
}

#[test]
fn includes_match_suricata() {
    // inc/main.dump is Suricata's dump of inc/main.yaml: `include:` scalar at
    // the root, a list under a key, the `!include` tag, and a nested include
    // in sub/c.yaml resolved against the main file's folder.
    let c = Config::load_file(data("inc/main.yaml")).unwrap();
    let expected = std::fs::read_to_string(data("inc/main.dump")).unwrap();
    assert_eq!(c.dump(), expected);
    assert_eq!(c.get("list-include.d-where"), Some("main-dir"));
    assert_eq!(c.get("over"), Some("a"), "include replaces the earlier key");
    assert_eq!(c.get("tagged.b-key.x"), Some("1"));
}

#[test]
fn include_relative_to_including_file_option() {
    let opts = LoadOptions {
        include_base: IncludeBase::IncludingFileDir,
        ..LoadOptions::default()
    };
    let c = Config::load_file_with(data("inc/main.yaml"), &opts).unwrap();
    assert_eq!(c.get("list-include.d-where"), Some("sub-dir"));
}

#[test]
fn include_table() {
    let d = scratch("include_table");
    write(&d, "one.yaml", "%YAML 1.1\n---\none: 1\n");
    write(&d, "two.yaml", "%YAML 1.1\n---\ntwo: 2\n");
    write(&d, "noheader.yaml", "three: 3\n");
    write(&d, "empty.yaml", "");
    // (main text, key to check, expected value; None = load must fail)
    let abs = d.join("one.yaml").display().to_string();
    let table: Vec<(String, &str, Option<&str>)> = vec![
        ("include: one.yaml\n".into(), "one", Some("1")),
        ("include: ./one.yaml\n".into(), "one", Some("1")),
        (format!("include: {abs}\n"), "one", Some("1")),
        ("include: [one.yaml, two.yaml]\n".into(), "two", Some("2")),
        (
            "include:\n  - one.yaml\n  - two.yaml\n".into(),
            "one",
            Some("1"),
        ),
        ("sub:\n  include: one.yaml\n".into(), "sub.one", Some("1")),
        ("sub: !include two.yaml\n".into(), "sub.two", Some("2")),
        ("sub: !include 'two.yaml'\n".into(), "sub.two", Some("2")),
        ("include: empty.yaml\nx: 1\n".into(), "x", Some("1")),
        ("include: missing.yaml\n".into(), "x", None),
        ("include: noheader.yaml\n".into(), "three", None),
        ("include: {a: b}\n".into(), "a", None),
        ("include:\n".into(), "x", None),
    ];
    for (i, (body, key, want)) in table.iter().enumerate() {
        let main = write(
            &d,
            &format!("main{i}.yaml"),
            &format!("%YAML 1.1\n---\n{body}"),
        );
        let r = Config::load_file(&main);
        match want {
            Some(v) => {
                let c = r.unwrap_or_else(|e| panic!("case {i} {body:?}: {e}"));
                assert_eq!(c.get(key), Some(*v), "case {i} {body:?}");
            }
            None => assert!(r.is_err(), "case {i} {body:?} should fail"),
        }
    }
}

#[test]
fn include_loops_and_depth_are_bounded() {
    let d = scratch("include_loops");
    write(&d, "a.yaml", "%YAML 1.1\n---\na: 1\ninclude: b.yaml\n");
    write(&d, "b.yaml", "%YAML 1.1\n---\nb: 1\ninclude: a.yaml\n");
    let e = Config::load_file(d.join("a.yaml")).unwrap_err().to_string();
    assert!(e.contains("include loop"), "{e}");

    write(&d, "self.yaml", "%YAML 1.1\n---\nx: !include self.yaml\n");
    let e = Config::load_file(d.join("self.yaml"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("include loop"), "{e}");

    // A chain deeper than the limit: c0 -> c1 -> ... -> c9
    for i in 0..10 {
        write(
            &d,
            &format!("c{i}.yaml"),
            &format!("%YAML 1.1\n---\nk{i}: 1\ninclude: c{}.yaml\n", i + 1),
        );
    }
    write(&d, "c10.yaml", "%YAML 1.1\n---\nend: 1\n");
    let shallow = LoadOptions {
        max_include_depth: 3,
        ..LoadOptions::default()
    };
    let e = Config::load_file_with(d.join("c0.yaml"), &shallow)
        .unwrap_err()
        .to_string();
    assert!(e.contains("nested too deeply"), "{e}");
    let c = Config::load_file(d.join("c0.yaml")).unwrap();
    assert_eq!(c.get("end"), Some("1"));

    // Includes refused when parsing a string.
    let e = Config::from_yaml_str("%YAML 1.1\n---\ninclude: x.yaml\n").unwrap_err();
    assert!(matches!(e, ConfigError::Include { .. }), "{e}");
}

#[test]
fn malformed_yaml_names_file_line_and_column() {
    let d = scratch("malformed");
    // (text, expected "line:column: message" tail, or a fragment for header errors)
    let table: &[(&[u8], &str)] = &[
        (
            b"%YAML 1.1\n---\na: 1\nb: c: d\n",
            ":4:5: mapping values are not allowed in this context",
        ),
        (
            b"%YAML 1.1\n---\nkey: value\n  bad: indent\n",
            ":4:6: mapping values are not allowed in this context",
        ),
        (
            b"%YAML 1.1\n---\na:\n  b: 1\n c: 2\n",
            ":5:3: while parsing a block mapping, did not find expected key",
        ),
        (b"%YAML 1.1\n---\nlist: [a, b\nx: 1\n", ":4:2: "),
        (b"%YAML 1.1\n---\na:\n\tb: 1\n", ":4:2: "),
        (b"%YAML 1.1\n---\na: [1, 2]]\n", ":3:10: "),
        (b"%YAML 1.1\n---\nok: 1\nbad: \xff\n", ":4:6: invalid UTF-8"),
        (
            b"a: 1\n",
            ": invalid configuration file: it must begin with",
        ),
        (
            b"%YAML 1.2\n---\na: 1\n",
            ": invalid YAML version 1.2, must be 1.1",
        ),
        (
            b"%YAML 1.1\n---\na: 1\n---\nb: 2\n",
            ": invalid configuration file",
        ),
        (
            b"%YAML 1.1\n---\nx: 1\ninclude: {a: b}\n",
            ":4:10: include value cannot be a mapping",
        ),
    ];
    for (i, (text, want)) in table.iter().enumerate() {
        let p = d.join(format!("bad{i}.yaml"));
        std::fs::write(&p, text).unwrap();
        let e = Config::load_file(&p).unwrap_err().to_string();
        let prefix = p.display().to_string();
        assert!(e.starts_with(&prefix), "case {i}: {e}");
        assert!(
            e[prefix.len()..].starts_with(want),
            "case {i}: got {e:?}, want {want:?}"
        );
    }
}

#[test]
fn accepted_edge_files() {
    // Suricata accepts an empty file, a comment-only file, and a top-level list.
    let table: &[(&str, &str)] = &[
        ("", ""),
        ("# only a comment\n", ""),
        ("%YAML 1.1\n---\n", ""),
        ("%YAML 1.1\n---\n- a\n- b\n", "0 = a\n1 = b\n"),
        ("%YAML 1.1\n--- \nk: v\n", "k = v\n"),
        ("%YAML 1.1\n---\nk: v\n...\n", "k = v\n"),
    ];
    for (text, dump) in table {
        let c = Config::from_yaml_str(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(c.dump(), *dump, "{text:?}");
    }
}

#[test]
fn nesting_is_bounded() {
    let deep_ok = format!("%YAML 1.1\n---\n{}1{}\n", "[".repeat(100), "]".repeat(100));
    assert!(Config::from_yaml_str(&deep_ok).is_ok());
    let too_deep = format!("%YAML 1.1\n---\n{}1{}\n", "[".repeat(200), "]".repeat(200));
    let e = Config::from_yaml_str(&too_deep).unwrap_err().to_string();
    assert!(e.contains("nesting limit (128)"), "{e}");
    assert!(e.starts_with("<string>:3:"), "{e}");
    let maps = format!(
        "%YAML 1.1\n---\n{}1{}\n",
        "{a: ".repeat(300),
        "}".repeat(300)
    );
    assert!(Config::from_yaml_str(&maps).is_err());
}

#[test]
fn node_limit_is_enforced() {
    let mut text = String::from("%YAML 1.1\n---\nl: [");
    for i in 0..1000 {
        text.push_str(&format!("{i}, "));
    }
    text.push_str("x]\n");
    let opts = LoadOptions {
        max_nodes: 100,
        ..LoadOptions::default()
    };
    let e = Config::from_yaml_bytes(text.as_bytes(), &opts)
        .unwrap_err()
        .to_string();
    assert!(e.contains("too many configuration nodes"), "{e}");
    assert!(Config::from_yaml_bytes(text.as_bytes(), &LoadOptions::default()).is_ok());
}

#[test]
fn set_before_load_orders_and_wins_like_suricata() {
    // Facts from `suricata --dump-config -c quirks-like file --set ...`:
    // --set nodes are created first (so they come first in the dump), are
    // final (the file does not override them), and list items set by index
    // are reused by the file's list in place.
    let d = scratch("set_before_load");
    let p = write(
        &d,
        "s.yaml",
        "%YAML 1.1\n---\nfirst: 1\noutputs:\n  - fast:\n      enabled: yes\n      filename: fast.log\n  - eve-log:\n      enabled: yes\n",
    );
    let mut c = Config::new();
    c.set_from_string("outputs.1.eve-log.enabled=no").unwrap();
    c.set_from_string("extra.key = v").unwrap();
    c.merge_file(&p).unwrap();
    assert_eq!(
        c.dump(),
        "outputs = (null)\n\
         outputs.0 = fast\n\
         outputs.0.fast = (null)\n\
         outputs.0.fast.enabled = yes\n\
         outputs.0.fast.filename = fast.log\n\
         outputs.1 = eve-log\n\
         outputs.1.eve-log = (null)\n\
         outputs.1.eve-log.enabled = no\n\
         extra = (null)\n\
         extra.key = v\n\
         first = 1\n"
    );
}

#[test]
fn set_after_load_table() {
    let d = scratch("set_after_load");
    let p = write(
        &d,
        "s.yaml",
        "%YAML 1.1\n---\noutputs:\n  - fast:\n      enabled: yes\n  - eve-log:\n      types:\n        - alert\n        - dns\n",
    );
    // (--set argument, key to read, expected value)
    let table: &[(&str, &str, &str)] = &[
        ("outputs.0.fast.enabled=no", "outputs.0.fast.enabled", "no"),
        (
            "outputs.1.eve-log.types.1=http",
            "outputs.1.eve-log.types.1",
            "http",
        ),
        (
            "outputs.1.eve-log.types.5=flow",
            "outputs.1.eve-log.types.5",
            "flow",
        ),
        ("new.deep.path.key=1", "new.deep.path.key", "1"),
        ("outputs.0=changed", "outputs.0", "changed"),
        (
            "vars.address-groups.HOME_NET=[10.0.0.0/8]",
            "vars.address-groups.HOME_NET",
            "[10.0.0.0/8]",
        ),
    ];
    for (arg, key, want) in table {
        let mut c = Config::load_file(&p).unwrap();
        c.set_from_string(arg).unwrap();
        assert_eq!(c.get(key), Some(*want), "{arg}");
        // untouched neighbours survive
        assert_eq!(c.get("outputs.1"), Some("eve-log"), "{arg}");
    }
}

#[test]
fn children_and_sequences() {
    let c = Config::load_file(data("quirks.yaml")).unwrap();
    let bools: Vec<&str> = c.children("bools").filter_map(|n| n.value()).collect();
    assert_eq!(
        bools,
        ["yes", "no", "on", "off", "true", "false", "Yes", "NO"]
    );
    let truth: Vec<Option<bool>> = (0..8).map(|i| c.get_bool(&format!("bools.{i}"))).collect();
    assert_eq!(
        truth,
        [
            Some(true),
            Some(false),
            Some(true),
            Some(false),
            Some(true),
            Some(false),
            Some(true),
            Some(false)
        ]
    );
    assert!(c.get_node("bools").unwrap().is_seq());
    let top: Vec<&str> = c.children("").take(3).map(|n| n.name()).collect();
    assert_eq!(top, ["a", "b", "2"]);
    let seq0 = c.get_node("seq.0").unwrap();
    assert_eq!(seq0.value(), Some("first-key"));
    assert_eq!(seq0.path(), "seq.0");
    assert_eq!(seq0.get("first-key"), Some("1"));
    assert_eq!(c.get_int("nums.0").unwrap(), Some(16));
    assert_eq!(c.get_int("nums.1").unwrap(), Some(8));
    assert!(c.get_int("nums.2").is_err());
}

#[test]
fn suricata_verify_configs_load_and_dump_like_suricata() {
    let Some(tests) = shared("suricata-verify/tests") else {
        eprintln!("note: ../shared/suricata-verify/tests absent, skipped");
        return;
    };
    let facts = std::fs::read_to_string(data("suricata-verify-dumps.tsv")).unwrap();
    let mut checked = 0;
    for line in facts.lines().filter(|l| !l.starts_with('#')) {
        let mut f = line.split('\t');
        let (Some(name), Some(lines), Some(hash)) = (f.next(), f.next(), f.next()) else {
            panic!("bad facts line {line:?}");
        };
        let p = tests.join(name).join("suricata.yaml");
        if !p.exists() {
            continue;
        }
        let c = Config::load_file(&p).unwrap_or_else(|e| panic!("{name}: {e}"));
        // Configurations Suricata runs with must pass our typed checks too.
        palisade_config::views::Engine::from_config(&c)
            .unwrap_or_else(|e| panic!("{name}: typed view: {e}"));
        let dump = c.dump();
        assert_eq!(
            dump.lines().count().to_string(),
            lines,
            "{name}: line count"
        );
        assert_eq!(
            format!("{:016x}", fnv1a64(dump.as_bytes())),
            hash,
            "{name}: dump hash"
        );
        checked += 1;
    }
    assert!(checked >= 100, "only {checked} configs checked");
    // Every suricata.yaml present must load, listed in the facts or not.
    for entry in std::fs::read_dir(&tests).unwrap() {
        let p = entry.unwrap().path().join("suricata.yaml");
        if p.exists() {
            Config::load_file(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        }
    }
}
