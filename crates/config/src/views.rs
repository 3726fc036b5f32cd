//! Typed views of the configuration sections the engine uses.
//!
//! Each view is a plain struct with public fields, built by
//! `from_config(&Config)`. A missing key takes Suricata 7.0.10's built-in
//! default (the value Suricata uses when the key is absent from the YAML,
//! which is not always the value in the shipped suricata.yaml); a value that
//! cannot be used is an error naming the key. Where Suricata reads a value
//! as a boolean it uses Suricata's truthiness (anything but yes/true/on/1 is
//! false), so such keys never fail.

use crate::error::ConfigError;
use crate::tree::{Config, NodeRef};
use crate::units;

// ---- small typed getters ------------------------------------------------

fn bool_or(c: &Config, key: &str, default: bool) -> bool {
    c.get_bool(key).unwrap_or(default)
}

fn child_bool_or(n: &NodeRef<'_>, key: &str, default: bool) -> bool {
    n.get_bool(key).unwrap_or(default)
}

fn string_or(c: &Config, key: &str, default: &str) -> String {
    c.get(key).unwrap_or(default).to_string()
}

fn size_or(c: &Config, key: &str, default: u64) -> Result<u64, ConfigError> {
    Ok(c.get_size(key)?.unwrap_or(default))
}

/// Unsigned decimal like Suricata's `StringParseUint32` (no sign, no
/// trailing junk).
fn parse_u32(key: &str, v: &str) -> Result<u32, ConfigError> {
    let t = v.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ConfigError::value(key, v, "not an unsigned integer"));
    }
    t.parse::<u32>()
        .map_err(|_| ConfigError::value(key, v, "out of range (0..=4294967295)"))
}

fn u32_or(c: &Config, key: &str, default: u32) -> Result<u32, ConfigError> {
    match c.get(key) {
        None => Ok(default),
        Some(v) => parse_u32(key, v),
    }
}

fn child_u32_or(n: &NodeRef<'_>, base: &str, key: &str, default: u32) -> Result<u32, ConfigError> {
    match n.get(key) {
        None => Ok(default),
        Some(v) => parse_u32(&format!("{base}.{key}"), v),
    }
}

fn join(base: &str, key: &str) -> String {
    format!("{base}.{key}")
}

// ---- vars ---------------------------------------------------------------

/// `vars.address-groups` and `vars.port-groups`: variable name -> raw
/// definition string (e.g. `HOME_NET` -> `[192.168.0.0/16,10.0.0.0/8]`), in
/// file order. Variables without a value are left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vars {
    pub address_groups: Vec<(String, String)>,
    pub port_groups: Vec<(String, String)>,
}

impl Vars {
    pub fn from_config(c: &Config) -> Result<Self, ConfigError> {
        let collect = |path: &str| -> Vec<(String, String)> {
            c.children(path)
                .filter_map(|n| n.value().map(|v| (n.name().to_string(), v.to_string())))
                .collect()
        };
        Ok(Vars {
            address_groups: collect("vars.address-groups"),
            port_groups: collect("vars.port-groups"),
        })
    }

    /// Definition of an address variable, without the leading `$`.
    pub fn address(&self, name: &str) -> Option<&str> {
        self.address_groups
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Definition of a port variable, without the leading `$`.
    pub fn port(&self, name: &str) -> Option<&str> {
        self.port_groups
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

// ---- outputs -------------------------------------------------------------

/// One entry of the `outputs` list: `- <name>: {enabled: ..., ...}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputEntry {
    /// List index (`outputs.<index>`).
    pub index: usize,
    /// Module name: `fast`, `eve-log`, `stats`, ...
    pub name: String,
    /// `enabled` is true (Suricata skips an output without it).
    pub enabled: bool,
    /// Dotted path of the module's options node (`outputs.1.eve-log`).
    pub path: String,
}

/// One item of `eve-log.types`: `- alert`, or `- stats: {...}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EveType {
    pub name: String,
    /// False only when the options say `enabled` with a non-true value.
    pub enabled: bool,
    /// Dotted path of the options node when the item has options
    /// (`outputs.1.eve-log.types.26.stats`).
    pub options_path: Option<String>,
}

/// `- stats:` options of an eve-log (defaults: totals yes, threads no,
/// deltas no).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EveStats {
    pub totals: bool,
    pub threads: bool,
    pub deltas: bool,
}

/// `- anomaly:` options of an eve-log: which anomaly kinds are logged
/// (defaults: decode no, stream no, applayer yes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EveAnomaly {
    pub enabled: bool,
    pub decode: bool,
    pub stream: bool,
    pub applayer: bool,
}

/// An `eve-log` output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EveLog {
    pub index: usize,
    pub enabled: bool,
    /// Default `eve.json`.
    pub filename: String,
    /// `regular` (default; `file` is the same), `unix_dgram`,
    /// `unix_stream`, `syslog`, `redis`, ...
    pub filetype: String,
    pub append: bool,
    pub community_id: bool,
    pub community_id_seed: u16,
    pub types: Vec<EveType>,
    /// Options of the `stats` type when listed.
    pub stats: Option<EveStats>,
    /// Options of the `anomaly` type when listed.
    pub anomaly: Option<EveAnomaly>,
    pub path: String,
}

impl EveLog {
    /// Whether a type (e.g. `flow`, `alert`) is listed and enabled.
    pub fn has_type(&self, name: &str) -> bool {
        self.types.iter().any(|t| t.name == name && t.enabled)
    }
}

/// A `fast` output (alert lines).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FastLog {
    pub index: usize,
    pub enabled: bool,
    /// Default `fast.log`.
    pub filename: String,
    /// Default yes.
    pub append: bool,
}

