//! Looking up dotted paths in EVE records and comparing them with expectations from test.yaml.
//!
//! The semantics follow suricata-verify's current runner (a Python program): a missing key,
//! a lookup through a non-object and a JSON `null` are all "None"; YAML and JSON numbers
//! compare by value (booleans count as 0/1 for equality, never for `__gt`...); the string
//! suffixes (`__find`, `__startswith`, `__endswith`) compare Python's `str()` of both sides
//! and never match None; `__contains` is Python's `in`, false on a type mismatch. Key order
//! of `match:` is kept and evaluation stops at the first key that does not match.

use serde_json::Value;
use yaml_rust2::Yaml;

/// Result of a path lookup.
#[derive(Clone, Debug, PartialEq)]
pub enum Found<'a> {
    /// Missing key, lookup through a non-object, out-of-range index, or JSON null.
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
/// Suffix parts (`__find`, `__contains`, `__gt`...) stop the walk and yield the value reached.
pub fn find_value<'a>(path: &str, root: &'a Value) -> Found<'a> {
    let mut cur = Found::Val(root);
    for part in path.split('.') {
        if let Found::Val(Value::Null) = cur {
            cur = Found::None;
        }
        if part == "__len" {
            return Found::Len(py_len(&cur));
        }
        if PASS_THROUGH.contains(&part) {
            break;
        }
        let (name, index) = split_index(part);
        let Found::Val(Value::Object(map)) = &cur else {
            return Found::None;
        };
        let Some(next) = map.get(name) else {
            return Found::None;
        };
        cur = Found::Val(next);
        if let Some(digits) = index {
            let Ok(i) = digits.parse::<usize>() else {
                return Found::None;
            };
            cur = match next {
                Value::Array(items) => match items.get(i) {
                    Some(v) => Found::Val(v),
                    None => return Found::None,
                },
                Value::String(s) => match s.chars().nth(i) {
                    Some(c) => Found::Char(c.to_string()),
                    None => return Found::None,
                },
                _ => return Found::None,
            };
        }
    }
    if let Found::Val(Value::Null) = cur {
        cur = Found::None;
    }
    cur
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

fn py_float(f: f64) -> String {
    if f.is_nan() {
        "nan".into()
    } else if f.is_infinite() {
        if f > 0.0 { "inf" } else { "-inf" }.into()
    } else if f == f.trunc() && f.abs() < 1e16 {
        format!("{f:.1}")
    } else {
        f.to_string()
    }
}

