//! Companion files: `classification.config`, `reference.config`,
//! `threshold.config`.

use std::collections::HashMap;
use std::fmt;

/// One classtype.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    pub name: String,
    pub description: String,
    pub priority: u32,
}

/// An error in a companion file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub reason: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.reason)
    }
}

impl std::error::Error for ConfigError {}

/// Joins `\`-continued lines; yields (first line number, text) of non-empty,
/// non-comment logical lines.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start = 0;
    for (i, line) in text.lines().enumerate() {
        let l = line.trim_end();
        if cur.is_empty() {
            let t = l.trim_start();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            start = i + 1;
        }
        if let Some(body) = l.strip_suffix('\\') {
            cur.push_str(body);
            continue;
        }
        cur.push_str(l);
        out.push((start, std::mem::take(&mut cur)));
    }
    if !cur.is_empty() {
        out.push((start, cur));
    }
    out
}

/// Parses `classification.config` (`config classification: name,description,priority`).
/// Bad lines are returned as errors; good ones are kept (as Suricata does).
pub fn parse_classification(
    text: &str,
    file: &str,
) -> (HashMap<String, Classification>, Vec<ConfigError>) {
    let mut map = HashMap::new();
    let mut errors = Vec::new();
    for (line, l) in logical_lines(text) {
        let t = l.trim();
        let Some(rest) = t.strip_prefix("config classification:") else {
            errors.push(ConfigError {
                file: file.into(),
                line,
                reason: format!("invalid classification line \"{t}\""),
            });
            continue;
        };
        let parts: Vec<&str> = rest.splitn(3, ',').map(str::trim).collect();
        let prio = parts.get(2).and_then(|p| p.parse::<u32>().ok());
        match (parts.first(), parts.get(1), prio) {
            (Some(name), Some(desc), Some(priority)) if !name.is_empty() => {
                let name = name.to_ascii_lowercase();
                map.insert(
                    name.clone(),
                    Classification {
                        name,
                        description: desc.to_string(),
                        priority,
                    },
                );
            }
            _ => errors.push(ConfigError {
                file: file.into(),
                line,
                reason: format!("invalid classification line \"{t}\""),
            }),
        }
    }
    (map, errors)
}

/// Parses `reference.config` (`config reference: system url`). Keys are
/// lower-cased.
pub fn parse_reference_config(
    text: &str,
    file: &str,
) -> (HashMap<String, String>, Vec<ConfigError>) {
    let mut map = HashMap::new();
    let mut errors = Vec::new();
    for (line, l) in logical_lines(text) {
        let t = l.trim();
        let parsed = t.strip_prefix("config reference:").and_then(|rest| {
            let rest = rest.trim();
            let (k, url) = rest.split_once(char::is_whitespace)?;
            Some((k.trim().to_ascii_lowercase(), url.trim().to_string()))
        });
        match parsed {
            Some((k, url)) if !k.is_empty() && !url.is_empty() => {
                map.insert(k, url);
            }
            _ => errors.push(ConfigError {
                file: file.into(),
                line,
                reason: format!("invalid reference line \"{t}\""),
            }),
        }
    }
    (map, errors)
}

/// Parses a reputation categories file (`id,shortname,description`) into
/// the set of short names.
pub fn parse_iprep_categories(
    text: &str,
    file: &str,
) -> (std::collections::HashSet<String>, Vec<ConfigError>) {
    let mut set = std::collections::HashSet::new();
    let mut errors = Vec::new();
    for (line, l) in logical_lines(text) {
        let parts: Vec<&str> = l.split(',').map(str::trim).collect();
        let id_ok = parts
            .first()
            .and_then(|i| i.parse::<u8>().ok())
            .is_some_and(|i| i > 0 && i < 60);
        match parts.get(1) {
            Some(name) if id_ok && parts.len() == 3 && !name.is_empty() => {
                set.insert(name.to_string());
            }
            _ => errors.push(ConfigError {
                file: file.into(),
                line,
                reason: format!("invalid reputation category line \"{l}\""),
            }),
        }
    }
    (set, errors)
}