/// A `stats` output (stats.log).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatsLog {
    pub index: usize,
    pub enabled: bool,
    /// Default `stats.log`.
    pub filename: String,
    pub append: bool,
    /// Default yes.
    pub totals: bool,
    /// Default no.
    pub threads: bool,
}

/// The `outputs` list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outputs {
    pub entries: Vec<OutputEntry>,
    pub eve_logs: Vec<EveLog>,
    pub fast: Vec<FastLog>,
    pub stats: Vec<StatsLog>,
}

fn filetype_ok(t: &str) -> bool {
    matches!(
        t,
        "regular" | "file" | "unix_dgram" | "unix_stream" | "syslog" | "redis"
    )
}

impl Outputs {
    pub fn from_config(c: &Config) -> Result<Self, ConfigError> {
        let mut out = Outputs::default();
        for item in c.children("outputs") {
            let Ok(index) = item.name().parse::<usize>() else {
                continue;
            };
            // The module name is the item's value (first key of the item).
            let Some(name) = item.value() else { continue };
            let Some(opts) = item.child(name) else {
                out.entries.push(OutputEntry {
                    index,
                    name: name.to_string(),
                    enabled: false,
                    path: format!("outputs.{index}.{name}"),
                });
                continue;
            };
            let path = opts.path();
            let enabled = child_bool_or(&opts, "enabled", false);
            out.entries.push(OutputEntry {
                index,
                name: name.to_string(),
                enabled,
                path: path.clone(),
            });
            match name {
                "eve-log" => out
                    .eve_logs
                    .push(Self::parse_eve(&opts, index, enabled, &path)?),
                "fast" => out.fast.push(FastLog {
                    index,
                    enabled,
                    filename: opts.get("filename").unwrap_or("fast.log").to_string(),
                    append: child_bool_or(&opts, "append", true),
                }),
                "stats" => {
                    let s = StatsLog {
                        index,
                        enabled,
                        filename: opts.get("filename").unwrap_or("stats.log").to_string(),
                        append: child_bool_or(&opts, "append", true),
                        totals: child_bool_or(&opts, "totals", true),
                        threads: child_bool_or(&opts, "threads", false),
                    };
                    if enabled && !s.totals && !s.threads {
                        return Err(ConfigError::value(
                            &join(&path, "totals"),
                            opts.get("totals").unwrap_or(""),
                            "totals and threads cannot both be disabled",
                        ));
                    }
                    out.stats.push(s);
                }
                _ => {}
            }
        }
        Ok(out)
    }

    fn parse_eve(
        opts: &NodeRef<'_>,
        index: usize,
        enabled: bool,
        path: &str,
    ) -> Result<EveLog, ConfigError> {
        let filetype = opts.get("filetype").unwrap_or("regular").to_string();
        if !filetype_ok(&filetype) {
            return Err(ConfigError::value(
                &join(path, "filetype"),
                &filetype,
                "unknown file type",
            ));
        }
        let seed = match opts.get("community-id-seed") {
            None => 0,
            Some(v) => v.trim().parse::<u16>().map_err(|_| {
                ConfigError::value(&join(path, "community-id-seed"), v, "must be 0..=65535")
            })?,
        };
        let mut eve = EveLog {
            index,
            enabled,
            filename: opts.get("filename").unwrap_or("eve.json").to_string(),
            filetype,
            append: child_bool_or(opts, "append", true),
            community_id: child_bool_or(opts, "community-id", false),
            community_id_seed: seed,
            types: Vec::new(),
            stats: None,
            anomaly: None,
            path: path.to_string(),
        };
        if let Some(types) = opts.child("types") {
            for t in types.children() {
                let Some(name) = t.value() else { continue };
                let sub = t.child(name);
                let enabled = match sub.and_then(|s| s.get("enabled")) {
                    Some(v) => units::is_true(v),
                    None => true,
                };
                eve.types.push(EveType {
                    name: name.to_string(),
                    enabled,
                    options_path: sub.map(|s| s.path()),
                });
                match name {
                    "stats" => {
                        let g = |k: &str, d: bool| sub.and_then(|s| s.get_bool(k)).unwrap_or(d);
                        let st = EveStats {
                            totals: g("totals", true),
                            threads: g("threads", false),
                            deltas: g("deltas", false),
                        };
                        if !st.totals && !st.threads {
                            return Err(ConfigError::value(
                                &format!("{}.totals", t.path()),
                                "no",
                                "totals and threads cannot both be disabled",
                            ));
                        }
                        eve.stats = Some(st);
                    }
                    "anomaly" => {
                        // Explicit true sets, explicit false clears, anything
                        // else keeps the default.
                        let flag = |k: &str, d: bool| match sub
                            .and_then(|s| s.get(&format!("types.{k}")))
                        {
                            Some(v) if units::is_true(v) => true,
                            Some(v) if units::is_false(v) => false,
                            _ => d,
                        };
                        eve.anomaly = Some(EveAnomaly {
                            enabled,
                            decode: flag("decode", false),
                            stream: flag("stream", false),
                            applayer: flag("applayer", true),
                        });
                    }
                    _ => {}
                }
            }
        }
        Ok(eve)
    }

    /// The first enabled eve-log output, if any.
    pub fn eve(&self) -> Option<&EveLog> {
        self.eve_logs.iter().find(|e| e.enabled)
    }
}

// ---- global stats -----------------------------------------------------------

/// The top-level `stats` section (defaults: enabled yes, interval 8 s).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stats {
    pub enabled: bool,
    pub interval_secs: u32,
}