fn py_repr_str(s: &str) -> String {
    if s.contains('\'') && !s.contains('"') {
        format!("\"{s}\"")
    } else {
        format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}

fn py_repr(v: &Value) -> String {
    match v {
        Value::String(s) => py_repr_str(s),
        other => py_str(other),
    }
}

/// Python's `str()` of a JSON value.
pub fn py_str(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => {
            if n.is_f64() {
                n.as_f64().map(py_float).unwrap_or_default()
            } else {
                n.to_string()
            }
        }
        Value::String(s) => s.clone(),
        Value::Array(a) => format!("[{}]", a.iter().map(py_repr).collect::<Vec<_>>().join(", ")),
        Value::Object(o) => format!(
            "{{{}}}",
            o.iter()
                .map(|(k, v)| format!("{}: {}", py_repr_str(k), py_repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn found_py_str(f: &Found<'_>) -> Option<String> {
    match f {
        Found::None => None,
        Found::Val(v) => Some(py_str(v)),
        Found::Char(s) => Some(s.clone()),
        Found::Len(n) => Some(n.to_string()),
    }
}

/// Python's `expected in value`, a type mismatch counting as false.
fn py_contains(found: &Found<'_>, expected: &Yaml) -> bool {
    match (found, expected) {
        (Found::Val(Value::String(s)), Yaml::String(want)) => s.contains(want.as_str()),
        (Found::Char(s), Yaml::String(want)) => s.contains(want.as_str()),
        (Found::Val(Value::Array(items)), _) => items.iter().any(|i| json_eq_yaml(i, expected)),
        (Found::Val(Value::Object(map)), Yaml::String(want)) => map.contains_key(want),
        _ => false,
    }
}

/// Evaluates one `key: expected` entry of a `match:` (or a `stats:` entry) against a record.
pub fn match_key(record: &Value, key: &str, expected: &Yaml) -> bool {
    if key == "has-key" || key == "not-has-key" {
        let want_present = key == "has-key";
        let paths: Vec<String> = match expected {
            Yaml::Array(items) => items.iter().map(yaml_to_py_str).collect(),
            other => vec![yaml_to_py_str(other)],
        };
        return paths
            .iter()
            .all(|p| !matches!(find_value(p, record), Found::None) == want_present);
    }
    let found = find_value(key, record);
    let suffix = key.rsplit('.').next().unwrap_or("");
    match suffix {
        "__find" | "__startswith" | "__endswith" => {
            let Some(val) = found_py_str(&found) else {
                return false;
            };
            let want = yaml_to_py_str(expected);
            match suffix {
                "__find" => val.contains(want.as_str()),
                "__startswith" => val.starts_with(want.as_str()),
                _ => val.ends_with(want.as_str()),
            }
        }
        "__contains" => py_contains(&found, expected),
        "__gt" | "__gte" | "__lt" | "__lte" => {
            if matches!(found, Found::Val(Value::Bool(_))) || matches!(expected, Yaml::Boolean(_)) {
                return false;
            }
            let (Some(a), Some(b)) = (found_num(&found), yaml_num(expected)) else {
                return false;
            };
            let Some(ord) = num_cmp(a, b) else {
                return false;
            };
            match suffix {
                "__gt" => ord.is_gt(),
                "__gte" => ord.is_ge(),
                "__lt" => ord.is_lt(),
                _ => ord.is_le(),
            }
        }
        _ => found_eq(&found, expected),
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
        // (key, expected yaml, matches)
        let cases: &[(&str, &str, bool)] = &[
            ("event_type", "alert", true),
            ("event_type", "flow", false),
            ("src_port", "80", true),
            ("src_port", "\"80\"", false), // strings are not numbers
            ("src_port", "80.0", true),
            ("flow_id", "1234567890123", true),
            ("score", "1.5", true),
            ("ok", "true", true),
            ("ok", "1", true), // Python: True == 1
            ("nothing", "~", true),
            ("missing", "~", true),
            ("missing", "0", false),
            ("alert.signature_id", "1", true),
            ("alert.metadata.tag[0]", "a", true),
            ("alert.metadata.tag[1]", "b", true),
            ("alert.metadata.tag[2]", "~", true),
            ("alert.metadata.tag", "[a, b]", true),
            ("alert.metadata.tag", "[b, a]", false),
            ("obj", "{k: 1}", true),
            ("obj", "{k: 2}", false),
            ("dns.queries[0].rrname", "example.com", true),
            ("tcp.flags[0]", "'1'", true),
            ("tcp.flags[0]", "1", false), // "1" != 1
            // __len
            ("alert.metadata.tag.__len", "2", true),
            ("alert.metadata.empty.__len", "0", true),
            ("dns.queries[0].rrname.__len", "11", true),
            ("obj.__len", "1", true),
            ("src_port.__len", "-1", true),
            ("missing.__len", "0", false),
            // __find / __startswith / __endswith (on Python's str() of the value)
            ("alert.signature.__find", "id check", true),
            ("alert.signature.__find", "nope", false),
            ("alert.signature.__startswith", "GPL", true),
            ("alert.signature.__startswith", "root", false),
            ("pcap_filename.__endswith", "ip_secopt.pcap", true),
            ("pcap_filename.__endswith", "x", false),
            ("missing.__find", "x", false),
            ("src_port.__startswith", "8", true),
            ("ok.__find", "True", true),
            ("alert.metadata.tag.__find", "'a'", true),
            // __contains
            ("alert.metadata.tag.__contains", "b", true),
            ("alert.metadata.tag.__contains", "c", false),
            ("list.__contains", "2", true),
            ("list.__contains", "5", false),
            ("alert.signature.__contains", "ATTACK", true),
            ("alert.signature.__contains", "1", false), // 1 in "..." is a type error
            ("obj.__contains", "k", true),
            ("obj.__contains", "z", false),
            ("missing.__contains", "x", false),
            ("src_port.__contains", "8", false),
            // numeric comparisons
            ("src_port.__gt", "79", true),
            ("src_port.__gt", "80", false),
            ("src_port.__gte", "80", true),
            ("src_port.__lt", "81", true),
            ("src_port.__lte", "79", false),
            ("score.__lt", "2", true),
            ("alert.metadata.tag.__len.__gt", "1", true),
            ("event_type.__gt", "1", false),
            ("ok.__gte", "0", false), // booleans never compare
            ("missing.__lt", "1", false),
            // has-key / not-has-key, single paths or lists
            ("has-key", "alert.metadata", true),
            ("has-key", "alert.nope", false),
            ("has-key", "nothing", false), // null counts as absent
            ("has-key", "[alert, dns]", true),
            ("has-key", "[alert, nope]", false),
            ("not-has-key", "alert.nope", true),
            ("not-has-key", "dns.queries[0]", false),
            ("not-has-key", "dns.answers[0]", true),
            ("not-has-key", "[nope, nope2]", true),
            ("not-has-key", "[nope, alert]", false),
            // lookups through non-objects are None
            ("words.x", "~", true),
            ("src_port.x", "~", true),
            ("tcp.flags.x", "1", false),
        ];
        for (key, expected, want) in cases {
            assert_eq!(match_key(&r, key, &y(expected)), *want, "{key}: {expected}");
        }
    }

    #[test]
    fn json_py_str_table() {
        let cases = [
            (json!("s"), "s"),
            (json!(1), "1"),
            (json!(1.0), "1.0"),
            (json!(2.5), "2.5"),
            (json!(true), "True"),
            (json!(null), "None"),
            (json!(["a", 1]), "['a', 1]"),
            (json!({"k": "v"}), "{'k': 'v'}"),
        ];
        for (v, want) in cases {
            assert_eq!(py_str(&v), want, "{v}");
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