/// Tracking of threshold.config entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Track {
    BySrc,
    ByDst,
    ByRule,
    ByBoth,
    ByEither,
    ByFlow,
}

impl Track {
    fn parse(s: &str) -> Option<Track> {
        Some(match s {
            "by_src" => Track::BySrc,
            "by_dst" => Track::ByDst,
            "by_rule" => Track::ByRule,
            "by_both" => Track::ByBoth,
            "by_either" => Track::ByEither,
            "by_flow" => Track::ByFlow,
            _ => return None,
        })
    }
}

/// Kind of a `threshold` / `event_filter` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThresholdType {
    Limit,
    Threshold,
    Both,
    Backoff,
}

/// One entry of threshold.config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThresholdEntry {
    /// `threshold` or `event_filter` (same fields).
    Threshold {
        gid: u32,
        /// 0 = all signatures.
        sid: u32,
        kind: ThresholdType,
        track: Track,
        count: u32,
        seconds: u32,
    },
    Suppress {
        gid: u32,
        sid: u32,
        /// Track and address (`ip` value as written: IP, CIDR, variable or list).
        track: Option<(Track, String)>,
    },
    RateFilter {
        gid: u32,
        sid: u32,
        track: Track,
        count: u32,
        seconds: u32,
        new_action: String,
        timeout: u32,
    },
}

fn kv_pairs(s: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    // `ip` values may be bracketed lists containing commas.
    let mut depth = 0usize;
    let mut cur = String::new();
    let mut parts = Vec::new();
    for c in s.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    for p in parts {
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        let (k, v) = p
            .split_once(char::is_whitespace)
            .ok_or_else(|| format!("option \"{p}\" has no value"))?;
        out.push((k.trim().to_string(), v.trim().to_string()));
    }
    Ok(out)
}

fn num(v: &str, what: &str) -> Result<u32, String> {
    v.trim()
        .parse::<u32>()
        .map_err(|_| format!("invalid {what} \"{v}\""))
}

fn parse_threshold_line(t: &str) -> Result<ThresholdEntry, String> {
    let (kind, rest) = t
        .split_once(char::is_whitespace)
        .ok_or_else(|| format!("invalid line \"{t}\""))?;
    let kv = kv_pairs(rest)?;
    let get = |k: &str| kv.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str());
    for (k, _) in &kv {
        let allowed: &[&str] = match kind {
            "threshold" | "event_filter" => {
                &["gen_id", "sig_id", "type", "track", "count", "seconds"]
            }
            "suppress" => &["gen_id", "sig_id", "track", "ip"],
            "rate_filter" => &[
                "gen_id",
                "sig_id",
                "track",
                "count",
                "seconds",
                "new_action",
                "timeout",
            ],
            _ => return Err(format!("unknown entry type \"{kind}\"")),
        };
        if !allowed.contains(&k.as_str()) {
            return Err(format!("unknown option \"{k}\" for {kind}"));
        }
    }
    let gid = num(get("gen_id").ok_or("missing gen_id")?, "gen_id")?;
    let sid = num(get("sig_id").ok_or("missing sig_id")?, "sig_id")?;
    let track = |allow_either: bool| -> Result<Track, String> {
        let v = get("track").ok_or("missing track")?;
        match Track::parse(v) {
            Some(Track::ByEither) if !allow_either => Err(format!("invalid track \"{v}\"")),
            Some(Track::ByFlow) => Err(format!("invalid track \"{v}\"")),
            Some(tr) => Ok(tr),
            None => Err(format!("invalid track \"{v}\"")),
        }
    };
    match kind {
        "threshold" | "event_filter" => {
            let ty = match get("type").ok_or("missing type")? {
                "limit" => ThresholdType::Limit,
                "threshold" => ThresholdType::Threshold,
                "both" => ThresholdType::Both,
                "backoff" => ThresholdType::Backoff,
                other => return Err(format!("invalid type \"{other}\"")),
            };
            Ok(ThresholdEntry::Threshold {
                gid,
                sid,
                kind: ty,
                track: track(false)?,
                count: num(get("count").ok_or("missing count")?, "count")?,
                seconds: num(get("seconds").ok_or("missing seconds")?, "seconds")?,
            })
        }
        "suppress" => {
            let tr = match (get("track"), get("ip")) {
                (None, None) => None,
                (Some(_), Some(ip)) => {
                    let t = track(true)?;
                    if !matches!(t, Track::BySrc | Track::ByDst | Track::ByEither) {
                        return Err("suppress track must be by_src, by_dst or by_either".into());
                    }
                    Some((t, ip.to_string()))
                }
                _ => return Err("suppress needs both track and ip, or neither".into()),
            };
            Ok(ThresholdEntry::Suppress {
                gid,
                sid,
                track: tr,
            })
        }
        "rate_filter" => {
            let na = get("new_action").ok_or("missing new_action")?;
            if !matches!(na, "alert" | "drop" | "pass" | "reject" | "log" | "sdrop") {
                return Err(format!("invalid new_action \"{na}\""));
            }
            Ok(ThresholdEntry::RateFilter {
                gid,
                sid,
                track: {
                    let v = get("track").ok_or("missing track")?;
                    match v {
                        "by_src" => Track::BySrc,
                        "by_dst" => Track::ByDst,
                        "by_rule" => Track::ByRule,
                        "by_both" => Track::ByBoth,
                        _ => return Err(format!("invalid track \"{v}\"")),
                    }
                },
                count: num(get("count").ok_or("missing count")?, "count")?,
                seconds: num(get("seconds").ok_or("missing seconds")?, "seconds")?,
                new_action: na.to_string(),
                timeout: num(get("timeout").ok_or("missing timeout")?, "timeout")?,
            })
        }
        _ => Err(format!("unknown entry type \"{kind}\"")),
    }
}

