//! Looking up dotted paths in EVE records and comparing them with expectations from test.yaml.
//!
//! The semantics follow suricata-verify's runner (a Python program): a missing key and a JSON
//! `null` are both "None"; YAML and JSON numbers compare by value (booleans count as 0/1);
//! a type error in a suffix operation (e.g. `__find` on a missing value) is an error that fails
//! the whole test, not a mere non-match. Key order of `match:` is kept, and evaluation stops at
//! the first key that does not match, so an earlier key can protect a later one.

use serde_json::Value;
use yaml_rust2::Yaml;

/// Result of a path lookup.
#[derive(Clone, Debug, PartialEq)]
pub enum Found<'a> {
    /// Missing key, out-of-range index, or JSON null.
    None,
    Val(&'a Value),
    /// A string produced by indexing a string (`s[0]`).
    Char(String),
    /// Result of a `__len` part (-1 when the value has no length).
    Len(i64),
}

const PASS_THROUGH: [&str; 8] = [
    "__contains",
    "__find",
    "__startswith",
    "__endswith",
    "__gt",
    "__gte",
    "__lt",
    "__lte",
];

/// Splits `name[3]` into (`name`, Some(3)).
fn split_index(part: &str) -> (&str, Option<&str>) {
    if let Some(stripped) = part.strip_suffix(']') {
        if let Some(open) = stripped.rfind('[') {
            let digits = &stripped[open + 1..];
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                return (&stripped[..open], Some(digits));
            }
        }
    }
    (part, None)
}

fn py_len(found: &Found<'_>) -> i64 {
    match found {
        Found::Val(Value::String(s)) => s.chars().count() as i64,
        Found::Val(Value::Array(a)) => a.len() as i64,
        Found::Val(Value::Object(o)) => o.len() as i64,
        Found::Char(s) => s.chars().count() as i64,
        _ => -1,
    }
}

/// Looks up a dotted path (`alert.metadata.tag[0]`, `dns.rrname.__len`, `tls.sni.__find`).
/// Suffix parts (`__find`, `__contains`, ...) stop the walk and yield the value reached.
pub fn find_value<'a>(path: &str, root: &'a Value) -> Result<Found<'a>, String> {
    let mut cur = Found::Val(root);
    for part in path.split('.') {
        if let Found::Val(Value::Null) = cur {
            cur = Found::None;
        }
        if part == "__len" {
            return Ok(Found::Len(py_len(&cur)));
        }
        if PASS_THROUGH.contains(&part) {
            break;
        }
        let (name, index) = split_index(part);
        let next = match &cur {
            Found::Val(Value::Object(map)) => match map.get(name) {
                Some(v) => v,
                None => return Ok(Found::None),
            },
            // Python's `name in obj` on a list/string is a membership/substring test; when it
            // holds, the following subscript is a type error.
            Found::Val(Value::Array(items)) => {
                if items.iter().any(|i| i.as_str() == Some(name)) {
                    return Err(format!("cannot index a list with {name:?} in {path}"));
                }
                return Ok(Found::None);
            }
            Found::Val(Value::String(s)) | Found::Char(s) => {
                if s.contains(name) {
                    return Err(format!("cannot index a string with {name:?} in {path}"));
                }
                return Ok(Found::None);
            }
            _ => return Err(format!("cannot look up {name:?} in a non-object ({path})")),
        };
        cur = Found::Val(next);
        if let Some(digits) = index {
            let Ok(i) = digits.parse::<usize>() else {
                return Ok(Found::None);
            };
            cur = match next {
                Value::Array(items) => match items.get(i) {
                    Some(v) => Found::Val(v),
                    None => return Ok(Found::None),
                },
                Value::String(s) => match s.chars().nth(i) {
                    Some(c) => Found::Char(c.to_string()),
                    None => return Ok(Found::None),
                },
                _ => return Ok(Found::None),
            };
        }
    }
    if let Found::Val(Value::Null) = cur {
        cur = Found::None;
    }
    Ok(cur)
}

/// A number in Python's numeric tower (bool ⊂ int ⊂ float).
#[derive(Clone, Copy, Debug)]
enum Num {
    Int(i128),
    Float(f64),
}