impl Stats {
    pub fn from_config(c: &Config) -> Result<Self, ConfigError> {
        // Suricata disables stats only on an explicit false value.
        let enabled = !c.get("stats.enabled").is_some_and(units::is_false);
        let interval_secs = u32_or(c, "stats.interval", 8)?;
        if interval_secs == 0 {
            return Err(ConfigError::value(
                "stats.interval",
                "0",
                "must be at least 1",
            ));
        }
        Ok(Stats {
            enabled,
            interval_secs,
        })
    }
}

// ---- logging ----------------------------------------------------------------

/// Log levels Suricata accepts, most to least severe.
pub const LOG_LEVELS: &[&str] = &[
    "emergency",
    "alert",
    "critical",
    "error",
    "warning",
    "notice",
    "info",
    "perf",
    "config",
    "debug",
];

fn check_level(key: &str, v: &str) -> Result<String, ConfigError> {
    let l = v.to_ascii_lowercase();
    if LOG_LEVELS.contains(&l.as_str()) {
        Ok(l)
    } else {
        Err(ConfigError::value(key, v, "unknown log level"))
    }
}

/// One `logging.outputs` entry: `- console:`, `- file:`, `- syslog:`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogOutput {
    /// `console`, `file` or `syslog`.
    pub kind: String,
    pub enabled: bool,
    /// Lower-cased level when set.
    pub level: Option<String>,
    /// For `file` (Suricata's default: `suricata.log` in the log dir).
    pub filename: Option<String>,
    /// For `syslog` (Suricata's default: `local0`).
    pub facility: Option<String>,
    pub format: Option<String>,
    /// `type: json` for structured output.
    pub log_type: Option<String>,
}

/// The `logging` section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logging {
    /// Default `notice`.
    pub default_log_level: String,
    pub default_log_format: Option<String>,
    pub default_output_filter: Option<String>,
    pub outputs: Vec<LogOutput>,
}

impl Logging {
    pub fn from_config(c: &Config) -> Result<Self, ConfigError> {
        let default_log_level = match c.get("logging.default-log-level") {
            Some(v) => check_level("logging.default-log-level", v)?,
            None => "notice".to_string(),
        };
        let mut outputs = Vec::new();
        for item in c.children("logging.outputs") {
            let Some(kind) = item.value() else { continue };
            let opts = item.child(kind);
            let get = |k: &str| opts.and_then(|o| o.get(k)).map(str::to_string);
            let level = match opts.and_then(|o| o.get("level")) {
                Some(v) => Some(check_level(&format!("{}.{kind}.level", item.path()), v)?),
                None => None,
            };
            outputs.push(LogOutput {
                kind: kind.to_string(),
                enabled: opts.and_then(|o| o.get_bool("enabled")).unwrap_or(false),
                level,
                filename: get("filename"),
                facility: get("facility"),
                format: get("format"),
                log_type: get("type"),
            });
        }
        Ok(Logging {
            default_log_level,
            default_log_format: c.get("logging.default-log-format").map(str::to_string),
            default_output_filter: c.get("logging.default-output-filter").map(str::to_string),
            outputs,
        })
    }
}

// ---- flow -------------------------------------------------------------------

/// The `flow` section (defaults when absent: memcap 32mb, hash-size 65536,
/// prealloc 10000, emergency-recovery 30 %, 1 manager, 1 recycler).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowConfig {
    pub memcap: u64,
    pub hash_size: u32,
    pub prealloc: u32,
    /// Percent of prealloc flows that must be free again to leave
    /// emergency mode.
    pub emergency_recovery: u8,
    pub managers: u32,
    pub recyclers: u32,
}

impl FlowConfig {
    pub fn from_config(c: &Config) -> Result<Self, ConfigError> {
        let hash_size = u32_or(c, "flow.hash-size", 65536)?;
        if hash_size == 0 {
            return Err(ConfigError::value(
                "flow.hash-size",
                "0",
                "must be at least 1",
            ));
        }
        let er = u32_or(c, "flow.emergency-recovery", 30)?;
        if er > 100 {
            return Err(ConfigError::value(
                "flow.emergency-recovery",
                &er.to_string(),
                "a percentage, 0..=100",
            ));
        }
        let count = |key: &str| -> Result<u32, ConfigError> {
            let v = u32_or(c, key, 1)?;
            if !(1..=1024).contains(&v) {
                return Err(ConfigError::value(key, &v.to_string(), "must be 1..=1024"));
            }
            Ok(v)
        };
        Ok(FlowConfig {
            memcap: size_or(c, "flow.memcap", 32 * 1024 * 1024)?,
            hash_size,
            prealloc: u32_or(c, "flow.prealloc", 10000)?,
            emergency_recovery: er as u8,
            managers: count("flow.managers")?,
            recyclers: count("flow.recyclers")?,
        })
    }
}

/// Timeouts of one protocol class, in seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    pub new: u32,
    pub established: u32,
    pub closed: u32,
    pub bypassed: u32,
    pub emergency_new: u32,
    pub emergency_established: u32,
    pub emergency_closed: u32,
    pub emergency_bypassed: u32,
}

/// `flow-timeouts`: per class `default`, `tcp`, `udp`, `icmp`. Missing
/// keys take Suricata's compiled-in values (not the yaml's): default
/// 30/300/0/100 and emergency 10/100/0/50; tcp 30/300/10/100 and emergency
/// 10/100/5/50; udp and icmp 30/300/-/100 and emergency 10/100/-/50
/// (`closed` is not read for udp/icmp and stays 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowTimeouts {
    pub default: Timeouts,
    pub tcp: Timeouts,
    pub udp: Timeouts,
    pub icmp: Timeouts,
}