/// Parses `threshold.config`.
pub fn parse_threshold_config(text: &str, file: &str) -> (Vec<ThresholdEntry>, Vec<ConfigError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (line, l) in logical_lines(text) {
        match parse_threshold_line(l.trim()) {
            Ok(e) => out.push(e),
            Err(reason) => errors.push(ConfigError {
                file: file.into(),
                line,
                reason,
            }),
        }
    }
    (out, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        let text = "# comment\nconfig classification: not-suspicious,Not Suspicious Traffic,3\n\
                    config classification: trojan-activity,A Network Trojan was detected, 1\n\
                    config classification: broken\n";
        let (m, e) = parse_classification(text, "c.config");
        assert_eq!(m.len(), 2);
        assert_eq!(m["trojan-activity"].priority, 1);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].line, 4);
    }

    #[test]
    fn reference() {
        let (m, e) = parse_reference_config(
            "config reference: bugtraq   http://www.securityfocus.com/bid/\nconfig reference: URL http://\nbad\n",
            "r",
        );
        assert_eq!(m["url"], "http://");
        assert_eq!(m.len(), 2);
        assert_eq!(e.len(), 1);
    }

    #[test]
    fn threshold() {
        let text = "threshold gen_id 1, sig_id 10, type limit, track by_src, count 1, seconds 60\n\
            event_filter gen_id 1, sig_id 0, type both, track by_dst, count 2, seconds 5\n\
            suppress gen_id 1, sig_id 2003614, track by_src, ip [217.110.97.128/25,1.2.3.4]\n\
            suppress gen_id 1, sig_id 5\n\
            rate_filter gen_id 1, sig_id 1000, track by_rule, count 100, seconds 60, \\\n  new_action drop, timeout 10\n\
            threshold gen_id 1, sig_id 10, type bogus, track by_src, count 1, seconds 60\n\
            suppress gen_id 1, sig_id 5, track by_src\n";
        let (v, e) = parse_threshold_config(text, "t");
        assert_eq!(v.len(), 5, "{e:?}");
        assert_eq!(e.len(), 2);
        assert!(matches!(
            &v[2],
            ThresholdEntry::Suppress { track: Some((Track::BySrc, ip)), .. } if ip == "[217.110.97.128/25,1.2.3.4]"
        ));
        assert!(matches!(
            &v[4],
            ThresholdEntry::RateFilter { timeout: 10, .. }
        ));
        assert_eq!(e[0].line, 7);
    }
}
