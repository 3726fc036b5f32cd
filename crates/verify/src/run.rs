//! Running tests: building the command line, executing the engine with a timeout, and
//! evaluating the checks; many tests in parallel.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use wait_timeout::ChildExt;
use yaml_rust2::Yaml;

use crate::checks::{self, CheckOutcome, ShellRun};
use crate::engine::{Engine, EngineInfo};
use crate::requires::{check_requires, check_skip, ReqEnv, ReqError};
use crate::suite::{self, entries, get, TestCase};
use crate::value::yaml_to_py_str;
use crate::version::{Expr, Version};

/// Settings of a suite run.
#[derive(Clone, Debug)]
pub struct Options {
    pub engine: Engine,
    /// Engine binary (a bare name is searched in PATH).
    pub bin: PathBuf,
    /// The suricata-verify folder (holding `tests/`, `etc/`, `suricata-7.0.10.yaml`).
    pub suite: PathBuf,
    pub jobs: usize,
    /// Where the per-test output folders go (a fresh temporary folder when None).
    pub out: Option<PathBuf>,
    /// Substrings selecting tests by name (all tests when empty).
    pub patterns: Vec<String>,
    /// Limit for every process a test starts.
    pub timeout: Duration,
    /// Keep the output folders of passing tests (they are removed otherwise).
    pub keep_passing: bool,
    /// A Suricata source tree in which `requires: script:` probes run (`grep X src/y.c`);
    /// without one they run in the stand-in source folder, find nothing, and skip the test.
    pub source_dir: Option<PathBuf>,
}

impl Options {
    /// Defaults for an engine binary: the default suite, all CPUs, 120 s per process.
    pub fn new(engine: Engine, bin: impl Into<PathBuf>) -> Options {
        Options {
            engine,
            bin: bin.into(),
            suite: suite::default_suite_dir(),
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
            out: None,
            patterns: Vec::new(),
            timeout: Duration::from_secs(120),
            keep_passing: false,
            source_dir: None,
        }
    }
}

/// How one test ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    Fail(String),
    Skip(String),
}

#[derive(Clone, Debug)]
pub struct TestResult {
    pub name: String,
    pub outcome: Outcome,
    pub duration: Duration,
}

impl TestResult {
    /// `PASS name`, `FAIL name: why`, `SKIP name: why`.
    pub fn line(&self) -> String {
        match &self.outcome {
            Outcome::Pass => format!("PASS {}", self.name),
            Outcome::Fail(why) => format!("FAIL {}: {}", self.name, why),
            Outcome::Skip(why) => format!("SKIP {}: {}", self.name, why),
        }
    }
}

/// Results of a suite run, in test-name order.
#[derive(Clone, Debug)]
pub struct Report {
    pub info: EngineInfo,
    pub out_dir: PathBuf,
    pub results: Vec<TestResult>,
}

impl Report {
    fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.results.iter().filter(|r| f(&r.outcome)).count()
    }
    pub fn passed(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Pass))
    }
    pub fn failed(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Fail(_)))
    }
    pub fn skipped(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Skip(_)))
    }
    pub fn passing_names(&self) -> Vec<&str> {
        self.results
            .iter()
            .filter(|r| r.outcome == Outcome::Pass)
            .map(|r| r.name.as_str())
            .collect()
    }

    /// Per-test results as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        let results: Vec<serde_json::Value> = self
            .results
            .iter()
            .map(|r| {
                let (status, reason) = match &r.outcome {
                    Outcome::Pass => ("pass", None),
                    Outcome::Fail(w) => ("fail", Some(w.as_str())),
                    Outcome::Skip(w) => ("skip", Some(w.as_str())),
                };
                serde_json::json!({
                    "name": r.name,
                    "status": status,
                    "reason": reason,
                    "seconds": r.duration.as_secs_f64(),
                })
            })
            .collect();
        serde_json::json!({
            "engine": self.info.engine.name(),
            "bin": self.info.bin,
            "version": self.info.version.to_string(),
            "passed": self.passed(),
            "failed": self.failed(),
            "skipped": self.skipped(),
            "results": results,
        })
    }
}