impl FlowTimeouts {
    pub fn from_config(c: &Config) -> Result<Self, ConfigError> {
        let t = |n, e, cl, b, en, ee, ec, eb| Timeouts {
            new: n,
            established: e,
            closed: cl,
            bypassed: b,
            emergency_new: en,
            emergency_established: ee,
            emergency_closed: ec,
            emergency_bypassed: eb,
        };
        let read = |class: &str, d: Timeouts, with_closed: bool| -> Result<Timeouts, ConfigError> {
            let base = format!("flow-timeouts.{class}");
            let Some(n) = c.get_node(&base) else {
                return Ok(d);
            };
            Ok(Timeouts {
                new: child_u32_or(&n, &base, "new", d.new)?,
                established: child_u32_or(&n, &base, "established", d.established)?,
                closed: if with_closed {
                    child_u32_or(&n, &base, "closed", d.closed)?
                } else {
                    d.closed
                },
                bypassed: child_u32_or(&n, &base, "bypassed", d.bypassed)?,
                emergency_new: child_u32_or(&n, &base, "emergency-new", d.emergency_new)?,
                emergency_established: child_u32_or(
                    &n,
                    &base,
                    "emergency-established",
                    d.emergency_established,
                )?,
                emergency_closed: if with_closed {
                    child_u32_or(&n, &base, "emergency-closed", d.emergency_closed)?
                } else {
                    d.emergency_closed
                },
                emergency_bypassed: child_u32_or(
                    &n,
                    &base,
                    "emergency-bypassed",
                    d.emergency_bypassed,
                )?,
            })
        };
        Ok(FlowTimeouts {
            default: read("default", t(30, 300, 0, 100, 10, 100, 0, 50), true)?,
            tcp: read("tcp", t(30, 300, 10, 100, 10, 100, 5, 50), true)?,
            udp: read("udp", t(30, 300, 0, 100, 10, 100, 0, 50), false)?,
            icmp: read("icmp", t(30, 300, 0, 100, 10, 100, 0, 50), false)?,
        })
    }
}

// ---- defrag -----------------------------------------------------------------

/// One `defrag.host-config` entry: a timeout for some addresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefragHostConfig {
    pub name: String,
    pub timeout: Option<u32>,
    pub addresses: Vec<String>,
}

/// The `defrag` section (defaults when absent: memcap 16mb, hash-size 4096,
/// trackers 65535, max-frags 65535, prealloc yes, timeout 60 s).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefragConfig {
    pub memcap: u64,
    pub hash_size: u32,
    pub trackers: u32,
    pub max_frags: u32,
    pub prealloc: bool,
    /// Seconds, 1..=86400.
    pub timeout: u32,
    pub host_config: Vec<DefragHostConfig>,
}

impl DefragConfig {
    pub fn from_config(c: &Config) -> Result<Self, ConfigError> {
        let nonzero_or = |key: &str, d: u32| -> Result<u32, ConfigError> {
            // Suricata treats 0 as "use the default" for these two.
            let v = u32_or(c, key, d)?;
            Ok(if v == 0 { d } else { v })
        };
        let timeout = match c.get("defrag.timeout") {
            None => 60,
            Some(v) => {
                let t = units::parse_int(v)
                    .ok_or_else(|| ConfigError::value("defrag.timeout", v, "not an integer"))?;
                if !(1..=86_400).contains(&t) {
                    return Err(ConfigError::value(
                        "defrag.timeout",
                        v,
                        "must be 1..=86400 seconds",
                    ));
                }
                t as u32
            }
        };
        let mut host_config = Vec::new();
        for item in c.children("defrag.host-config") {
            let Some(name) = item.value() else { continue };
            let Some(opts) = item.child(name) else {
                continue;
            };
            let base = opts.path();
            let timeout = match opts.get("timeout") {
                None => None,
                Some(v) => Some(parse_u32(&join(&base, "timeout"), v)?),
            };
            let addresses = match opts.child("address") {
                Some(a) if !a.is_empty() => a
                    .children()
                    .filter_map(|x| x.value().map(str::to_string))
                    .collect(),
                Some(a) => a.value().map(|v| vec![v.to_string()]).unwrap_or_default(),
                None => Vec::new(),
            };
            host_config.push(DefragHostConfig {
                name: name.to_string(),
                timeout,
                addresses,
            });
        }
        Ok(DefragConfig {
            memcap: size_or(c, "defrag.memcap", 16 * 1024 * 1024)?,
            hash_size: u32_or(c, "defrag.hash-size", 4096)?,
            trackers: nonzero_or("defrag.trackers", 65535)?,
            max_frags: nonzero_or("defrag.max-frags", 65535)?,
            prealloc: bool_or(c, "defrag.prealloc", true),
            timeout,
            host_config,
        })
    }
}

// ---- decoder ----------------------------------------------------------------

/// A tunnel decoder switch with its port list as written (`$VXLAN_PORTS`,
/// `4789`, `[4789, 8472]`); `ports: None` means the decoder's built-in
/// default (teredo: any UDP port; vxlan: 4789; geneve: 6081).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TunnelDecoder {
    pub enabled: bool,
    pub ports: Option<String>,
}

impl TunnelDecoder {
    /// The ports as numbers, resolving `$VAR` through `vars.port-groups`.
    /// `Ok(None)` when no ports are configured.
    pub fn resolve_ports(&self, vars: &Vars, key: &str) -> Result<Option<Vec<u16>>, ConfigError> {
        let Some(raw) = &self.ports else {
            return Ok(None);
        };
        let mut out = Vec::new();
        resolve_port_list(raw, vars, key, 0, &mut out)?;
        Ok(Some(out))
    }
}

