//! The engine log: console (stderr) and the `logging.outputs.file` log file, with
//! Suricata's levels (error, warning, notice, info, perf, config, debug).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Mutex;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Level {
    Error = 1,
    Warning = 2,
    Notice = 3,
    Info = 4,
    Perf = 5,
    Config = 6,
    Debug = 7,
}

impl Level {
    pub fn from_name(s: &str) -> Option<Level> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "error" | "critical" | "emergency" | "alert" => Level::Error,
            "warning" => Level::Warning,
            "notice" => Level::Notice,
            "info" => Level::Info,
            "perf" => Level::Perf,
            "config" => Level::Config,
            "debug" => Level::Debug,
            _ => return None,
        })
    }
    fn label(self) -> &'static str {
        match self {
            Level::Error => "Error",
            Level::Warning => "Warning",
            Level::Notice => "Notice",
            Level::Info => "Info",
            Level::Perf => "Perf",
            Level::Config => "Config",
            Level::Debug => "Debug",
        }
    }
}

static CONSOLE_LEVEL: AtomicU8 = AtomicU8::new(Level::Notice as u8);
static FILE_LEVEL: AtomicU8 = AtomicU8::new(Level::Info as u8);
static FILE: Mutex<Option<File>> = Mutex::new(None);
/// The log file takes JSON records (`type: json`), as Suricata's `engine` events.
static FILE_JSON: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub fn set_console_level(l: Level) {
    CONSOLE_LEVEL.store(l as u8, Ordering::Relaxed);
}

/// Opens (appending) the engine log file; `json`: one JSON `engine` record per line.
pub fn open_file(path: &Path, level: Level, json: bool) -> std::io::Result<()> {
    let f = OpenOptions::new().create(true).append(true).open(path)?;
    FILE_LEVEL.store(level as u8, Ordering::Relaxed);
    FILE_JSON.store(json, Ordering::Relaxed);
    if let Ok(mut g) = FILE.lock() {
        *g = Some(f);
    }
    Ok(())
}

pub fn enabled(l: Level) -> bool {
    (l as u8) <= CONSOLE_LEVEL.load(Ordering::Relaxed)
        || (l as u8) <= FILE_LEVEL.load(Ordering::Relaxed)
}

pub fn log(l: Level, module: &str, msg: std::fmt::Arguments<'_>) {
    if (l as u8) <= CONSOLE_LEVEL.load(Ordering::Relaxed) {
        let _ = writeln!(std::io::stderr().lock(), "{}: {module}: {msg}", l.label());
    }
    if (l as u8) <= FILE_LEVEL.load(Ordering::Relaxed) {
        if let Ok(mut g) = FILE.lock() {
            if let Some(f) = g.as_mut() {
                if FILE_JSON.load(Ordering::Relaxed) {
                    let _ = writeln!(f, "{}", json_record(l, module, &msg.to_string()));
                } else {
                    let _ = writeln!(f, "[{}] {}: {module}: {msg}", std::process::id(), l.label());
                }
            }
        }
    }
}

/// Suricata's JSON engine log record. The engine log is outside the deterministic core:
/// its timestamp is the wall clock.
fn json_record(l: Level, module: &str, msg: &str) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let mut j = palisade_output::JsonBuf::new();
    j.set_ts(
        "timestamp",
        palisade_capture::Timestamp::new(now.as_secs(), now.subsec_micros() * 1000),
    );
    j.set_str("log_level", l.label());
    j.set_str("event_type", "engine");
    j.open_object("engine");
    j.set_str("message", msg);
    j.set_str("thread_name", "Suricata-Main");
    j.set_str("module", module);
    j.close_all();
    j.as_str().to_string()
}

#[macro_export]
macro_rules! log_at {
    ($lvl:expr, $module:expr, $($t:tt)*) => {
        if $crate::log::enabled($lvl) { $crate::log::log($lvl, $module, format_args!($($t)*)) }
    };
}
#[macro_export]
macro_rules! error { ($($t:tt)*) => { $crate::log_at!($crate::log::Level::Error, "palisade", $($t)*) }; }
#[macro_export]
macro_rules! warning { ($($t:tt)*) => { $crate::log_at!($crate::log::Level::Warning, "palisade", $($t)*) }; }
#[macro_export]
macro_rules! notice { ($($t:tt)*) => { $crate::log_at!($crate::log::Level::Notice, "palisade", $($t)*) }; }
#[macro_export]
macro_rules! info { ($($t:tt)*) => { $crate::log_at!($crate::log::Level::Info, "palisade", $($t)*) }; }