fn num_eq(a: Num, b: Num) -> bool {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => x == y,
        (Num::Int(x), Num::Float(y)) | (Num::Float(y), Num::Int(x)) => (x as f64) == y,
        (Num::Float(x), Num::Float(y)) => x == y,
    }
}

fn num_cmp(a: Num, b: Num) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => Some(x.cmp(&y)),
        (Num::Int(x), Num::Float(y)) => (x as f64).partial_cmp(&y),
        (Num::Float(x), Num::Int(y)) => x.partial_cmp(&(y as f64)),
        (Num::Float(x), Num::Float(y)) => x.partial_cmp(&y),
    }
}

fn json_num(v: &Value) -> Option<Num> {
    match v {
        Value::Bool(b) => Some(Num::Int(i128::from(*b))),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Some(Num::Int(i128::from(i)))
            } else if let Some(u) = n.as_u64() {
                Some(Num::Int(i128::from(u)))
            } else {
                n.as_f64().map(Num::Float)
            }
        }
        _ => None,
    }
}

fn yaml_num(y: &Yaml) -> Option<Num> {
    match y {
        Yaml::Boolean(b) => Some(Num::Int(i128::from(*b))),
        Yaml::Integer(i) => Some(Num::Int(i128::from(*i))),
        Yaml::Real(s) => yaml_real(s).map(Num::Float),
        _ => None,
    }
}

fn yaml_real(s: &str) -> Option<f64> {
    match s.trim_start_matches(['+', '-']) {
        ".inf" | ".Inf" | ".INF" => Some(if s.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        }),
        ".nan" | ".NaN" | ".NAN" => Some(f64::NAN),
        _ => s.parse().ok(),
    }
}

fn found_num(f: &Found<'_>) -> Option<Num> {
    match f {
        Found::Val(v) => json_num(v),
        Found::Len(n) => Some(Num::Int(i128::from(*n))),
        _ => None,
    }
}

fn found_str<'b>(f: &'b Found<'_>) -> Option<&'b str> {
    match f {
        Found::Val(Value::String(s)) => Some(s),
        Found::Char(s) => Some(s),
        _ => None,
    }
}

/// Python-style `==` between a JSON value and a YAML value.
pub fn json_eq_yaml(v: &Value, y: &Yaml) -> bool {
    match (v, y) {
        (Value::Null, Yaml::Null) => true,
        (Value::String(a), Yaml::String(b)) => a == b,
        (Value::Array(a), Yaml::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| json_eq_yaml(x, y))
        }
        (Value::Object(a), Yaml::Hash(b)) => {
            a.len() == b.len()
                && b.iter().all(|(k, yv)| match k {
                    Yaml::String(k) => a.get(k).is_some_and(|jv| json_eq_yaml(jv, yv)),
                    _ => false,
                })
        }
        _ => match (json_num(v), yaml_num(y)) {
            (Some(a), Some(b)) => num_eq(a, b),
            _ => false,
        },
    }
}

/// Python-style `==` between a lookup result and an expected YAML value.
pub fn found_eq(f: &Found<'_>, y: &Yaml) -> bool {
    match f {
        Found::None => matches!(y, Yaml::Null),
        Found::Val(v) => json_eq_yaml(v, y),
        Found::Char(s) => matches!(y, Yaml::String(b) if b == s),
        Found::Len(n) => yaml_num(y).is_some_and(|b| num_eq(Num::Int(i128::from(*n)), b)),
    }
}

/// Short human form of a lookup result for failure messages.
pub fn show_found(f: &Found<'_>) -> String {
    match f {
        Found::None => "None".into(),
        Found::Val(v) => {
            let s = v.to_string();
            if s.len() > 80 {
                let mut end = 77;
                while !s.is_char_boundary(end) {
                    end -= 1;
                }
                format!("{}...", &s[..end])
            } else {
                s
            }
        }
        Found::Char(s) => format!("{s:?}"),
        Found::Len(n) => n.to_string(),
    }
}