fn resolve_port_list(
    raw: &str,
    vars: &Vars,
    key: &str,
    depth: usize,
    out: &mut Vec<u16>,
) -> Result<(), ConfigError> {
    if depth > 8 {
        return Err(ConfigError::value(
            key,
            raw,
            "port variables nested too deeply",
        ));
    }
    let t = raw.trim();
    let t = t
        .strip_prefix('[')
        .and_then(|x| x.strip_suffix(']'))
        .unwrap_or(t);
    for part in t.split(',') {
        let p = part.trim();
        if p.is_empty() {
            continue;
        }
        if let Some(var) = p.strip_prefix('$') {
            let def = vars.port(var).ok_or_else(|| {
                ConfigError::value(key, raw, format!("undefined port variable ${var}"))
            })?;
            resolve_port_list(def, vars, key, depth + 1, out)?;
        } else {
            let n = p
                .parse::<u16>()
                .map_err(|_| ConfigError::value(key, raw, "ports must be numbers 0..=65535"))?;
            if out.len() >= 64 {
                return Err(ConfigError::value(key, raw, "too many ports"));
            }
            out.push(n);
        }
    }
    Ok(())
}

/// The `decoder` section (all three tunnels enabled by default).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecoderConfig {
    pub teredo: TunnelDecoder,
    pub vxlan: TunnelDecoder,
    pub geneve: TunnelDecoder,
}

impl DecoderConfig {
    pub fn from_config(c: &Config) -> Result<Self, ConfigError> {
        let t = |name: &str| TunnelDecoder {
            enabled: bool_or(c, &format!("decoder.{name}.enabled"), true),
            ports: c.get(&format!("decoder.{name}.ports")).map(str::to_string),
        };
        Ok(DecoderConfig {
            teredo: t("teredo"),
            vxlan: t("vxlan"),
            geneve: t("geneve"),
        })
    }
}

// ---- host-os-policy ---------------------------------------------------------

/// Policy names Suricata knows for `host-os-policy`.
pub const HOST_OS_POLICIES: &[&str] = &[
    "none",
    "bsd",
    "bsd-right",
    "old-linux",
    "linux",
    "old-solaris",
    "solaris",
    "hpux10",
    "hpux11",
    "irix",
    "macos",
    "windows",
    "vista",
    "windows2k3",
];

/// `host-os-policy`: policy name -> addresses, in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HostOsPolicy {
    pub policies: Vec<(String, Vec<String>)>,
}

impl HostOsPolicy {
    pub fn from_config(c: &Config) -> Result<Self, ConfigError> {
        let mut policies = Vec::new();
        for p in c.children("host-os-policy") {
            let addrs: Vec<String> = if p.is_empty() {
                p.value().map(|v| vec![v.to_string()]).unwrap_or_default()
            } else {
                p.children()
                    .filter_map(|a| a.value().map(str::to_string))
                    .collect()
            };
            if !HOST_OS_POLICIES.contains(&p.name()) {
                return Err(ConfigError::value(
                    &format!("host-os-policy.{}", p.name()),
                    p.name(),
                    "unknown host OS policy",
                ));
            }
            policies.push((p.name().to_string(), addrs));
        }
        Ok(HostOsPolicy { policies })
    }
}

// ---- app-layer --------------------------------------------------------------

/// `app-layer.protocols.<proto>.enabled` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppLayerEnabled {
    /// Detection and parsing.
    Yes,
    /// Neither.
    No,
    /// Protocol detection only, no parser.
    DetectionOnly,
}

/// Access to `app-layer.protocols` following Suricata's lookup: first
/// `app-layer.protocols.<proto>.enabled`, then
/// `app-layer.protocols.<proto>.<ipproto>.enabled` (e.g. `dns.udp`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppLayer {
    /// (dotted key that was found, value) per protocol name, in file order;
    /// for per-transport protocols the name is `dns.tcp` etc.
    pub protocols: Vec<(String, AppLayerEnabled)>,
}

fn app_value(key: &str, v: Option<&str>) -> Result<AppLayerEnabled, ConfigError> {
    match v {
        Some(v) if units::is_true(v) => Ok(AppLayerEnabled::Yes),
        Some(v) if units::is_false(v) => Ok(AppLayerEnabled::No),
        Some(v) if v.eq_ignore_ascii_case("detection-only") => Ok(AppLayerEnabled::DetectionOnly),
        Some(v) => Err(ConfigError::value(
            key,
            v,
            "expected yes, no or detection-only",
        )),
        None => Err(ConfigError::value(
            key,
            "",
            "expected yes, no or detection-only",
        )),
    }
}

impl AppLayer {
    pub fn from_config(c: &Config) -> Result<Self, ConfigError> {
        let mut protocols = Vec::new();
        for p in c.children("app-layer.protocols") {
            let name = p.name();
            if let Some(v) = p.child("enabled") {
                let key = format!("app-layer.protocols.{name}.enabled");
                protocols.push((name.to_string(), app_value(&key, v.value())?));
            }
            for transport in ["tcp", "udp"] {
                if let Some(v) = p.node(&format!("{transport}.enabled")) {
                    let key = format!("app-layer.protocols.{name}.{transport}.enabled");
                    protocols.push((format!("{name}.{transport}"), app_value(&key, v.value())?));
                }
            }
        }
        Ok(AppLayer { protocols })
    }

    /// The setting for `proto` over `ipproto` (`"tcp"`/`"udp"`), with
    /// Suricata's lookup order; `None` when not configured (the protocol's
    /// own default applies).
    pub fn get(&self, proto: &str, ipproto: &str) -> Option<AppLayerEnabled> {
        let find = |k: &str| self.protocols.iter().find(|(n, _)| n == k).map(|(_, v)| *v);
        find(proto).or_else(|| find(&format!("{proto}.{ipproto}")))
    }

