//! Writing a configuration tree back out as Suricata-style YAML.

use crate::tree::{Config, NodeRef};

fn plain_ok(s: &str) -> bool {
    if s.is_empty() || matches!(s, "~" | "null" | "Null" | "NULL") {
        return false;
    }
    let first = s.as_bytes()[0];
    if first == b'-' && s.len() == 1 {
        return false;
    }
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'/' | b'$' | b'+' | b'-'))
}

fn quote(s: &str, out: &mut String) {
    if plain_ok(s) {
        out.push_str(s);
        return;
    }
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// True when the children are named `0`, `1`, ... in order (a YAML list).
fn is_list(n: &NodeRef<'_>) -> bool {
    !n.is_empty()
        && n.children()
            .enumerate()
            .all(|(i, c)| c.name() == i.to_string())
}

fn indent(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

fn emit_scalar(v: Option<&str>, out: &mut String) {
    match v {
        Some(v) => quote(v, out),
        None => out.push('~'),
    }
}

fn emit_key(n: &NodeRef<'_>, ind: usize, out: &mut String) {
    indent(out, ind);
    quote(n.name(), out);
    out.push(':');
    if n.is_empty() {
        if let Some(v) = n.value() {
            out.push(' ');
            quote(v, out);
        }
        out.push('\n');
    } else if is_list(n) {
        out.push('\n');
        for item in n.children() {
            emit_item(&item, ind + 2, out);
        }
    } else {
        out.push('\n');
        for c in n.children() {
            emit_key(&c, ind + 2, out);
        }
    }
}

fn emit_item(n: &NodeRef<'_>, ind: usize, out: &mut String) {
    if n.is_empty() {
        indent(out, ind);
        out.push_str("- ");
        emit_scalar(n.value(), out);
        out.push('\n');
    } else if is_list(n) {
        indent(out, ind);
        out.push_str("-\n");
        for item in n.children() {
            emit_item(&item, ind + 2, out);
        }
    } else {
        // A mapping item: its keys at ind + 2, the first one after "- ".
        let mut body = String::new();
        for c in n.children() {
            emit_key(&c, ind + 2, &mut body);
        }
        indent(out, ind);
        out.push_str("- ");
        out.push_str(&body[ind + 2..]);
    }
}

impl Config {
    /// Writes the tree as YAML (with the `%YAML 1.1` header) that loads back
    /// to the same `dump()`, for trees built from ordinary configuration
    /// files. Lists are written as block sequences, list items that are
    /// mappings as `- key: ...`, values quoted where YAML needs it.
    pub fn to_yaml(&self) -> String {
        let mut out = String::from("%YAML 1.1\n---\n");
        for c in self.root().children() {
            emit_key(&c, 0, &mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_keeps_dump() {
        let text = "%YAML 1.1\n---\na: 1\nb:\n  c: \"x y\"\n  d: [1, \"two, 3\", ~]\n\
                    e:\n  - f: 1\n    g: 2\n  - h\nn:\nq: \"null\"\nt: \"!x\"\nsp: \"a \"\n";
        let c = Config::from_yaml_str(text).unwrap();
        let y = c.to_yaml();
        let c2 = Config::from_yaml_str(&y).unwrap();
        assert_eq!(c.dump(), c2.dump(), "yaml was:\n{y}");
    }
}
