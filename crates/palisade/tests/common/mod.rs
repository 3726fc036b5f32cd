//! Helpers shared by the end-to-end tests: run the `palisade` binary, read its EVE output.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The read-only shared data folder (`../shared` beside the repository).
pub fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    p.is_dir().then(|| p.canonicalize().unwrap())
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_palisade")
}

static SEQ: AtomicUsize = AtomicUsize::new(0);

/// A fresh, empty output folder.
pub fn out_dir(tag: &str) -> PathBuf {
    let n = SEQ.fetch_add(1, Ordering::Relaxed);
    let d = std::env::temp_dir().join(format!("palisade-test-{}-{tag}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub fn run(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .output()
        .expect("spawn palisade")
}

/// Runs palisade on one capture with the built-in defaults and `-k none`, returning the
/// process output and the EVE records.
pub fn run_capture(pcap: &Path, extra: &[&str]) -> (Output, Vec<serde_json::Value>, PathBuf) {
    let out = out_dir("cap");
    let mut args = vec![
        "-r",
        pcap.to_str().unwrap(),
        "-l",
        out.to_str().unwrap(),
        "-k",
        "none",
    ];
    args.extend_from_slice(extra);
    let o = run(&args);
    let eve = read_eve(&out.join("eve.json"));
    (o, eve, out)
}

pub fn read_eve(path: &Path) -> Vec<serde_json::Value> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("{}: bad JSON line {l:?}: {e}", path.display()))
        })
        .collect()
}

/// The `stats` object of the last stats record.
pub fn last_stats(eve: &[serde_json::Value]) -> Option<&serde_json::Value> {
    eve.iter()
        .rev()
        .find(|r| r["event_type"] == "stats")
        .map(|r| &r["stats"])
}

/// Runs `f` over `items` on a few threads, collecting the results in input order.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, 4);
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    let slots = std::sync::Mutex::new(&mut results);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= items.len() {
                    break;
                }
                let r = f(&items[i]);
                slots.lock().unwrap()[i] = Some(r);
            });
        }
    });
    results.into_iter().map(|r| r.unwrap()).collect()
}

/// Did the process die of a signal (a crash) rather than exit?
pub fn crashed(o: &Output) -> bool {
    o.status.code().is_none()
}