    /// Whether protocol detection runs for `proto` (yes or detection-only).
    pub fn detection_enabled(&self, proto: &str, ipproto: &str, default: bool) -> bool {
        match self.get(proto, ipproto) {
            Some(AppLayerEnabled::Yes | AppLayerEnabled::DetectionOnly) => true,
            Some(AppLayerEnabled::No) => false,
            None => default,
        }
    }

    /// Whether the parser runs for `proto` (yes only).
    pub fn parser_enabled(&self, proto: &str, ipproto: &str, default: bool) -> bool {
        match self.get(proto, ipproto) {
            Some(AppLayerEnabled::Yes) => true,
            Some(_) => false,
            None => default,
        }
    }
}

// ---- checksums, capture, threading -------------------------------------------

/// `pcap-file.checksum-checks` / interface `checksum-checks`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChecksumMode {
    Auto,
    Yes,
    No,
}

/// The `pcap-file` section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PcapFile {
    /// Default auto.
    pub checksum_checks: ChecksumMode,
}

impl PcapFile {
    pub fn from_config(c: &Config) -> Result<Self, ConfigError> {
        let key = "pcap-file.checksum-checks";
        let checksum_checks = match c.get(key) {
            None => ChecksumMode::Auto,
            Some("auto") => ChecksumMode::Auto,
            Some(v) if units::is_true(v) => ChecksumMode::Yes,
            Some(v) if units::is_false(v) => ChecksumMode::No,
            Some(v) => return Err(ConfigError::value(key, v, "expected yes, no or auto")),
        };
        Ok(PcapFile { checksum_checks })
    }
}

/// The `threading` section.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Threading {
    /// Default no.
    pub set_cpu_affinity: bool,
    /// Default 1.0.
    pub detect_thread_ratio: f64,
}

impl Threading {
    pub fn from_config(c: &Config) -> Result<Self, ConfigError> {
        let key = "threading.detect-thread-ratio";
        let detect_thread_ratio = match c.get(key) {
            None => 1.0,
            Some(v) => {
                let r: f64 = v
                    .trim()
                    .parse()
                    .map_err(|_| ConfigError::value(key, v, "not a number"))?;
                if !(r.is_finite() && r > 0.0) {
                    return Err(ConfigError::value(key, v, "must be a positive number"));
                }
                r
            }
        };
        Ok(Threading {
            set_cpu_affinity: bool_or(c, "threading.set-cpu-affinity", false),
            detect_thread_ratio,
        })
    }
}

// ---- everything the engine reads now -------------------------------------------

/// All typed sections the engine uses, with Suricata's defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct Engine {
    pub vars: Vars,
    /// Default `/var/log/suricata/`.
    pub default_log_dir: String,
    pub stats: Stats,
    pub outputs: Outputs,
    pub logging: Logging,
    pub flow: FlowConfig,
    pub flow_timeouts: FlowTimeouts,
    pub defrag: DefragConfig,
    pub decoder: DecoderConfig,
    pub host_os_policy: HostOsPolicy,
    pub app_layer: AppLayer,
    /// `stream.checksum-validation`, default yes. (`-k` is applied by the
    /// engine on top of this.)
    pub stream_checksum_validation: bool,
    /// Default `/etc/suricata/classification.config`.
    pub classification_file: String,
    /// Default `/etc/suricata/reference.config`.
    pub reference_config_file: String,
    /// No default: relative rule files are then relative to the working
    /// folder.
    pub default_rule_path: Option<String>,
    /// `rule-files` list in order.
    pub rule_files: Vec<String>,
    pub threading: Threading,
    /// `runmode` when set (the engine picks one otherwise).
    pub runmode: Option<String>,
    pub pcap_file: PcapFile,
    /// Default 1024; 1..=65534.
    pub max_pending_packets: u32,
}

