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

pub fn set_console_level(l: Level) {
    CONSOLE_LEVEL.store(l as u8, Ordering::Relaxed);
}

/// Opens (appending) the engine log file.
pub fn open_file(path: &Path, level: Level) -> std::io::Result<()> {
    let f = OpenOptions::new().create(true).append(true).open(path)?;
    FILE_LEVEL.store(level as u8, Ordering::Relaxed);
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
                let _ = writeln!(f, "[{}] {}: {module}: {msg}", std::process::id(), l.label());
            }
        }
    }
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
