//! Value helpers with Suricata's semantics: truthiness, integers, sizes, times.

/// Suricata's notion of a true value: `1`, `yes`, `true` or `on`, ignoring case.
/// Everything else (including `detection-only`) is not true.
pub fn is_true(s: &str) -> bool {
    ["1", "yes", "true", "on"]
        .iter()
        .any(|t| s.eq_ignore_ascii_case(t))
}

/// Suricata's notion of an explicitly false value: `0`, `no`, `false` or
/// `off`, ignoring case.
pub fn is_false(s: &str) -> bool {
    ["0", "no", "false", "off"]
        .iter()
        .any(|t| s.eq_ignore_ascii_case(t))
}

/// Parses an integer the way Suricata's `ConfGetInt` does (C `strtoimax`
/// with base 0): optional leading white space, optional sign, `0x`/`0X`
/// for hexadecimal, a leading `0` for octal, decimal otherwise; the whole
/// rest of the string must be digits. Returns `None` when malformed or out
/// of the `i64` range.
pub fn parse_int(s: &str) -> Option<i64> {
    let t = s.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, digits) = if (t.starts_with("0x") || t.starts_with("0X"))
        && t.len() > 2
        && t.as_bytes()[2].is_ascii_hexdigit()
    {
        (16, &t[2..])
    } else if t.len() > 1 && t.starts_with('0') {
        (8, &t[1..])
    } else {
        (10, t)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    // Accumulate as a negative number so that i64::MIN is representable.
    let mut acc: i64 = 0;
    for c in digits.chars() {
        let d = i64::from(c.to_digit(radix)?);
        acc = acc.checked_mul(i64::from(radix))?.checked_sub(d)?;
    }
    if neg {
        Some(acc)
    } else {
        acc.checked_neg()
    }
}

