//! Loading Suricata YAML into the configuration tree.
//!
//! The YAML text is read as a stream of parser events (yaml-rust2) and fed
//! through a small state machine that builds the tree the way Suricata's
//! loader does, so that the result (and `--dump-config`) match Suricata:
//!
//! * the first document must carry `%YAML 1.1` (an empty file is accepted);
//! * unquoted `~`, `null`, `Null`, `NULL` and empty values are nulls; empty
//!   keys are skipped;
//! * `_` in new key names becomes `-` (with a warning), except directly under
//!   `address-groups` and `port-groups`;
//! * a key seen again replaces the earlier subtree, except final
//!   (command-line) nodes;
//! * a key holding dots (`vars.address-groups.HOME_NET: x`) addresses a path;
//! * list items are named `0`, `1`, ...; a list item that is a mapping takes
//!   its first key as its value (`outputs.0 = fast`);
//! * `include: file` or `include: [files]` at any level loads the files into
//!   the mapping that holds the key; `key: !include file` loads the file
//!   under `key`;
//! * YAML aliases are ignored, exactly as Suricata ignores them (Suricata's
//!   loader has no alias handling; a `<<` merge key is an ordinary key).
//!
//! Hostile input is bounded: nesting depth (Suricata's 128), include depth,
//! number of included files, number of nodes and file size are limited by
//! [`LoadOptions`], and include loops are detected.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, ScanError, Scanner, TScalarStyle, TokenType};

use crate::error::ConfigError;
use crate::tree::{Config, ROOT};

/// Where relative include paths are resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncludeBase {
    /// The folder of the first configuration file loaded, for every include
    /// at any depth. This is what Suricata 7 does (`conf_dirname`).
    MainConfigDir,
    /// The folder of the file that holds the include.
    IncludingFileDir,
}

/// Limits and switches for loading configuration text.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Deepest nesting of mappings/sequences in one file (Suricata: 128).
    pub max_depth: usize,
    /// Deepest chain of includes (file including a file including ...).
    pub max_include_depth: usize,
    /// Most files included in one load.
    pub max_includes: usize,
    /// Most nodes in the tree.
    pub max_nodes: usize,
    /// Largest file accepted, in bytes.
    pub max_file_size: u64,
    /// Whether `include`/`!include` may read files at all.
    pub allow_includes: bool,
    /// How relative include paths are resolved.
    pub include_base: IncludeBase,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_depth: 128,
            max_include_depth: 16,
            max_includes: 256,
            max_nodes: crate::tree::DEFAULT_MAX_NODES,
            max_file_size: 64 * 1024 * 1024,
            allow_includes: true,
            include_base: IncludeBase::MainConfigDir,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    Key,
    Val,
    Include,
}

struct Source<'t> {
    name: String,
    dir: Option<PathBuf>,
    parser: Parser<std::str::Chars<'t>>,
    /// `%YAML` version seen before each explicit document start, keyed by
    /// the document start's character index.
    versions: HashMap<usize, (u32, u32)>,
    ended: bool,
    /// Position of the last event read (for errors found between events).
    last: Option<Marker>,
}

struct Loader<'c> {
    cfg: &'c mut Config,
    opts: &'c LoadOptions,
    /// Canonical paths of the files being parsed, outermost first.
    stack: Vec<PathBuf>,
    includes: usize,
}

fn syntax(name: &str, e: &ScanError) -> ConfigError {
    ConfigError::Syntax {
        path: name.to_string(),
        line: e.marker().line(),
        column: e.marker().col() + 1,
        message: e.info().to_string(),
    }
}

fn structure(name: &str, mark: Marker, message: impl Into<String>) -> ConfigError {
    ConfigError::Structure {
        path: name.to_string(),
        line: mark.line(),
        column: mark.col() + 1,
        message: message.into(),
    }
}

