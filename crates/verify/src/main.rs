//! `palisade-verify`: runs the suricata-verify suite against Palisade or Suricata.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use palisade_verify::{
    compare_ratchet, default_repo_root, read_ratchet, run_suite, Engine, Options,
};

const USAGE: &str =
    "usage: palisade-verify [--engine palisade|suricata] [--bin PATH] [--suite DIR] \
[-j N] [--out DIR] [--timeout SECS] [--keep] [--source-dir SURICATA_SRC] [--ratchet FILE] [--write-passing FILE] [--json FILE] \
[PATTERN...]";

struct Cli {
    opts: Options,
    ratchet: Option<PathBuf>,
    write_passing: Option<PathBuf>,
    json: Option<PathBuf>,
}

fn parse_args() -> Result<Cli, String> {
    let mut engine = Engine::Palisade;
    let mut bin = None;
    let mut suite = None;
    let mut jobs = None;
    let mut out = None;
    let mut timeout = None;
    let mut keep = false;
    let mut source_dir = None;
    let mut ratchet = None;
    let mut write_passing = None;
    let mut json = None;
    let mut patterns = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--engine" => engine = value("--engine")?.parse()?,
            "--bin" => bin = Some(PathBuf::from(value("--bin")?)),
            "--suite" => suite = Some(PathBuf::from(value("--suite")?)),
            "-j" | "--jobs" => {
                let v = value("-j")?;
                jobs = Some(v.parse::<usize>().map_err(|_| format!("bad -j {v}"))?);
            }
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--timeout" => {
                let v = value("--timeout")?;
                timeout = Some(v.parse::<u64>().map_err(|_| format!("bad --timeout {v}"))?);
            }
            s if s.len() > 2 && s.starts_with("-j") => {
                jobs = Some(s[2..].parse::<usize>().map_err(|_| format!("bad {s}"))?);
            }
            "--keep" => keep = true,
            "--source-dir" => source_dir = Some(PathBuf::from(value("--source-dir")?)),
            "--ratchet" => ratchet = Some(PathBuf::from(value("--ratchet")?)),
            "--write-passing" => write_passing = Some(PathBuf::from(value("--write-passing")?)),
            "--json" => json = Some(PathBuf::from(value("--json")?)),
            "-h" | "--help" => return Err(USAGE.into()),
            s if s.starts_with('-') => return Err(format!("unknown option {s}\n{USAGE}")),
            s => patterns.push(s.to_string()),
        }
    }
    let bin = bin.unwrap_or_else(|| match engine {
        Engine::Palisade => default_repo_root().join("target/release/palisade"),
        Engine::Suricata => PathBuf::from("suricata"),
    });
    let mut opts = Options::new(engine, bin);
    if let Some(s) = suite {
        opts.suite = s;
    }
    if let Some(j) = jobs {
        opts.jobs = j.max(1);
    }
    opts.out = out;
    if let Some(t) = timeout {
        opts.timeout = Duration::from_secs(t.max(1));
    }
    opts.keep_passing = keep;
    opts.source_dir = source_dir;
    opts.patterns = patterns;
    Ok(Cli {
        opts,
        ratchet,
        write_passing,
        json,
    })
}

fn main() -> ExitCode {
    let cli = match parse_args() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    // Read the ratchet first: a bad path should not cost a whole run.
    let listed = match cli.ratchet.as_deref().map(read_ratchet).transpose() {
        Ok(l) => l,
        Err(e) => {
            eprintln!("palisade-verify: {e}");
            return ExitCode::from(2);
        }
    };
    let report = match run_suite(&cli.opts, &mut |r| println!("{}", r.line())) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("palisade-verify: {e}");
            return ExitCode::from(2);
        }
    };
    eprintln!("output folders: {}", report.out_dir.display());
    println!("{} skipped", report.skipped());
    println!("{} passed, {} failed", report.passed(), report.failed());

    if let Some(path) = &cli.json {
        let text = serde_json::to_string_pretty(&report.to_json()).unwrap_or_default();
        if let Err(e) = std::fs::write(path, text + "\n") {
            eprintln!("palisade-verify: {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    if let Some(path) = &cli.write_passing {
        let mut text = format!(
            "# suricata-verify tests passing with {} ({} of {}); written by palisade-verify \
             --write-passing. One name per line, # starts a comment.\n",
            report.info.engine.name(),
            report.passed(),
            report.results.len()
        );
        for n in report.passing_names() {
            text.push_str(n);
            text.push('\n');
        }
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("palisade-verify: {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    match listed {
        Some(listed) => {
            let diff = compare_ratchet(&report, &listed);
            if !diff.newly_passing.is_empty() {
                println!("newly passing: add them to the ratchet:");
                for n in &diff.newly_passing {
                    println!("  {n}");
                }
            }
            if !diff.not_run.is_empty() {
                println!("ratchet entries not run (not in the suite or not selected):");
                for n in &diff.not_run {
                    println!("  {n}");
                }
            }
            if diff.ok() {
                ExitCode::SUCCESS
            } else {
                println!(
                    "ratchet: {} listed tests do not pass:",
                    diff.regressed.len()
                );
                for l in &diff.regressed {
                    println!("  {l}");
                }
                ExitCode::from(1)
            }
        }
        None if report.failed() > 0 => ExitCode::from(1),
        None => ExitCode::SUCCESS,
    }
}
