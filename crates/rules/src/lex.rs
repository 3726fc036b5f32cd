//! Splitting a rule into its header fields and its `name:value;` options.

use crate::ast::Span;

/// Largest rule Suricata accepts (its line buffer, including the NUL).
pub const MAX_RULE_LEN: usize = 8191;
/// Largest number of options in one rule (bound on work per rule).
pub const MAX_OPTIONS: usize = 1024;

/// A raw option: name and value exactly as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawOption<'a> {
    pub name: &'a str,
    pub value: Option<&'a str>,
    pub span: Span,
}

/// The lexed rule: seven header fields and the options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRule<'a> {
    pub header: Vec<(&'a str, Span)>,
    pub options: Vec<RawOption<'a>>,
}

/// Lexing error (no keyword involved except when `keyword` is set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    pub keyword: Option<String>,
    pub reason: String,
}

fn err(reason: impl Into<String>) -> LexError {
    LexError {
        keyword: None,
        reason: reason.into(),
    }
}

/// Splits the header into whitespace separated fields; `[...]` lists may
/// contain spaces.
fn split_header(text: &str, end: usize) -> Result<Vec<(&str, Span)>, LexError> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < end {
        while i < end && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= end {
            break;
        }
        let start = i;
        let mut depth: usize = 0;
        while i < end {
            let c = b[i];
            if c == b'[' {
                depth += 1;
            } else if c == b']' {
                depth = depth.saturating_sub(1);
            } else if c.is_ascii_whitespace() && depth == 0 {
                break;
            }
            i += 1;
        }
        out.push((&text[start..i], Span::new(start, i)));
        if out.len() > 7 {
            return Err(err("too many fields in rule header"));
        }
    }
    Ok(out)
}

/// Lexes a whole rule.
pub fn lex_rule(text: &str) -> Result<RawRule<'_>, LexError> {
    if text.len() > MAX_RULE_LEN {
        return Err(err(format!("rule longer than {MAX_RULE_LEN} bytes")));
    }
    let b = text.as_bytes();
    let open = match text.find('(') {
        Some(p) => p,
        None => {
            // Suricata accepts a header without options only to fail later on
            // the missing sid.
            let header = split_header(text, text.len())?;
            return Ok(RawRule {
                header,
                options: Vec::new(),
            });
        }
    };
    let header = split_header(text, open)?;
    // Options end at the last ')' in the rule; nothing but whitespace may follow.
    let close = text.rfind(')').unwrap_or(0);
    if close <= open {
        return Err(err("no closing parenthesis in rule"));
    }
    if !text[close + 1..].trim().is_empty() {
        return Err(err("no terminating \";\" found"));
    }
    let mut options = Vec::new();
    let mut i = open + 1;
    loop {
        while i < close && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= close {
            break;
        }
        if options.len() >= MAX_OPTIONS {
            return Err(err("too many options"));
        }
        let start = i;
        // Name: up to ':' or ';'.
        while i < close && b[i] != b':' && b[i] != b';' {
            i += 1;
        }
        if i >= close {
            return Err(err("no terminating \";\" found"));
        }
        let name = text[start..i].trim();
        if name.is_empty() {
            return Err(err("empty option name"));
        }
        if b[i] == b';' {
            i += 1;
            options.push(RawOption {
                name,
                value: None,
                span: Span::new(start, i),
            });
            continue;
        }
        // Value: up to the first unescaped ';'.
        i += 1;
        let vstart = i;
        let mut found = false;
        while i < close {
            match b[i] {
                b'\\' => i += 2,
                b';' => {
                    found = true;
                    break;
                }
                _ => i += 1,
            }
        }
        if !found {
            return Err(LexError {
                keyword: Some(name.to_string()),
                reason: "no terminating \";\" found".into(),
            });
        }
        let value = text[vstart..i].trim();
        i += 1;
        if value.starts_with('"') && !ends_with_unescaped_quote(value) {
            return Err(LexError {
                keyword: Some(name.to_string()),
                reason: format!(
                    "bad option value formatting (possible missing semicolon): '{value}'"
                ),
            });
        }
        options.push(RawOption {
            name,
            value: Some(value),
            span: Span::new(start, i),
        });
    }
    Ok(RawRule { header, options })
}

/// True when `s` (starting with a quote) has its closing quote at its end and
/// that quote is not escaped.
fn ends_with_unescaped_quote(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 2 || b[b.len() - 1] != b'"' {
        return false;
    }
    // Count backslashes before the final quote.
    let mut n = 0;
    let mut j = b.len() - 1;
    while j > 1 && b[j - 1] == b'\\' {
        n += 1;
        j -= 1;
    }
    n % 2 == 0
}

/// Removes the surrounding double quotes of a value, if both are present.
pub fn strip_quotes(v: &str) -> Option<&str> {
    if v.len() >= 2 && v.starts_with('"') && ends_with_unescaped_quote(v) {
        Some(&v[1..v.len() - 1])
    } else {
        None
    }
}

/// Unescapes `\;`, `\"`, `\\`, `\:` (and any other escaped character) in a
/// string value.
pub fn unescape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut it = v.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            if let Some(n) = it.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lex_basic() {
        let r =
            lex_rule(r#"alert tcp [1.2.3.4, 5.6.7.8] any -> any 80 (msg:"a\;b"; nocase; sid:1;)"#)
                .unwrap();
        assert_eq!(r.header.len(), 7);
        assert_eq!(r.header[2].0, "[1.2.3.4, 5.6.7.8]");
        assert_eq!(r.options.len(), 3);
        assert_eq!(r.options[0].name, "msg");
        assert_eq!(r.options[0].value, Some(r#""a\;b""#));
        assert_eq!(r.options[1].value, None);
        assert_eq!(
            unescape(strip_quotes(r.options[0].value.unwrap()).unwrap()),
            "a;b"
        );
    }

    #[test]
    fn lex_errors() {
        for bad in [
            r#"alert tcp any any -> any any (msg:"x"; sid:1)"#,
            r#"alert tcp any any -> any any (msg:"x"; sid:1;) trailing"#,
            r#"alert tcp any any -> any any (msg:"a;b"; sid:1;)"#,
            r#"alert tcp any any -> any any (msg:"x"; sid:1;"#,
        ] {
            assert!(lex_rule(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn quotes() {
        assert!(ends_with_unescaped_quote(r#""a""#));
        assert!(!ends_with_unescaped_quote(r#""a\""#));
        assert!(ends_with_unescaped_quote(r#""a\\""#));
        assert!(!ends_with_unescaped_quote(r#"""#));
    }
}