impl Engine {
    pub fn from_config(c: &Config) -> Result<Self, ConfigError> {
        let max_pending_packets = match c.get("max-pending-packets") {
            None => 1024,
            Some(v) => {
                let n = parse_u32("max-pending-packets", v)?;
                if !(1..=65534).contains(&n) {
                    return Err(ConfigError::value(
                        "max-pending-packets",
                        v,
                        "must be 1..=65534",
                    ));
                }
                n
            }
        };
        let rule_files = match c.get_node("rule-files") {
            Some(n) if !n.is_empty() => n
                .children()
                .filter_map(|f| f.value().map(str::to_string))
                .collect(),
            Some(n) => n.value().map(|v| vec![v.to_string()]).unwrap_or_default(),
            None => Vec::new(),
        };
        Ok(Engine {
            vars: Vars::from_config(c)?,
            default_log_dir: string_or(c, "default-log-dir", "/var/log/suricata/"),
            stats: Stats::from_config(c)?,
            outputs: Outputs::from_config(c)?,
            logging: Logging::from_config(c)?,
            flow: FlowConfig::from_config(c)?,
            flow_timeouts: FlowTimeouts::from_config(c)?,
            defrag: DefragConfig::from_config(c)?,
            decoder: DecoderConfig::from_config(c)?,
            host_os_policy: HostOsPolicy::from_config(c)?,
            app_layer: AppLayer::from_config(c)?,
            stream_checksum_validation: bool_or(c, "stream.checksum-validation", true),
            classification_file: string_or(
                c,
                "classification-file",
                "/etc/suricata/classification.config",
            ),
            reference_config_file: string_or(
                c,
                "reference-config-file",
                "/etc/suricata/reference.config",
            ),
            default_rule_path: c.get("default-rule-path").map(str::to_string),
            rule_files,
            threading: Threading::from_config(c)?,
            runmode: c.get("runmode").map(str::to_string),
            pcap_file: PcapFile::from_config(c)?,
            max_pending_packets,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::defaults;

    fn cfg(body: &str) -> Config {
        Config::from_yaml_str(&format!("%YAML 1.1\n---\n{body}")).unwrap()
    }

    #[test]
    fn defaults_view() {
        let e = Engine::from_config(&defaults()).unwrap();
        assert_eq!(e.default_log_dir, "/var/log/suricata/");
        assert_eq!(
            e.vars.address("HOME_NET"),
            Some("[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]")
        );
        assert_eq!(e.vars.port("HTTP_PORTS"), Some("80"));
        assert_eq!(e.flow.memcap, 128 * 1024 * 1024);
        assert_eq!(
            (e.flow.hash_size, e.flow.prealloc, e.flow.emergency_recovery),
            (65536, 10000, 30)
        );
        assert_eq!(e.flow_timeouts.tcp.new, 60);
        assert_eq!(e.flow_timeouts.tcp.established, 600);
        assert_eq!(e.flow_timeouts.tcp.emergency_closed, 10);
        assert_eq!(e.flow_timeouts.udp.emergency_bypassed, 50);
        assert_eq!(e.defrag.memcap, 32 * 1024 * 1024);
        assert_eq!(
            (e.defrag.hash_size, e.defrag.trackers, e.defrag.max_frags),
            (65536, 65535, 65535)
        );
        assert_eq!(e.defrag.timeout, 60);
        assert!(e.decoder.vxlan.enabled);
        assert_eq!(
            e.decoder
                .vxlan
                .resolve_ports(&e.vars, "decoder.vxlan.ports")
                .unwrap(),
            Some(vec![4789])
        );
        assert_eq!(
            e.decoder
                .teredo
                .resolve_ports(&e.vars, "decoder.teredo.ports")
                .unwrap(),
            Some(vec![3544])
        );
        assert_eq!(
            e.host_os_policy.policies[0],
            ("windows".to_string(), vec!["0.0.0.0/0".to_string()])
        );
        assert_eq!(
            e.app_layer.get("imap", "tcp"),
            Some(AppLayerEnabled::DetectionOnly)
        );
        assert_eq!(e.app_layer.get("dns", "udp"), Some(AppLayerEnabled::Yes));
        assert!(!e.app_layer.parser_enabled("modbus", "tcp", true));
        assert!(e.app_layer.detection_enabled("imap", "tcp", false));
        assert!(!e.app_layer.parser_enabled("imap", "tcp", true));
        assert!(e.app_layer.parser_enabled("unknown-proto", "tcp", true));
        assert!(e.stream_checksum_validation);
        assert_eq!(e.rule_files, ["suricata.rules"]);
        assert_eq!(
            e.default_rule_path.as_deref(),
            Some("/var/lib/suricata/rules")
        );
        assert_eq!(e.pcap_file.checksum_checks, ChecksumMode::Auto);
        assert!(!e.threading.set_cpu_affinity);
        assert_eq!(e.threading.detect_thread_ratio, 1.0);
        assert_eq!(e.max_pending_packets, 1024);
        assert_eq!(e.logging.default_log_level, "notice");
        assert_eq!(e.logging.outputs.len(), 3);
        assert_eq!(
            e.logging.outputs[1].filename.as_deref(),
            Some("suricata.log")
        );
        assert_eq!(e.logging.outputs[1].level.as_deref(), Some("info"));
        assert!(e.stats.enabled);
        assert_eq!(e.stats.interval_secs, 8);
        let eve = e.outputs.eve().unwrap();
        assert_eq!(
            (eve.filename.as_str(), eve.filetype.as_str()),
            ("eve.json", "regular")
        );
        assert!(eve.has_type("flow") && eve.has_type("alert") && !eve.has_type("frame"));
        assert!(!eve.has_type("pgsql"));
        assert_eq!(
            eve.stats,
            Some(EveStats {
                totals: true,
                threads: false,
                deltas: false
            })
        );
        assert_eq!(
            eve.anomaly,
            Some(EveAnomaly {
                enabled: true,
                decode: false,
                stream: false,
                applayer: true
            })
        );
        assert_eq!(
            e.outputs.fast[0],
            FastLog {
                index: 0,
                enabled: true,
                filename: "fast.log".into(),
                append: true
            }
        );
        assert_eq!(e.outputs.stats[0].filename, "stats.log");
        assert!(e.outputs.stats[0].totals && !e.outputs.stats[0].threads);
        assert_eq!(e.outputs.entries.len(), 13);
        assert_eq!(e.outputs.entries[1].path, "outputs.1.eve-log");
    }

    #[test]
    fn empty_config_gets_compiled_in_defaults() {
        let e = Engine::from_config(&Config::new()).unwrap();
        assert_eq!(e.flow.memcap, 32 * 1024 * 1024);
        assert_eq!(e.flow.managers, 1);
        assert_eq!(
            e.flow_timeouts.tcp,
            Timeouts {
                new: 30,
                established: 300,
                closed: 10,
                bypassed: 100,
                emergency_new: 10,
                emergency_established: 100,
                emergency_closed: 5,
                emergency_bypassed: 50,
            }
        );
        assert_eq!(e.flow_timeouts.default.closed, 0);
        assert_eq!(e.defrag.memcap, 16 * 1024 * 1024);
        assert_eq!(e.defrag.hash_size, 4096);
        assert!(e.defrag.prealloc);
        assert!(e.decoder.teredo.enabled && e.decoder.teredo.ports.is_none());
        assert_eq!(e.classification_file, "/etc/suricata/classification.config");
        assert_eq!(e.reference_config_file, "/etc/suricata/reference.config");
        assert!(e.default_rule_path.is_none() && e.rule_files.is_empty());
        assert!(e.outputs.eve().is_none());
        assert!(e.stats.enabled);
        assert_eq!(e.logging.default_log_level, "notice");
    }

    #[test]
    fn eve_types_and_options() {
        let c = cfg(
            "outputs:\n  - eve-log:\n      enabled: yes\n      filetype: unix_dgram\n      types:\n\
             \x20       - flow\n        - stats:\n            totals: no\n            threads: yes\n            deltas: yes\n\
             \x20       - anomaly:\n            enabled: yes\n            types:\n              decode: yes\n              applayer: no\n\
             \x20       - http:\n            enabled: no\n",
        );
        let o = Outputs::from_config(&c).unwrap();
        let eve = o.eve().unwrap();
        assert_eq!(eve.filetype, "unix_dgram");
        assert_eq!(eve.filename, "eve.json");
        assert_eq!(
            eve.stats,
            Some(EveStats {
                totals: false,
                threads: true,
                deltas: true
            })
        );
        assert_eq!(
            eve.anomaly,
            Some(EveAnomaly {
                enabled: true,
                decode: true,
                stream: false,
                applayer: false
            })
        );
        assert!(eve.has_type("flow"));
        assert!(!eve.has_type("http"));
        assert_eq!(
            eve.types[1].options_path.as_deref(),
            Some("outputs.0.eve-log.types.1.stats")
        );
        assert_eq!(eve.types[0].options_path, None);
    }

    #[test]
    fn bad_values_name_the_key() {
        // (yaml body, key expected in the message)
        let table: &[(&str, &str)] = &[
            ("flow:\n  memcap: lots\n", "flow.memcap"),
            ("flow:\n  hash-size: -1\n", "flow.hash-size"),
            (
                "flow:\n  emergency-recovery: 101\n",
                "flow.emergency-recovery",
            ),
            ("flow:\n  managers: 0\n", "flow.managers"),
            (
                "flow-timeouts:\n  tcp:\n    new: soon\n",
                "flow-timeouts.tcp.new",
            ),
            (
                "flow-timeouts:\n  udp:\n    emergency-bypassed: 1.5\n",
                "flow-timeouts.udp.emergency-bypassed",
            ),
            ("defrag:\n  timeout: 0\n", "defrag.timeout"),
            ("defrag:\n  memcap: 1tb\n", "defrag.memcap"),
            (
                "defrag:\n  host-config:\n    - dmz:\n        timeout: x\n",
                "defrag.host-config.0.dmz.timeout",
            ),
            (
                "app-layer:\n  protocols:\n    tls:\n      enabled: maybe\n",
                "app-layer.protocols.tls.enabled",
            ),
            (
                "app-layer:\n  protocols:\n    dns:\n      udp:\n        enabled: sometimes\n",
                "app-layer.protocols.dns.udp.enabled",
            ),
            (
                "host-os-policy:\n  amiga: [0.0.0.0/0]\n",
                "host-os-policy.amiga",
            ),
            (
                "pcap-file:\n  checksum-checks: perhaps\n",
                "pcap-file.checksum-checks",
            ),
            (
                "threading:\n  detect-thread-ratio: fast\n",
                "threading.detect-thread-ratio",
            ),
            ("max-pending-packets: 0\n", "max-pending-packets"),
            (
                "logging:\n  default-log-level: loud\n",
                "logging.default-log-level",
            ),
            (
                "logging:\n  outputs:\n    - file:\n        level: loud\n",
                "logging.outputs.0.file.level",
            ),
            (
                "outputs:\n  - eve-log:\n      filetype: carrier-pigeon\n",
                "outputs.0.eve-log.filetype",
            ),
            (
                "outputs:\n  - eve-log:\n      community-id-seed: 70000\n",
                "outputs.0.eve-log.community-id-seed",
            ),
            ("stats:\n  interval: 0\n", "stats.interval"),
        ];
        for (body, key) in table {
            let e = Engine::from_config(&cfg(body)).unwrap_err().to_string();
            assert!(e.contains(&format!("'{key}'")), "{body:?}: {e}");
        }
    }

    #[test]
    fn app_layer_lookup_order() {
        let c = cfg("app-layer:\n  protocols:\n    dns:\n      tcp:\n        enabled: no\n      udp:\n        enabled: yes\n    http:\n      enabled: detection-only\n");
        let a = AppLayer::from_config(&c).unwrap();
        assert_eq!(a.get("dns", "tcp"), Some(AppLayerEnabled::No));
        assert_eq!(a.get("dns", "udp"), Some(AppLayerEnabled::Yes));
        assert_eq!(a.get("http", "tcp"), Some(AppLayerEnabled::DetectionOnly));
        assert_eq!(a.get("smb", "tcp"), None);
        assert!(!a.detection_enabled("dns", "tcp", true));
        assert!(a.detection_enabled("smb", "tcp", true));
    }

    #[test]
    fn port_resolution() {
        let vars = Vars {
            address_groups: vec![],
            port_groups: vec![
                ("A".into(), "[4789, 8472]".into()),
                ("B".into(), "[$A,1]".into()),
                ("LOOP".into(), "$LOOP".into()),
            ],
        };
        let t = |p: &str| {
            TunnelDecoder {
                enabled: true,
                ports: Some(p.to_string()),
            }
            .resolve_ports(&vars, "k")
        };
        assert_eq!(t("$B").unwrap(), Some(vec![4789, 8472, 1]));
        assert_eq!(t("6081").unwrap(), Some(vec![6081]));
        assert!(t("$NOPE").is_err());
        assert!(t("$LOOP").is_err());
        assert!(t("70000").is_err());
    }
}