/// Scans the whole text once for `%YAML` directives and remembers which
/// document start each belongs to (the parser's events do not carry them).
fn scan_versions(name: &str, text: &str) -> Result<HashMap<usize, (u32, u32)>, ConfigError> {
    let mut map = HashMap::new();
    let mut pending = None;
    let mut sc = Scanner::new(text.chars());
    loop {
        match sc.next_token() {
            Ok(Some(tok)) => match tok.1 {
                TokenType::VersionDirective(a, b) => pending = Some((a, b)),
                TokenType::DocumentStart => {
                    if let Some(v) = pending.take() {
                        map.insert(tok.0.index(), v);
                    }
                }
                TokenType::StreamEnd => break,
                _ => {}
            },
            Ok(None) => break,
            Err(e) => return Err(syntax(name, &e)),
        }
    }
    Ok(map)
}

fn decode_text(name: &str, bytes: Vec<u8>) -> Result<String, ConfigError> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let col = good.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
            Err(ConfigError::Syntax {
                path: name.to_string(),
                line,
                column: col,
                message: "invalid UTF-8".into(),
            })
        }
    }
}

fn read_file(path: &Path, opts: &LoadOptions) -> Result<String, ConfigError> {
    let name = path.display().to_string();
    let io = |e: std::io::Error| ConfigError::Io {
        path: name.clone(),
        message: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(ConfigError::Io {
            path: name,
            message: "is a directory, not a configuration file".into(),
        });
    }
    if meta.len() > opts.max_file_size {
        return Err(ConfigError::Io {
            path: name,
            message: format!("file too large (limit {} bytes)", opts.max_file_size),
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    if bytes.len() as u64 > opts.max_file_size {
        return Err(ConfigError::Io {
            path: name,
            message: format!("file too large (limit {} bytes)", opts.max_file_size),
        });
    }
    decode_text(&name, bytes)
}

fn mangle(s: &str) -> String {
    s.replace('_', "-")
}

fn is_include_tag(tag: &Option<yaml_rust2::parser::Tag>) -> bool {
    match tag {
        Some(t) => {
            let mut full = String::with_capacity(t.handle.len() + t.suffix.len());
            full.push_str(&t.handle);
            full.push_str(&t.suffix);
            full == "!include"
        }
        None => false,
    }
}

impl Loader<'_> {
    fn load_text(
        &mut self,
        text: &str,
        name: &str,
        dir: Option<PathBuf>,
        parent: usize,
    ) -> Result<(), ConfigError> {
        let versions = scan_versions(name, text)?;
        let mut src = Source {
            name: name.to_string(),
            dir,
            parser: Parser::new_from_str(text),
            versions,
            ended: false,
            last: None,
        };
        self.parse(&mut src, parent, false, 0, State::Key)
    }

    fn include(
        &mut self,
        src: &Source<'_>,
        parent: usize,
        file: &str,
        mark: Marker,
    ) -> Result<(), ConfigError> {
        let at = |m: String| ConfigError::Include {
            path: format!("{}:{}:{}", src.name, mark.line(), mark.col() + 1),
            message: m,
        };
        if !self.opts.allow_includes {
            return Err(at(format!("include of '{file}' not allowed here")));
        }
        if file.is_empty() {
            return Err(at("include with an empty file name".into()));
        }
        let p = Path::new(file);
        let path = if p.is_absolute() {
            p.to_path_buf()
        } else {
            let base = match self.opts.include_base {
                IncludeBase::MainConfigDir => self.cfg.main_dir.clone().or(src.dir.clone()),
                IncludeBase::IncludingFileDir => src.dir.clone(),
            };
            base.unwrap_or_else(|| PathBuf::from(".")).join(p)
        };
        if self.stack.len() > self.opts.max_include_depth {
            return Err(at(format!(
                "includes nested too deeply (limit {})",
                self.opts.max_include_depth
            )));
        }
        self.includes += 1;
        if self.includes > self.opts.max_includes {
            return Err(at(format!(
                "too many included files (limit {})",
                self.opts.max_includes
            )));
        }
        let canon = std::fs::canonicalize(&path).map_err(|e| {
            at(format!(
                "failed to open configuration include file {}: {e}",
                path.display()
            ))
        })?;
        if self.stack.contains(&canon) {
            return Err(at(format!(
                "include loop: {} includes itself",
                path.display()
            )));
        }
        let text = read_file(&path, self.opts)?;
        let dir = path.parent().map(Path::to_path_buf);
        self.stack.push(canon);
        let r = self.load_text(&text, &path.display().to_string(), dir, parent);
        self.stack.pop();
        r
    }

    /// Adds a list item named by `idx` under `parent`, reusing (and moving
    /// to the end) an existing child of that name when the list was not
    /// empty when this sequence began (e.g. items set on the command line).
    fn seq_item(
        &mut self,
        parent: usize,
        idx: usize,
        was_empty: &mut Option<bool>,
        val: Option<String>,
    ) -> Result<usize, ConfigError> {
        let name = idx.to_string();
        let empty = *was_empty.get_or_insert_with(|| self.cfg.nodes[parent].kids.is_empty());
        let existing = if empty {
            None
        } else {
            self.cfg.lookup_child(parent, &name)
        };
        match existing {
            Some(id) => {
                self.cfg.detach(parent, id);
                self.cfg.attach(parent, id);
                Ok(id)
            }
            None => self.cfg.new_node(parent, name, val, false),
        }
    }

    fn parse(
        &mut self,
        src: &mut Source<'_>,
        parent: usize,
        inseq: bool,
        rlevel: usize,
        state: State,
    ) -> Result<(), ConfigError> {
        let mut state = state;
        let mut node = parent;
        let mut seq_idx: usize = 0;
        let mut was_empty: Option<bool> = None;
        let mut include_count = 0usize;
        if rlevel > self.opts.max_depth {
            let (line, column) = src.last.map_or((0, 0), |m| (m.line(), m.col() + 1));
            return Err(ConfigError::Structure {
                path: src.name.clone(),
                line,
                column,
                message: format!(
                    "nesting limit ({}) reached while parsing configuration file",
                    self.opts.max_depth
                ),
            });
        }
        let rlevel = rlevel + 1;
        loop {
            if src.ended {
                return Ok(());
            }
            let (ev, mark) = src.parser.next_token().map_err(|e| syntax(&src.name, &e))?;
            src.last = Some(mark);
            match ev {
                Event::DocumentStart => match src.versions.get(&mark.index()) {
                    Some((1, 1)) => {}
                    Some((a, b)) => {
                        return Err(ConfigError::Header {
                            path: src.name.clone(),
                            message: format!("invalid YAML version {a}.{b}, must be 1.1"),
                        })
                    }
                    None => {
                        return Err(ConfigError::Header {
                            path: src.name.clone(),
                            message: "invalid configuration file: it must begin with the \
                                      two lines \"%YAML 1.1\" and \"---\""
                                .into(),
                        })
                    }
                },
                Event::Scalar(value, style, _anchor, tag) => {
                    if state == State::Key && value.is_empty() {
                        continue;
                    }
                    let is_null = (inseq || state == State::Val)
                        && style == TScalarStyle::Plain
                        && matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL");
                    let value = if is_null { None } else { Some(value) };
                    if inseq {
                        if state == State::Include {
                            if let Some(v) = value {
                                self.include(src, parent, &v, mark)?;
                            }
                            continue;
                        }
                        let idx = seq_idx;
                        seq_idx += 1;
                        self.seq_item(parent, idx, &mut was_empty, value)?;
                    } else if state == State::Include {
                        let v = value.unwrap_or_default();
                        self.include(src, parent, &v, mark)?;
                        state = State::Key;
                    } else if state == State::Key {
                        let v = value.unwrap_or_default();
                        if v == "include" {
                            state = State::Include;
                            include_count += 1;
                            if include_count > 1 {
                                self.cfg.warn(format!(
                                    "{}:{}: several \"include\" keys at the same level; \
                                     use one list of files instead",
                                    src.name,
                                    mark.line()
                                ));
                            }
                            continue;
                        }
                        if self.cfg.nodes[parent].is_seq && self.cfg.nodes[parent].val.is_none() {
                            self.cfg.nodes[parent].val = Some(mangle(&v));
                        }
                        if v.contains('.') {
                            node = self
                                .cfg
                                .get_or_create(parent, &v, false)
                                .map_err(|e| structure(&src.name, mark, e.to_string()))?;
                        } else if let Some(existing) = self.cfg.lookup_child(parent, &v) {
                            if !self.cfg.nodes[existing].fin {
                                self.cfg.prune(existing);
                            }
                            node = existing;
                        } else {
                            let pname = self.cfg.nodes[parent].name.as_str();
                            let keep_underscore = parent != ROOT
                                && (pname == "address-groups" || pname == "port-groups");
                            let name = if v.contains('_') && !keep_underscore {
                                let m = mangle(&v);
                                if self.cfg.mangle_warnings < 10 {
                                    self.cfg.mangle_warnings += 1;
                                    self.cfg.warn(format!(
                                        "{v} is deprecated. Please use {m} on line {}.",
                                        mark.line()
                                    ));
                                }
                                m
                            } else {
                                v
                            };
                            node = self
                                .cfg
                                .new_node(parent, name, None, false)
                                .map_err(|e| structure(&src.name, mark, e.to_string()))?;
                        }
                        state = State::Val;
                    } else {
                        if let Some(v) = value {
                            if is_include_tag(&tag) {
                                self.include(src, node, &v, mark)?;
                            } else if !self.cfg.nodes[node].fin {
                                self.cfg.nodes[node].val = Some(v);
                            }
                        }
                        state = State::Key;
                    }
                }
                Event::SequenceStart(..) => {
                    let (target, st) = if state == State::Include {
                        (parent, State::Include)
                    } else {
                        (node, State::Key)
                    };
                    self.parse(src, target, true, rlevel, st)?;
                    self.cfg.nodes[node].is_seq = true;
                    state = State::Key;
                }
                Event::SequenceEnd => return Ok(()),
                Event::MappingStart(..) => {
                    if state == State::Include {
                        return Err(structure(
                            &src.name,
                            mark,
                            "include value cannot be a mapping",
                        ));
                    }
                    if inseq {
                        let idx = seq_idx;
                        seq_idx += 1;
                        let item = self
                            .seq_item(node, idx, &mut was_empty, None)
                            .map_err(|e| structure(&src.name, mark, e.to_string()))?;
                        self.cfg.nodes[item].is_seq = true;
                        self.parse(src, item, false, rlevel, State::Key)?;
                    } else {
                        self.parse(src, node, false, rlevel, State::Key)?;
                    }
                    state = State::Key;
                }
                Event::MappingEnd => return Ok(()),
                Event::StreamEnd => {
                    src.ended = true;
                    return Ok(());
                }
                // Stream start, document end and aliases carry nothing for
                // the tree (Suricata ignores aliases too).
                _ => {}
            }
        }
    }
}

impl Config {
    /// Loads a Suricata YAML configuration file with default [`LoadOptions`].
    pub fn load_file(path: impl AsRef<Path>) -> Result<Config, ConfigError> {
        Self::load_file_with(path, &LoadOptions::default())
    }

    /// Loads a configuration file with the given options.
    pub fn load_file_with(
        path: impl AsRef<Path>,
        opts: &LoadOptions,
    ) -> Result<Config, ConfigError> {
        let mut c = Config::new();
        c.merge_file_with(path, opts)?;
        Ok(c)
    }

    /// Loads a file into this tree (over values already present; final
    /// values set with [`Config::set`] stay). This is how Suricata orders
    /// things: `--set` values first, then `-c suricata.yaml`.
    pub fn merge_file(&mut self, path: impl AsRef<Path>) -> Result<(), ConfigError> {
        self.merge_file_with(path, &LoadOptions::default())
    }

    /// [`Config::merge_file`] with explicit options.
    pub fn merge_file_with(
        &mut self,
        path: impl AsRef<Path>,
        opts: &LoadOptions,
    ) -> Result<(), ConfigError> {
        self.merge_file_under(path.as_ref(), ROOT, opts)
    }

    /// Loads a file under the node at `prefix` (Suricata's
    /// `ConfYamlLoadFileWithPrefix`); when the node is missing it is created
    /// with the placeholder value `<prefix root node>` as Suricata does.
    pub fn merge_file_at(
        &mut self,
        path: impl AsRef<Path>,
        prefix: &str,
        opts: &LoadOptions,
    ) -> Result<(), ConfigError> {
        let id = match self.lookup_from(ROOT, prefix) {
            Some(id) => id,
            None => {
                self.set_weak(prefix, "<prefix root node>")?;
                self.lookup_from(ROOT, prefix)
                    .ok_or_else(|| ConfigError::Set {
                        input: prefix.to_string(),
                        message: "cannot create prefix node".into(),
                    })?
            }
        };
        self.merge_file_under(path.as_ref(), id, opts)
    }

    /// Includes a file at the root like Suricata's `--include FILE`
    /// (relative to the main configuration's folder once one is loaded).
    pub fn include_file(
        &mut self,
        path: impl AsRef<Path>,
        opts: &LoadOptions,
    ) -> Result<(), ConfigError> {
        let p = path.as_ref();
        let full = if p.is_relative() {
            match &self.main_dir {
                Some(d) => d.join(p),
                None => p.to_path_buf(),
            }
        } else {
            p.to_path_buf()
        };
        self.merge_file_under(&full, ROOT, opts)
    }

    fn merge_file_under(
        &mut self,
        path: &Path,
        parent: usize,
        opts: &LoadOptions,
    ) -> Result<(), ConfigError> {
        let text = read_file(path, opts)?;
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if self.main_dir.is_none() {
            self.main_dir = Some(dir.clone());
        }
        let canon = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.max_nodes = opts.max_nodes;
        let mut l = Loader {
            cfg: self,
            opts,
            stack: vec![canon],
            includes: 0,
        };
        l.load_text(&text, &path.display().to_string(), Some(dir), parent)
    }

    /// Parses configuration text that is not from a file. Includes are
    /// refused (there is no folder to resolve them against).
    pub fn from_yaml_str(text: &str) -> Result<Config, ConfigError> {
        let mut c = Config::new();
        let opts = LoadOptions {
            allow_includes: false,
            ..LoadOptions::default()
        };
        c.merge_yaml_str(text, "<string>", &opts)?;
        Ok(c)
    }

    /// Parses bytes (e.g. from a fuzzer) as configuration text; includes
    /// are refused. Invalid UTF-8 is an error.
    pub fn from_yaml_bytes(bytes: &[u8], opts: &LoadOptions) -> Result<Config, ConfigError> {
        let text = decode_text("<bytes>", bytes.to_vec())?;
        let mut c = Config::new();
        let opts = LoadOptions {
            allow_includes: false,
            ..opts.clone()
        };
        c.merge_yaml_str(&text, "<bytes>", &opts)?;
        Ok(c)
    }

    /// Loads configuration text into this tree; `name` is used in errors.
    /// Relative includes (if allowed) resolve against the current folder.
    pub fn merge_yaml_str(
        &mut self,
        text: &str,
        name: &str,
        opts: &LoadOptions,
    ) -> Result<(), ConfigError> {
        self.max_nodes = opts.max_nodes;
        let mut l = Loader {
            cfg: self,
            opts,
            stack: Vec::new(),
            includes: 0,
        };
        l.load_text(text, name, None, ROOT)
    }
}