/// Short human form of a YAML value.
pub fn show_yaml(y: &Yaml) -> String {
    match y {
        Yaml::Null => "None".into(),
        Yaml::String(s) => format!("{s:?}"),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Real(r) => r.clone(),
        Yaml::Boolean(b) => b.to_string(),
        Yaml::Array(a) => format!(
            "[{}]",
            a.iter().map(show_yaml).collect::<Vec<_>>().join(", ")
        ),
        Yaml::Hash(h) => format!(
            "{{{}}}",
            h.iter()
                .map(|(k, v)| format!("{}: {}", show_yaml(k), show_yaml(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => "?".into(),
    }
}

/// Python's `str()` of a YAML scalar (used for `expect:` of shell checks and `env:` values).
pub fn yaml_to_py_str(y: &Yaml) -> String {
    match y {
        Yaml::Null => "None".into(),
        Yaml::String(s) => s.clone(),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Real(r) => match yaml_real(r) {
            Some(f) if f.is_finite() && f == f.trunc() && f.abs() < 1e16 => format!("{f:.1}"),
            Some(f) if f.is_finite() => f.to_string(),
            _ => r.clone(),
        },
        Yaml::Boolean(true) => "True".into(),
        Yaml::Boolean(false) => "False".into(),
        other => show_yaml(other),
    }
}

/// Evaluates one `key: expected` entry of a `match:` (or a `stats:` entry) against a record.
/// `Ok(false)` is a non-match; `Err` is an evaluation error that fails the test.
pub fn match_key(record: &Value, key: &str, expected: &Yaml) -> Result<bool, String> {
    if key == "has-key" || key == "not-has-key" {
        let Yaml::String(path) = expected else {
            return Err(format!("{key} needs a path, got {}", show_yaml(expected)));
        };
        let present = !matches!(find_value(path, record)?, Found::None);
        return Ok(present == (key == "has-key"));
    }
    let found = find_value(key, record)?;
    let suffix = key.rsplit('.').next().unwrap_or("");
    let type_err = || {
        Err(format!(
            "{key}: cannot apply to {} with {}",
            show_found(&found),
            show_yaml(expected)
        ))
    };
    match suffix {
        "__find" | "__startswith" | "__endswith" => {
            let (Some(val), Yaml::String(want)) = (found_str(&found), expected) else {
                return type_err();
            };
            Ok(match suffix {
                "__find" => val.contains(want.as_str()),
                "__startswith" => val.starts_with(want.as_str()),
                _ => val.ends_with(want.as_str()),
            })
        }
        "__contains" => match (&found, expected) {
            (Found::Val(Value::String(s)), Yaml::String(want)) => Ok(s.contains(want.as_str())),
            (Found::Char(s), Yaml::String(want)) => Ok(s.contains(want.as_str())),
            (Found::Val(Value::Array(items)), _) => {
                Ok(items.iter().any(|i| json_eq_yaml(i, expected)))
            }
            (Found::Val(Value::Object(map)), Yaml::String(want)) => Ok(map.contains_key(want)),
            (Found::Val(Value::Object(_)), Yaml::Integer(_) | Yaml::Boolean(_) | Yaml::Null) => {
                Ok(false)
            }
            _ => type_err(),
        },
        "__gt" | "__gte" | "__lt" | "__lte" => {
            let (Some(a), Some(b)) = (found_num(&found), yaml_num(expected)) else {
                return type_err();
            };
            let Some(ord) = num_cmp(a, b) else {
                return Ok(false);
            };
            Ok(match suffix {
                "__gt" => ord.is_gt(),
                "__gte" => ord.is_ge(),
                "__lt" => ord.is_lt(),
                _ => ord.is_le(),
            })
        }
        _ => Ok(found_eq(&found, expected)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn y(s: &str) -> Yaml {
        yaml_rust2::YamlLoader::load_from_str(s).unwrap().remove(0)
    }

    fn record() -> Value {
        json!({
            "event_type": "alert",
            "src_port": 80,
            "flow_id": 1234567890123u64,
            "score": 1.5,
            "ok": true,
            "nothing": null,
            "pcap_filename": "/x/ip_secopt.pcap",
            "alert": {
                "signature_id": 1,
                "signature": "GPL ATTACK_RESPONSE id check returned root",
                "metadata": {"tag": ["a", "b"], "empty": []},
            },
            "dns": {"queries": [{"rrname": "example.com"}], "answers": []},
            "tcp": {"flags": "1b"},
            "ether": {"mac": "00:11"},
            "list": [1, 2, 3],
            "words": ["x", "y"],
            "obj": {"k": 1}
        })
    }

    #[test]
    fn match_key_table() {
        let r = record();
        // (key, expected yaml, result: Some(bool) or None for an evaluation error)
        let cases: &[(&str, &str, Option<bool>)] = &[
            ("event_type", "alert", Some(true)),
            ("event_type", "flow", Some(false)),
            ("src_port", "80", Some(true)),
            ("src_port", "\"80\"", Some(false)), // strings are not numbers
            ("src_port", "80.0", Some(true)),
            ("flow_id", "1234567890123", Some(true)),
            ("score", "1.5", Some(true)),
            ("ok", "true", Some(true)),
            ("ok", "1", Some(true)), // Python: True == 1
            ("nothing", "~", Some(true)),
            ("missing", "~", Some(true)),
            ("missing", "0", Some(false)),
            ("alert.signature_id", "1", Some(true)),
            ("alert.metadata.tag[0]", "a", Some(true)),
            ("alert.metadata.tag[1]", "b", Some(true)),
            ("alert.metadata.tag[2]", "~", Some(true)),
            ("alert.metadata.tag", "[a, b]", Some(true)),
            ("alert.metadata.tag", "[b, a]", Some(false)),
            ("obj", "{k: 1}", Some(true)),
            ("obj", "{k: 2}", Some(false)),
            ("dns.queries[0].rrname", "example.com", Some(true)),
            ("tcp.flags[0]", "' 1'", Some(false)),
            ("tcp.flags[0]", "'1'", Some(true)),
            ("tcp.flags[0]", "1", Some(false)), // "1" != 1
            // __len
            ("alert.metadata.tag.__len", "2", Some(true)),
            ("alert.metadata.empty.__len", "0", Some(true)),
            ("dns.queries[0].rrname.__len", "11", Some(true)),
            ("obj.__len", "1", Some(true)),
            ("src_port.__len", "-1", Some(true)),
            ("missing.__len", "0", Some(false)),
            // __find / __startswith / __endswith
            ("alert.signature.__find", "id check", Some(true)),
            ("alert.signature.__find", "nope", Some(false)),
            ("alert.signature.__startswith", "GPL", Some(true)),
            ("alert.signature.__startswith", "root", Some(false)),
            ("pcap_filename.__endswith", "ip_secopt.pcap", Some(true)),
            ("pcap_filename.__endswith", "x", Some(false)),
            ("missing.__find", "x", None),
            ("src_port.__startswith", "8", None),
            // __contains
            ("alert.metadata.tag.__contains", "b", Some(true)),
            ("alert.metadata.tag.__contains", "c", Some(false)),
            ("list.__contains", "2", Some(true)),
            ("list.__contains", "5", Some(false)),
            ("alert.signature.__contains", "ATTACK", Some(true)),
            ("obj.__contains", "k", Some(true)),
            ("obj.__contains", "z", Some(false)),
            ("missing.__contains", "x", None),
            // numeric comparisons
            ("src_port.__gt", "79", Some(true)),
            ("src_port.__gt", "80", Some(false)),
            ("src_port.__gte", "80", Some(true)),
            ("src_port.__lt", "81", Some(true)),
            ("src_port.__lte", "79", Some(false)),
            ("score.__lt", "2", Some(true)),
            ("alert.metadata.tag.__len.__gt", "1", Some(true)),
            ("event_type.__gt", "1", None),
            // has-key / not-has-key
            ("has-key", "alert.metadata", Some(true)),
            ("has-key", "alert.nope", Some(false)),
            ("has-key", "nothing", Some(false)), // null counts as absent
            ("not-has-key", "alert.nope", Some(true)),
            ("not-has-key", "dns.queries[0]", Some(false)),
            ("not-has-key", "dns.answers[0]", Some(true)),
            // lookups through non-objects
            ("words.x", "1", None),
            ("words.z", "~", Some(true)),
            ("src_port.x", "1", None),
        ];
        for (key, expected, want) in cases {
            let got = match_key(&r, key, &y(expected)).ok();
            assert_eq!(got, *want, "{key}: {expected}");
        }
    }

    #[test]
    fn py_str_table() {
        let cases = [
            ("1", "1"),
            ("abc", "abc"),
            ("true", "True"),
            ("1.0", "1.0"),
            ("2.5", "2.5"),
            ("~", "None"),
        ];
        for (src, want) in cases {
            assert_eq!(yaml_to_py_str(&y(src)), want, "{src}");
        }
    }
}