/// Parses a size such as `64mb`, `1.5 GB`, `100kb` or `4096` into bytes, like
/// Suricata's `ParseSizeString`: optional white space around, a decimal
/// number with an optional fraction, and an optional unit `kb`, `mb` or `gb`
/// (any case; also `KiB`, `MiB`, `GiB`), with or without a space before the
/// unit. Units are powers of 1024. A fractional result is truncated.
pub fn parse_size(s: &str) -> Option<u64> {
    let t = s.trim_matches(|c: char| c.is_ascii_whitespace());
    let num_end = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, rest) = t.split_at(num_end);
    let unit = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
    // number: digits, optionally '.' and more digits
    let mut parts = num.splitn(2, '.');
    let int_part = parts.next().unwrap_or("");
    let frac_part = parts.next();
    if int_part.is_empty() || !int_part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some(f) = frac_part {
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let mult: f64 = match unit {
        "" => 1.0,
        u if u.eq_ignore_ascii_case("kb") || u == "KiB" => 1024.0,
        u if u.eq_ignore_ascii_case("mb") || u == "MiB" => 1024.0 * 1024.0,
        u if u.eq_ignore_ascii_case("gb") || u == "GiB" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let value: f64 = num.parse().ok()?;
    let bytes = value * mult;
    if !bytes.is_finite() || !(0.0..18_446_744_073_709_551_616.0).contains(&bytes) {
        return None;
    }
    // Truncation like the C conversion from double.
    Some(bytes as u64)
}

/// Parses a duration in seconds: a non-negative integer with an optional
/// unit (`s`, `sec`, `secs`, `second(s)`, `m`, `min`, `h`, `hr`, `hrs`,
/// `hour(s)`, `d`, `day(s)`, `w`, `wks`, `week(s)`, `y`, `yrs`, `year(s)`),
/// case-insensitive, white space allowed around and between. Plain numbers
/// are seconds.
pub fn parse_time_secs(s: &str) -> Option<u64> {
    let t = s.trim_matches(|c: char| c.is_ascii_whitespace());
    let num_end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, rest) = t.split_at(num_end);
    if num.is_empty() {
        return None;
    }
    let base: u64 = num.parse().ok()?;
    let unit = rest
        .trim_start_matches(|c: char| c.is_ascii_whitespace())
        .to_ascii_lowercase();
    let mult: u64 = match unit.as_str() {
        "" | "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "m" | "min" => 60,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600,
        "d" | "day" | "days" => 86_400,
        "w" | "wks" | "week" | "weeks" => 604_800,
        "y" | "yrs" | "year" | "years" => 31_536_000,
        _ => return None,
    };
    base.checked_mul(mult)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truthiness_table() {
        // (input, is_true, is_false)
        let table: &[(&str, bool, bool)] = &[
            ("1", true, false),
            ("yes", true, false),
            ("YeS", true, false),
            ("true", true, false),
            ("TRUE", true, false),
            ("on", true, false),
            ("ON", true, false),
            ("0", false, true),
            ("no", false, true),
            ("NO", false, true),
            ("false", false, true),
            ("FalSE", false, true),
            ("off", false, true),
            ("OFF", false, true),
            ("something", false, false),
            ("detection-only", false, false),
            ("", false, false),
            (" yes", false, false),
            ("2", false, false),
        ];
        for (input, t, f) in table {
            assert_eq!(is_true(input), *t, "is_true({input:?})");
            assert_eq!(is_false(input), *f, "is_false({input:?})");
        }
    }

    #[test]
    fn int_table() {
        let table: &[(&str, Option<i64>)] = &[
            ("0", Some(0)),
            ("-1", Some(-1)),
            ("+7", Some(7)),
            ("  42", Some(42)),
            ("0xffff", Some(0xffff)),
            ("0XFF", Some(255)),
            ("010", Some(8)),
            ("08", None),
            ("0x", None),
            ("", None),
            ("42 ", None),
            ("not-an-int", None),
            ("1.5", None),
            ("9223372036854775807", Some(i64::MAX)),
            ("-9223372036854775808", Some(i64::MIN)),
            ("9223372036854775808", None),
            ("65536", Some(65536)),
        ];
        for (input, want) in table {
            assert_eq!(parse_int(input), *want, "parse_int({input:?})");
        }
    }

    #[test]
    fn size_table() {
        let table: &[(&str, Option<u64>)] = &[
            ("10", Some(10)),
            ("10kb", Some(10 * 1024)),
            ("10Kb", Some(10 * 1024)),
            ("10KB", Some(10 * 1024)),
            ("10kB", Some(10 * 1024)),
            ("10mb", Some(10 * 1024 * 1024)),
            ("10gb", Some(10_737_418_240)),
            (" 10 ", Some(10)),
            (" 10 kb ", Some(10 * 1024)),
            ("10 mb", Some(10 * 1024 * 1024)),
            ("64mb", Some(64 * 1024 * 1024)),
            ("10.5", Some(10)),
            ("10.5kb", Some(10752)),
            ("1.5 GB", Some(1_610_612_736)),
            ("4MiB", Some(4 * 1024 * 1024)),
            ("1000mb", Some(1000 * 1024 * 1024)),
            ("10tb", None),
            ("10k", None),
            ("kb", None),
            ("", None),
            ("-1", None),
            ("10.kb", None),
            ("1 0", None),
            ("99999999999999999999gb", None),
        ];
        for (input, want) in table {
            assert_eq!(parse_size(input), *want, "parse_size({input:?})");
        }
    }

    #[test]
    fn time_table() {
        let table: &[(&str, Option<u64>)] = &[
            ("60", Some(60)),
            ("60s", Some(60)),
            ("5m", Some(300)),
            ("2 h", Some(7200)),
            ("1 Day", Some(86_400)),
            ("1w", Some(604_800)),
            ("10 seconds", Some(10)),
            ("10x", None),
            ("", None),
            ("m", None),
            ("-5", None),
            ("99999999999999999999y", None),
        ];
        for (input, want) in table {
            assert_eq!(parse_time_secs(input), *want, "parse_time_secs({input:?})");
        }
    }
}
