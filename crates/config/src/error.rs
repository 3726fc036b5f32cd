//! Errors of configuration loading and typed access.

use std::fmt;

/// Any failure to load, change or read the configuration.
///
/// Each variant's `Display` names the file (and line/column where known) or
/// the configuration key at fault, so it can be shown to the user as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// A file could not be read.
    Io { path: String, message: String },
    /// The YAML text is malformed. `line` and `column` are 1-based.
    Syntax {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// The document lacks the `%YAML 1.1` / `---` header, or has another version.
    Header { path: String, message: String },
    /// A structural problem found while building the tree (nesting limit,
    /// include as a mapping, too many nodes, ...). `line` 0 means unknown.
    Structure {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// An include could not be honoured (loop, depth, missing name, not allowed).
    Include { path: String, message: String },
    /// A `--set KEY=VALUE` string or key was unusable.
    Set { input: String, message: String },
    /// A configuration value is not valid for its key.
    Value {
        key: String,
        value: String,
        message: String,
    },
}

impl ConfigError {
    pub(crate) fn value(key: &str, value: &str, message: impl Into<String>) -> Self {
        ConfigError::Value {
            key: key.to_string(),
            value: value.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Io { path, message } => write!(f, "{path}: {message}"),
            ConfigError::Syntax {
                path,
                line,
                column,
                message,
            } => write!(f, "{path}:{line}:{column}: {message}"),
            ConfigError::Header { path, message } => write!(f, "{path}: {message}"),
            ConfigError::Structure {
                path,
                line,
                column,
                message,
            } => {
                if *line > 0 {
                    write!(f, "{path}:{line}:{column}: {message}")
                } else {
                    write!(f, "{path}: {message}")
                }
            }
            ConfigError::Include { path, message } => write!(f, "{path}: {message}"),
            ConfigError::Set { input, message } => {
                write!(f, "invalid --set argument '{input}': {message}")
            }
            ConfigError::Value {
                key,
                value,
                message,
            } => write!(f, "invalid value '{value}' for '{key}': {message}"),
        }
    }
}

impl std::error::Error for ConfigError {}
