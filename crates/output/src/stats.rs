//! The EVE `stats` record.
//!
//! Counters are given as `(dotted name, value)` pairs in registration order. Names are
//! split on `.` into nested objects; an object is placed where its first counter
//! appeared and later counters with the same prefix join it, even when other names came
//! in between (Suricata builds the record the same way, so
//! `flow.total, tcp.syn, flow.mgr.x` gives `{"flow":{"total":..,"mgr":{"x":..}},"tcp":..}`).

use palisade_flow::Timestamp;

use crate::json::JsonBuf;

/// A counter value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StatValue<'a> {
    U64(u64),
    /// Already-formatted JSON (for the odd non-integer entry such as
    /// `detect.engines`, an array of objects).
    Raw(&'a str),
}

impl From<u64> for StatValue<'_> {
    fn from(v: u64) -> Self {
        StatValue::U64(v)
    }
}

/// Upper bound on nesting (names are short; this only guards against absurd input).
const MAX_DEPTH: usize = 16;

#[derive(Debug)]
struct Node<'a> {
    name: &'a str,
    value: Option<StatValue<'a>>,
    children: Vec<usize>,
}

/// An ordered tree of counters built from dotted names.
#[derive(Debug)]
pub struct StatsTree<'a> {
    nodes: Vec<Node<'a>>,
}

impl<'a> Default for StatsTree<'a> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> StatsTree<'a> {
    pub fn new() -> Self {
        StatsTree {
            nodes: vec![Node {
                name: "",
                value: None,
                children: Vec::new(),
            }],
        }
    }

    /// Adds a counter. A repeated name keeps its first position and takes the last
    /// value.
    pub fn insert(&mut self, dotted: &'a str, value: StatValue<'a>) {
        let mut cur = 0usize;
        for (depth, part) in dotted.split('.').enumerate() {
            if depth >= MAX_DEPTH {
                return;
            }
            let found = self.nodes[cur]
                .children
                .iter()
                .copied()
                .find(|&c| self.nodes[c].name == part);
            cur = match found {
                Some(c) => c,
                None => {
                    self.nodes.push(Node {
                        name: part,
                        value: None,
                        children: Vec::new(),
                    });
                    let id = self.nodes.len() - 1;
                    self.nodes[cur].children.push(id);
                    id
                }
            };
        }
        if cur != 0 {
            self.nodes[cur].value = Some(value);
        }
    }

    fn write_children(&self, j: &mut JsonBuf, node: usize, depth: usize) {
        for &c in &self.nodes[node].children {
            let n = &self.nodes[c];
            if !n.children.is_empty() && depth < MAX_DEPTH {
                j.open_object(n.name);
                self.write_children(j, c, depth + 1);
                j.close();
            } else {
                match n.value {
                    Some(StatValue::U64(v)) => j.set_u64(n.name, v),
                    Some(StatValue::Raw(r)) => j.set_raw(n.name, r),
                    None => j.set_u64(n.name, 0),
                };
            }
        }
    }

    /// Writes the tree's top-level entries into the currently open object.
    pub fn write_into(&self, j: &mut JsonBuf) {
        self.write_children(j, 0, 0);
    }
}

/// Writes an EVE `stats` record: `{"timestamp":..,"event_type":"stats","stats":
/// {"uptime":N, <nested counters>}}` (top level left open, see [`crate::eve`]).
pub fn write_stats<'a>(
    j: &mut JsonBuf,
    now: Timestamp,
    uptime: u64,
    counters: impl IntoIterator<Item = (&'a str, StatValue<'a>)>,
) {
    let mut tree = StatsTree::new();
    for (name, v) in counters {
        tree.insert(name, v);
    }
    j.reset();
    j.set_ts("timestamp", now);
    j.set_str("event_type", "stats");
    j.open_object("stats");
    j.set_u64("uptime", uptime);
    tree.write_into(j);
    j.close();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(items: &[(&str, u64)]) -> String {
        let mut t = StatsTree::new();
        for &(n, v) in items {
            t.insert(n, StatValue::U64(v));
        }
        let mut j = JsonBuf::new();
        t.write_into(&mut j);
        j.close_all();
        j.as_str().to_string()
    }

    #[test]
    fn nesting_table() {
        let table: &[(&[(&str, u64)], &str)] = &[
            (&[], "{}"),
            (&[("a", 1)], r#"{"a":1}"#),
            (
                &[("decoder.event.ipv4.trunc_pkt", 3)],
                r#"{"decoder":{"event":{"ipv4":{"trunc_pkt":3}}}}"#,
            ),
            (
                &[("decoder.pkts", 1), ("decoder.bytes", 2), ("tcp.syn", 3)],
                r#"{"decoder":{"pkts":1,"bytes":2},"tcp":{"syn":3}}"#,
            ),
            // interleaved names join the object where it first appeared
            (
                &[
                    ("flow.total", 1),
                    ("tcp.syn", 2),
                    ("flow.mgr.rows", 3),
                    ("flow.spare", 4),
                ],
                r#"{"flow":{"total":1,"mgr":{"rows":3},"spare":4},"tcp":{"syn":2}}"#,
            ),
            // same leaf name under different parents
            (
                &[("a.x", 1), ("b.x", 2), ("a.y.x", 3)],
                r#"{"a":{"x":1,"y":{"x":3}},"b":{"x":2}}"#,
            ),
            // a repeated name keeps its place, last value wins
            (
                &[("a.b", 1), ("c", 2), ("a.b", 5)],
                r#"{"a":{"b":5},"c":2}"#,
            ),
        ];
        for (items, want) in table {
            assert_eq!(render(items), *want, "{items:?}");
        }
    }

    #[test]
    fn stats_record() {
        let mut j = JsonBuf::new();
        let engines = r#"[{"id":0,"last_reload":"2026-11-27T08:35:47.745011+0000","rules_loaded":0,"rules_failed":0,"rules_skipped":0}]"#;
        let items = [
            ("decoder.pkts", StatValue::U64(26)),
            ("flow.memuse", StatValue::U64(7154304)),
            ("detect.engines", StatValue::Raw(engines)),
            ("detect.alert", StatValue::U64(0)),
        ];
        write_stats(&mut j, Timestamp::new(0, 0), 3, items);
        j.close_all();
        assert_eq!(
            j.as_str(),
            format!(
                r#"{{"timestamp":"1970-01-01T00:00:00.000000+0000","event_type":"stats","stats":{{"uptime":3,"decoder":{{"pkts":26}},"flow":{{"memuse":7154304}},"detect":{{"engines":{engines},"alert":0}}}}}}"#
            )
        );
    }
}
