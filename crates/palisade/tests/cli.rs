//! The command line, end to end: Suricata's flags, exit codes and messages.

mod common;
use common::*;
use std::path::{Path, PathBuf};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/sample.pcap")
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn usage_errors_exit_1_with_one_line() {
    for args in [
        &["--bogus"][..],
        &["-r"][..],
        &["-k", "maybe"][..],
        &["--set", "novalue"][..],
        &["--runmode", "turbo"][..],
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let e = stderr(&o);
        assert_eq!(e.trim_end().lines().count(), 1, "{args:?}: {e}");
        assert!(e.starts_with("palisade: "), "{e}");
    }
}

#[test]
fn version_and_build_info() {
    let o = run(&["-V"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("Suricata 7.0.10 compatible"));
    let o = run(&["--build-info"]);
    let s = stdout(&o);
    assert!(s.lines().any(|l| l.starts_with("Features: ")), "{s}");
    assert!(s.contains("Rust support:") && s.contains("AF_PACKET support:"));
    for l in s.lines().filter(|l| l.contains(" support:")) {
        assert!(
            l.trim_end().ends_with("yes") || l.trim_end().ends_with("no"),
            "{l}"
        );
    }
}

#[test]
fn reads_a_capture_with_builtin_defaults() {
    let (o, eve, out) = run_capture(&sample(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let flows = eve.iter().filter(|r| r["event_type"] == "flow").count();
    assert_eq!(flows, 6);
    let st = last_stats(&eve).unwrap();
    assert_eq!(st["decoder"]["pkts"], 16);
    assert_eq!(st["defrag"]["ipv4"]["reassembled"], 1);
    assert_eq!(st["decoder"]["vlan"], 1);
    // The files of the default configuration: engine log, fast.log (empty without
    // detection), stats.log with the non-zero counters.
    assert!(out.join("suricata.log").exists());
    assert_eq!(std::fs::metadata(out.join("fast.log")).unwrap().len(), 0);
    let stats = std::fs::read_to_string(out.join("stats.log")).unwrap();
    assert!(
        stats
            .lines()
            .any(|l| l.starts_with("decoder.pkts ") && l.ends_with("| 16")),
        "{stats}"
    );
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn log_dir_must_exist() {
    let o = run(&[
        "-r",
        sample().to_str().unwrap(),
        "-l",
        "/nonexistent/palisade",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("doesn't exist"), "{}", stderr(&o));
}

#[test]
fn not_a_capture_is_an_error_and_truncated_is_a_warning() {
    let out = out_dir("bad");
    let junk = out.join("junk.pcap");
    std::fs::write(&junk, b"GET / HTTP/1.1\r\n\r\n").unwrap();
    let o = run(&["-r", junk.to_str().unwrap(), "-l", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("not a pcap or pcapng file"),
        "{}",
        stderr(&o)
    );

    // Cut the sample in the middle of its last record: every complete packet is read.
    let bytes = std::fs::read(sample()).unwrap();
    let cut = out.join("cut.pcap");
    std::fs::write(&cut, &bytes[..bytes.len() - 100]).unwrap();
    let logs = out.join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    let o = run(&["-r", cut.to_str().unwrap(), "-l", logs.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("truncated"), "{}", stderr(&o));
    let eve = read_eve(&logs.join("eve.json"));
    assert_eq!(last_stats(&eve).unwrap()["decoder"]["pkts"], 15);
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn directory_input_reads_every_file_in_name_order() {
    let out = out_dir("dir");
    let input = out.join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(sample(), input.join("b.pcap")).unwrap();
    std::fs::copy(sample(), input.join("a.pcap")).unwrap();
    let logs = out.join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    let o = run(&["-r", input.to_str().unwrap(), "-l", logs.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let eve = read_eve(&logs.join("eve.json"));
    assert_eq!(last_stats(&eve).unwrap()["decoder"]["pkts"], 32);
    assert!(
        stderr(&o).contains("read 2 files, 32 packets"),
        "{}",
        stderr(&o)
    );
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn set_and_dump_config() {
    let o = run(&[
        "--dump-config",
        "--set",
        "outputs.1.eve-log.filename=x.json",
        "--set",
        "vars.address-groups.HOME_NET=[10.0.0.0/8]",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let s = stdout(&o);
    assert!(
        s.lines()
            .any(|l| l == "outputs.1.eve-log.filename = x.json"),
        "{s}"
    );
    assert!(s
        .lines()
        .any(|l| l == "vars.address-groups.HOME_NET = [10.0.0.0/8]"));
    assert!(s.lines().all(|l| l.contains(" = ")));

    // --set reaches the outputs: eve.json renamed, fast.log switched off.
    let out = out_dir("set");
    let o = run(&[
        "-r",
        sample().to_str().unwrap(),
        "-l",
        out.to_str().unwrap(),
        "--set",
        "outputs.1.eve-log.filename=x.json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(out.join("x.json").exists() && !out.join("eve.json").exists());
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn malformed_yaml_names_file_and_line() {
    let out = out_dir("yaml");
    let y = out.join("bad.yaml");
    std::fs::write(
        &y,
        "%YAML 1.1\n---\noutputs:\n  - eve-log:\n    enabled: yes\n   bad: [\n",
    )
    .unwrap();
    let o = run(&[
        "-c",
        y.to_str().unwrap(),
        "-r",
        sample().to_str().unwrap(),
        "-l",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains(&format!("{}:", y.display())), "{e}");
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn test_mode_reports_rules_and_init_errors_fatal() {
    let out = out_dir("rules");
    let rules = out.join("test.rules");
    std::fs::write(
        &rules,
        "alert tcp any any -> any 80 (msg:\"ok\"; content:\"GET\"; sid:1; rev:1;)\n\
         alert tcp any any -> any 80 (msg:\"bad\"; content:\"x\"; depth:0; nocase; sid:2;)\n\
         alert udp any any -> any any (msg:\"no sid\";)\n\
         alert http any any -> any any (msg:\"ok2\"; http.uri; content:\"/a\"; sid:3;)\n",
    )
    .unwrap();
    let o = run(&[
        "-T",
        "-S",
        rules.to_str().unwrap(),
        "-l",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("2 rules successfully loaded, 2 rules failed"),
        "{}",
        stdout(&o)
    );
    let e = stderr(&o);
    assert!(e.contains(&format!("{}:2:", rules.display())), "{e}");
    assert!(e.contains(&format!("{}:3:", rules.display())), "{e}");
    let o = run(&[
        "-T",
        "--init-errors-fatal",
        "-S",
        rules.to_str().unwrap(),
        "-l",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    // Without -T the bad rules are reported and the capture is processed.
    let o = run(&[
        "-S",
        rules.to_str().unwrap(),
        "-r",
        sample().to_str().unwrap(),
        "-l",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let _ = std::fs::remove_dir_all(out);
}