/// Everything a test needs that is shared by all tests.
struct Ctx {
    info: EngineInfo,
    suite: PathBuf,
    default_yaml: PathBuf,
    /// Stand-in for the Suricata source folder: `src/suricata` (the engine), `suricata.yaml`,
    /// `classification.config`, `reference.config`, `threshold.config`, `etc/`.
    srcdir: PathBuf,
    out_root: PathBuf,
    timeout: Duration,
    keep_passing: bool,
    /// Numbers the private unix-command sockets of concurrent runs.
    socket_seq: AtomicUsize,
    /// Where `requires: script:` probes run.
    script_dir: PathBuf,
}

/// Runs the selected tests; `on_result` sees each result in name order as soon as it and all
/// before it are done.
pub fn run_suite(opts: &Options, on_result: &mut dyn FnMut(&TestResult)) -> Result<Report, String> {
    let info = EngineInfo::probe(opts.engine, &opts.bin)?;
    let suite_dir = std::fs::canonicalize(&opts.suite)
        .map_err(|e| format!("suite {}: {e}", opts.suite.display()))?;
    let tests = suite::select(suite::discover_tests(&suite_dir)?, &opts.patterns);
    let out_root = match &opts.out {
        Some(p) => p.clone(),
        None => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            std::env::temp_dir().join(format!("palisade-verify-{}-{nanos}", std::process::id()))
        }
    };
    std::fs::create_dir_all(&out_root).map_err(|e| format!("{}: {e}", out_root.display()))?;
    let out_root = std::fs::canonicalize(&out_root).map_err(|e| e.to_string())?;
    let srcdir = make_srcdir(&out_root, &suite_dir, &info.bin)?;
    let ctx = Ctx {
        default_yaml: suite_dir.join("suricata-7.0.10.yaml"),
        suite: suite_dir,
        info: info.clone(),
        srcdir: srcdir.clone(),
        out_root: out_root.clone(),
        timeout: opts.timeout,
        keep_passing: opts.keep_passing,
        socket_seq: AtomicUsize::new(0),
        script_dir: opts.source_dir.clone().unwrap_or_else(|| srcdir.clone()),
    };

    let next = AtomicUsize::new(0);
    let jobs = opts.jobs.clamp(1, tests.len().max(1));
    let mut slots: Vec<Option<TestResult>> = vec![None; tests.len()];
    let mut printed = 0;
    std::thread::scope(|s| {
        let (tx, rx) = mpsc::channel::<(usize, TestResult)>();
        for _ in 0..jobs {
            let tx = tx.clone();
            let (ctx, tests, next) = (&ctx, &tests, &next);
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(test) = tests.get(i) else { break };
                let start = Instant::now();
                let outcome = run_test(ctx, test);
                let result = TestResult {
                    name: test.name.clone(),
                    outcome,
                    duration: start.elapsed(),
                };
                if tx.send((i, result)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        for (i, result) in rx {
            slots[i] = Some(result);
            while let Some(Some(r)) = slots.get(printed) {
                on_result(r);
                printed += 1;
            }
        }
    });
    let results: Vec<TestResult> = slots.into_iter().flatten().collect();
    Ok(Report {
        info,
        out_dir: out_root,
        results,
    })
}

fn symlink(target: &Path, link: &Path) -> Result<(), String> {
    let _ = std::fs::remove_file(link);
    std::os::unix::fs::symlink(target, link).map_err(|e| format!("symlink {}: {e}", link.display()))
}

fn make_srcdir(out_root: &Path, suite: &Path, bin: &Path) -> Result<PathBuf, String> {
    let src = out_root.join(".srcdir");
    std::fs::create_dir_all(src.join("src")).map_err(|e| format!("{}: {e}", src.display()))?;
    symlink(bin, &src.join("src/suricata"))?;
    symlink(
        &suite.join("suricata-7.0.10.yaml"),
        &src.join("suricata.yaml"),
    )?;
    symlink(&suite.join("etc"), &src.join("etc"))?;
    for f in [
        "classification.config",
        "reference.config",
        "threshold.config",
    ] {
        symlink(&suite.join("etc").join(f), &src.join(f))?;
    }
    Ok(src)
}

/// Python `string.Template.substitute`: `$$`, `$name`, `${name}`; unknown names are errors.
pub fn substitute(text: &str, vars: &HashMap<String, String>) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(r) = after.strip_prefix('$') {
            out.push('$');
            rest = r;
            continue;
        }
        let (name, consumed) = if let Some(inner) = after.strip_prefix('{') {
            let Some(end) = inner.find('}') else {
                return Err(format!("unterminated ${{ in {text:?}"));
            };
            (&inner[..end], end + 2)
        } else {
            let len = after
                .char_indices()
                .take_while(|(i, c)| {
                    c.is_ascii_alphabetic() || *c == '_' || (*i > 0 && c.is_ascii_digit())
                })
                .count();
            (&after[..len], len)
        };
        let valid = !name.is_empty()
            && name
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(format!("invalid placeholder in {text:?}"));
        }
        match vars.get(name) {
            Some(v) => out.push_str(v),
            None => return Err(format!("unknown variable ${name}")),
        }
        rest = &after[consumed..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Output of a finished process.
struct ProcOut {
    /// Exit code, or None when killed by a signal.
    code: Option<i32>,
    timed_out: bool,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

fn kill_group(pid: u32) {
    // The shell's builtin kill: no procps needed.
    let _ = Command::new("/bin/sh")
        .args(["-c", &format!("kill -KILL -{pid} 2>/dev/null")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Runs `cmd` in its own process group with a time limit. When `capture` is false, stdout and
/// stderr must already be set by the caller.
fn run_process(mut cmd: Command, timeout: Duration, capture: bool) -> Result<ProcOut, String> {
    use std::os::unix::process::CommandExt;
    cmd.process_group(0).stdin(Stdio::null());
    if capture {
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    }
    let mut child = cmd.spawn().map_err(|e| format!("cannot start: {e}"))?;
    let readers: Vec<_> = [
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .map(|pipe| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    })
    .collect();
    let pid = child.id();
    let (status, timed_out) = match child.wait_timeout(timeout) {
        Ok(Some(st)) => (Some(st), false),
        Ok(None) => {
            kill_group(pid);
            (child.wait().ok(), true)
        }
        Err(e) => return Err(format!("wait: {e}")),
    };
    // Leftover members of the group (background jobs of a shell) would hold the pipes open.
    kill_group(pid);
    let mut outs = readers.into_iter().map(|h| h.join().unwrap_or_default());
    let stdout = outs.next().unwrap_or_default();
    let stderr = outs.next().unwrap_or_default();
    Ok(ProcOut {
        code: status.and_then(|s| s.code()),
        timed_out,
        stdout,
        stderr,
    })
}

fn sh(command: &str, cwd: &Path, env: &HashMap<String, String>) -> Command {
    let mut cmd = Command::new("/bin/sh");
    cmd.arg("-c").arg(command).current_dir(cwd).envs(env);
    cmd
}

fn short(text: &[u8]) -> String {
    let s = String::from_utf8_lossy(text);
    let s = s.trim();
    let line = s.lines().last().unwrap_or("");
    let mut line: String = line.chars().take(160).collect();
    if line.len() < s.len() {
        line.insert_str(0, "... ");
    }
    line
}

/// What a failing test reports, at most one line.
fn one_line(s: &str) -> String {
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 300 {
        format!("{}...", s.chars().take(297).collect::<String>())
    } else {
        s
    }
}

fn run_test(ctx: &Ctx, test: &TestCase) -> Outcome {
    match run_test_inner(ctx, test) {
        Outcome::Fail(w) => Outcome::Fail(one_line(&w)),
        Outcome::Skip(w) => Outcome::Skip(one_line(&w)),
        Outcome::Pass => Outcome::Pass,
    }
}

fn run_test_inner(ctx: &Ctx, test: &TestCase) -> Outcome {
    let config = match suite::load_test_yaml(&test.dir.join("test.yaml")) {
        Ok(c) => c,
        Err(e) => return Outcome::Fail(e),
    };
    let out = ctx.out_root.join(&test.name);
    let script_env = {
        let mut e = HashMap::new();
        e.insert("SRCDIR".to_string(), ctx.srcdir.display().to_string());
        e.insert("TZ".to_string(), "UTC".to_string());
        e
    };
    let run_script = |s: &str| {
        run_process(sh(s, &ctx.script_dir, &script_env), ctx.timeout, true)
            .map(|o| o.code == Some(0))
            .unwrap_or(false)
    };
    let req_env = ReqEnv {
        info: &ctx.info,
        srcdir: &ctx.srcdir,
        test_dir: Some(&test.dir),
        run_script: &run_script,
    };

    // Requirements of the test.
    let requires = get(&config, "requires").cloned().unwrap_or(Yaml::Null);
    match check_requires(&requires, &req_env) {
        Ok(()) => {}
        Err(ReqError::Unsatisfied(w)) => return Outcome::Skip(w),
        Err(ReqError::Invalid(w)) => return Outcome::Fail(w),
    }
    let has_command = get(&config, "command").is_some();
    let pcap_cfg = match get(&config, "pcap") {
        Some(Yaml::Boolean(false)) | Some(Yaml::Null) | None => None,
        Some(p) => Some(yaml_to_py_str(p)),
    };
    if !has_command {
        let mut pcap_required = !matches!(get(&requires, "pcap"), Some(Yaml::Boolean(false)));
        if matches!(get(&config, "pcap"), Some(Yaml::Boolean(false))) {
            pcap_required = false;
        }
        if pcap_required && pcap_cfg.is_none() && find_pcaps(&test.dir).is_empty() {
            return Outcome::Skip("No pcap file found".into());
        }
    }
    if let Some(skip) = get(&config, "skip") {
        if let Some(why) = check_skip(skip, &ctx.info) {
            return Outcome::Skip(why);
        }
    }

    // Environment of the engine and of the checks.
    let mut env: HashMap<String, String> = std::env::vars().collect();
    env.insert("SRCDIR".into(), ctx.srcdir.display().to_string());
    env.insert("TZ".into(), "UTC".into());
    env.insert("TEST_DIR".into(), test.dir.display().to_string());
    env.insert("OUTPUT_DIR".into(), out.display().to_string());
    if let Some(extra) = get(&config, "env") {
        for (k, v) in entries(extra) {
            env.insert(k, yaml_to_py_str(v));
        }
    }

    let runs = match get(&config, "count") {
        Some(Yaml::Integer(n)) if *n >= 1 => (*n).min(100) as usize,
        _ => 1,
    };
    let expected_exit = match get(&config, "exit-code") {
        Some(Yaml::Integer(n)) => *n,
        _ => 0,
    };
    let test_min = get(&requires, "min-version");

    let mut outcome = Outcome::Pass;
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(&out);
        if let Err(e) = std::fs::create_dir_all(&out) {
            return Outcome::Fail(format!("{}: {e}", out.display()));
        }
        // setup: scripts run in the output folder before the engine.
        if let Some(Yaml::Array(steps)) = get(&config, "setup") {
            for step in steps {
                if let Some(script) = get(step, "script") {
                    let s = yaml_to_py_str(script);
                    match run_process(sh(&s, &out, &env), ctx.timeout, true) {
                        Ok(o) if o.code == Some(0) => {}
                        _ => return Outcome::Fail(format!("setup script failed: {}", s.trim())),
                    }
                }
            }
        }
        let cmd = match build_command(ctx, test, &config, pcap_cfg.as_deref(), &out, &env) {
            Ok(c) => c,
            Err(e) => return Outcome::Fail(e),
        };
        if let Err(e) = run_engine(ctx, cmd, &out, expected_exit) {
            return Outcome::Fail(e);
        }
        outcome = run_checks(ctx, test, &config, &out, &env, &req_env, test_min);
        if !matches!(outcome, Outcome::Pass) {
            break;
        }
    }
    if outcome == Outcome::Pass && !ctx.keep_passing {
        let _ = std::fs::remove_dir_all(&out);
    }
    outcome
}

fn find_pcaps(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file() && p.extension().is_some_and(|x| x == "pcap" || x == "pcapng")
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn find_rules(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "rules"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The engine invocation: the test's `command:` through the shell, or the default arguments.
fn build_command(
    ctx: &Ctx,
    test: &TestCase,
    config: &Yaml,
    pcap: Option<&str>,
    out: &Path,
    env: &HashMap<String, String>,
) -> Result<(Command, String), String> {
    if let Some(command) = get(config, "command") {
        let text = substitute(&yaml_to_py_str(command), env)?;
        let mut cmd = sh(&text, &test.dir, env);
        cmd.current_dir(&test.dir);
        return Ok((cmd, text));
    }
    let mut args: Vec<String> = Vec::new();
    if let Some(list) = get(config, "args") {
        let Yaml::Array(items) = list else {
            return Err("args is not a list".into());
        };
        for a in items {
            // Like the reference: split at every single whitespace character.
            args.extend(
                yaml_to_py_str(a)
                    .split(char::is_whitespace)
                    .map(str::to_string),
            );
        }
    }
    let etc = ctx.suite.join("etc");
    if etc.join("classification.config").exists() {
        args.push("--set".into());
        args.push(format!(
            "classification-file={}",
            etc.join("classification.config").display()
        ));
    }
    if etc.join("reference.config").exists() {
        args.push("--set".into());
        args.push(format!(
            "reference-config-file={}",
            etc.join("reference.config").display()
        ));
    }
    // Concurrent runs must not share the default configuration's unix-command socket
    // (/var/run/suricata-command.socket): Suricata fails to start when another run holds it.
    args.push("--set".into());
    args.push(format!(
        "unix-command.filename={}",
        socket_path(ctx).display()
    ));
    args.push("--init-errors-fatal".into());
    args.push("-l".into());
    args.push(out.display().to_string());
    if test.basename().contains("ips") {
        args.push("--simulate-ips".into());
    }
    let yaml = test.dir.join("suricata.yaml");
    let yaml = if yaml.exists() {
        yaml
    } else {
        ctx.default_yaml.clone()
    };
    args.push("-c".into());
    args.push(yaml.display().to_string());
    if let Some(p) = pcap {
        let path = test.dir.join(p);
        if !path.exists() {
            return Err(format!("pcap {p} does not exist"));
        }
        let path = std::fs::canonicalize(&path).unwrap_or(path);
        args.push("-r".into());
        args.push(path.display().to_string());
    } else {
        let pcaps = find_pcaps(&test.dir);
        if pcaps.len() > 1 {
            return Err("more than one pcap file".into());
        }
        if let Some(p) = pcaps.first() {
            args.push("-r".into());
            args.push(p.display().to_string());
        }
    }
    let rules = find_rules(&test.dir);
    match rules.as_slice() {
        [] => args.push("--disable-detection".into()),
        [one] => {
            let base = one
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if base.ends_with("firewall.rules") {
                args.push("--firewall-rules-exclusive".into());
                args.push(one.display().to_string());
            } else if rule_file_applies(&base, &ctx.info.version) {
                args.push("-S".into());
                args.push(one.display().to_string());
            } else {
                args.push("--disable-detection".into());
            }
        }
        [fw, td] => {
            if !fw.to_string_lossy().ends_with("firewall.rules")
                || !td.to_string_lossy().ends_with("td.rules")
            {
                return Err("two rule files other than firewall.rules and td.rules".into());
            }
            args.push("--firewall-rules-exclusive".into());
            args.push(fw.display().to_string());
            args.push("-S".into());
            args.push(td.display().to_string());
        }
        _ => return Err("more than 2 rule files".into()),
    }
    let args = args
        .iter()
        .map(|a| substitute(a, env))
        .collect::<Result<Vec<_>, _>>()?;
    let text = std::iter::once(ctx.info.bin.display().to_string())
        .chain(args.iter().cloned())
        .collect::<Vec<_>>()
        .join(" ");
    let mut cmd = Command::new(&ctx.info.bin);
    cmd.args(&args).current_dir(&test.dir).envs(env);
    Ok((cmd, text))
}

/// A private socket path, short enough for a unix socket address (< 108 bytes).
fn socket_path(ctx: &Ctx) -> PathBuf {
    let n = ctx.socket_seq.fetch_add(1, Ordering::Relaxed);
    let p = ctx.out_root.join(".sockets").join(format!("{n}.sock"));
    if p.as_os_str().len() < 100 && std::fs::create_dir_all(ctx.out_root.join(".sockets")).is_ok() {
        p
    } else {
        std::env::temp_dir().join(format!("pv-{}-{n}.sock", std::process::id()))
    }
}

/// `min7.0.1.rules` applies from 7.0.1 on; other rule files always apply.
fn rule_file_applies(base: &str, version: &Version) -> bool {
    match base
        .strip_prefix("min")
        .and_then(|r| r.strip_suffix(".rules"))
    {
        Some(v) => Version::parse(v, Expr::Gte).is_none_or(|req| version.is_gte(&req)),
        None => true,
    }
}

fn run_engine(
    ctx: &Ctx,
    (mut cmd, text): (Command, String),
    out: &Path,
    expected_exit: i64,
) -> Result<(), String> {
    let _ = std::fs::write(out.join("cmdline"), format!("{text}\n"));
    let stdout = File::create(out.join("stdout")).map_err(|e| e.to_string())?;
    let stderr = File::create(out.join("stderr")).map_err(|e| e.to_string())?;
    cmd.stdout(stdout).stderr(stderr);
    let res = run_process(cmd, ctx.timeout, false)?;
    if res.timed_out {
        return Err(format!("timed out after {} s", ctx.timeout.as_secs()));
    }
    match res.code {
        Some(c) if i64::from(c) == expected_exit => Ok(()),
        Some(c) => {
            let err = std::fs::read(out.join("stderr")).unwrap_or_default();
            let err = if err.is_empty() {
                std::fs::read(out.join("stdout")).unwrap_or_default()
            } else {
                err
            };
            Err(format!(
                "exit code {c}, expected {expected_exit}: {}",
                short(&err)
            ))
        }
        None => Err("killed by a signal".into()),
    }
}

fn run_checks(
    ctx: &Ctx,
    test: &TestCase,
    config: &Yaml,
    out: &Path,
    env: &HashMap<String, String>,
    req_env: &ReqEnv<'_>,
    test_min: Option<&Yaml>,
) -> Outcome {
    if let Some(pre) = get(config, "pre-check") {
        let _ = run_process(sh(&yaml_to_py_str(pre), out, env), ctx.timeout, true);
    }
    let checks = match get(config, "checks") {
        None => return Outcome::Pass,
        Some(Yaml::Array(c)) => c,
        Some(_) => return Outcome::Fail("checks is not a list".into()),
    };
    let shell_run = |cmd: &str| match run_process(sh(cmd, out, env), ctx.timeout, true) {
        Ok(o) => ShellRun {
            exit_ok: o.code == Some(0) && !o.timed_out,
            detail: if o.timed_out {
                " (timed out)".into()
            } else if o.stderr.is_empty() {
                String::new()
            } else {
                format!(": {}", short(&o.stderr))
            },
            stdout: o.stdout,
        },
        Err(e) => ShellRun {
            exit_ok: false,
            stdout: Vec::new(),
            detail: format!(": {e}"),
        },
    };
    let (mut passed, mut skipped) = (0, Vec::new());
    for (n, check) in checks.iter().enumerate() {
        for (kind, body) in entries(check) {
            let res = match kind.as_str() {
                "filter" => checks::run_filter(body, out, req_env, test_min),
                "stats" => checks::run_stats(body, out),
                "shell" => checks::run_shell_check(body, req_env, &shell_run),
                "file-compare" => checks::run_file_compare(body, out, &test.dir),
                // The reference ignores unknown check kinds (it only prints them).
                _ => continue,
            };
            match res {
                CheckOutcome::Pass => passed += 1,
                CheckOutcome::Skipped(w) => skipped.push(w),
                CheckOutcome::Fail(w) => return Outcome::Fail(format!("check #{}: {w}", n + 1)),
            }
        }
    }
    if passed == 0 && !skipped.is_empty() {
        return Outcome::Skip(format!("all checks skipped: {}", skipped[0]));
    }
    Outcome::Pass
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitute_table() {
        let vars: HashMap<String, String> = [("SRCDIR", "/s"), ("TEST_DIR", "/t"), ("X_1", "x")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let cases: &[(&str, Option<&str>)] = &[
            (
                "${SRCDIR}/src/suricata -r ${TEST_DIR}/",
                Some("/s/src/suricata -r /t/"),
            ),
            ("$SRCDIR/a", Some("/s/a")),
            ("$X_1.b", Some("x.b")),
            ("cost $$5", Some("cost $5")),
            ("no vars", Some("no vars")),
            ("${NOPE}", None),
            ("$(pwd)", None),
            ("${SRCDIR", None),
        ];
        for (text, want) in cases {
            assert_eq!(substitute(text, &vars).ok().as_deref(), *want, "{text}");
        }
    }

    #[test]
    fn process_timeout_kills_the_group() {
        let env = HashMap::new();
        let start = Instant::now();
        // A background grandchild holds stdout open: it must be killed too.
        let out = run_process(
            sh("sleep 30 & echo started; sleep 30", Path::new("/"), &env),
            Duration::from_millis(500),
            true,
        )
        .unwrap();
        assert!(out.timed_out);
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "started");
        assert!(start.elapsed() < Duration::from_secs(10));

        let ok = run_process(
            sh("exit 3", Path::new("/"), &env),
            Duration::from_secs(10),
            true,
        )
        .unwrap();
        assert!(!ok.timed_out);
        assert_eq!(ok.code, Some(3));
    }

    #[test]
    fn rule_file_versions() {
        let v = Version::new(7, 0, 10);
        assert!(rule_file_applies("test.rules", &v));
        assert!(rule_file_applies("min7.0.0.rules", &v));
        assert!(!rule_file_applies("min8.rules", &v));
    }
}
