//! Suricata version numbers as suricata-verify compares them.
//!
//! A requirement such as `min-version: 7` means 7.0.0 for ordering comparisons, while
//! `version: 7` (equality) matches any 7.x.y: missing components are "any" only for equality.

/// A version: major, and optional minor/patch (absent = "any" for [`Version::is_equal`],
/// zero for ordering).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Version {
    pub major: u64,
    pub minor: Option<u64>,
    pub patch: Option<u64>,
}

/// How a parsed requirement is going to be compared (decides the default of absent parts).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expr {
    Equal,
    Gte,
    Gt,
    Lt,
}

impl Version {
    pub const fn new(major: u64, minor: u64, patch: u64) -> Self {
        Version {
            major,
            minor: Some(minor),
            patch: Some(patch),
        }
    }

    /// Parses `7`, `7.0`, `7.0.10`, `7.0.10-dev` or a `-V` banner (`This is Suricata version
    /// 7.0.10 RELEASE`). Absent minor/patch are 0 unless `expr` is [`Expr::Equal`].
    pub fn parse(text: &str, expr: Expr) -> Option<Version> {
        let text = text.trim();
        let rest = match text.find("Suricata version ") {
            Some(at) => &text[at + "Suricata version ".len()..],
            None => text,
        };
        let mut parts = [None::<u64>; 3];
        let mut s = rest;
        for (i, slot) in parts.iter_mut().enumerate() {
            if i > 0 {
                s = s.strip_prefix('.').unwrap_or(s);
            }
            let digits = s.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                break;
            }
            *slot = s[..digits].parse().ok();
            s = &s[digits..];
        }
        let major = parts[0]?;
        let default = if expr == Expr::Equal { None } else { Some(0) };
        Some(Version {
            major,
            minor: parts[1].or(default),
            patch: parts[2].or(default),
        })
    }

    fn minor0(&self) -> u64 {
        self.minor.unwrap_or(0)
    }

    fn patch0(&self) -> u64 {
        self.patch.unwrap_or(0)
    }

    /// `4` matches 4.x.y, `4.0` matches 4.0.x, `4.0.3` only 4.0.3.
    pub fn is_equal(&self, other: &Version) -> bool {
        if self.major != other.major {
            return false;
        }
        if let (Some(a), Some(b)) = (self.minor, other.minor) {
            if a != b {
                return false;
            }
        }
        if let (Some(a), Some(b)) = (self.patch, other.patch) {
            if a != b {
                return false;
            }
        }
        true
    }

    pub fn is_gte(&self, other: &Version) -> bool {
        (self.major, self.minor0(), self.patch0()) >= (other.major, other.minor0(), other.patch0())
    }

    pub fn is_gt(&self, other: &Version) -> bool {
        (self.major, self.minor0(), self.patch0()) > (other.major, other.minor0(), other.patch0())
    }

    /// "Less than" exactly as suricata-verify's runner evaluates it: after equal majors, a
    /// smaller minor OR a smaller patch makes it less (so 7.1.0 counts as less than 7.0.5).
    /// Kept for fidelity: the reference pass list was produced with this rule.
    pub fn is_lt(&self, other: &Version) -> bool {
        if self.major != other.major {
            return self.major < other.major;
        }
        self.minor0() < other.minor0() || self.patch0() < other.patch0()
    }

    /// Does `engine` satisfy the requirement `self` under `expr`?
    pub fn satisfied_by(&self, engine: &Version, expr: Expr) -> bool {
        match expr {
            Expr::Equal => engine.is_equal(self),
            Expr::Gte => engine.is_gte(self),
            Expr::Gt => engine.is_gt(self),
            Expr::Lt => engine.is_lt(self),
        }
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.major)?;
        if let Some(m) = self.minor {
            write!(f, ".{m}")?;
            if let Some(p) = self.patch {
                write!(f, ".{p}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s, Expr::Gte).unwrap()
    }

    #[test]
    fn parse_table() {
        type Parts = Option<(u64, Option<u64>, Option<u64>)>;
        let cases: &[(&str, Expr, Parts)] = &[
            ("7.0.10", Expr::Gte, Some((7, Some(0), Some(10)))),
            ("7", Expr::Gte, Some((7, Some(0), Some(0)))),
            ("7", Expr::Equal, Some((7, None, None))),
            ("6.0", Expr::Equal, Some((6, Some(0), None))),
            ("4.1.0-dev", Expr::Gte, Some((4, Some(1), Some(0)))),
            (
                "This is Suricata version 7.0.10 RELEASE\n",
                Expr::Gte,
                Some((7, Some(0), Some(10))),
            ),
            ("444.444.444", Expr::Lt, Some((444, Some(444), Some(444)))),
            ("abc", Expr::Gte, None),
            ("", Expr::Gte, None),
        ];
        for (text, expr, want) in cases {
            let got = Version::parse(text, *expr).map(|v| (v.major, v.minor, v.patch));
            assert_eq!(got, *want, "parse({text:?}, {expr:?})");
        }
    }

    #[test]
    fn comparisons_table() {
        let engine = Version::new(7, 0, 10);
        // (requirement, expr, satisfied by 7.0.10)
        let cases: &[(&str, Expr, bool)] = &[
            ("7", Expr::Gte, true),
            ("7.0.10", Expr::Gte, true),
            ("7.0.11", Expr::Gte, false),
            ("8", Expr::Gte, false),
            ("6.0.4", Expr::Gte, true),
            ("7.0.9", Expr::Gt, true),
            ("7.0.10", Expr::Gt, false),
            ("6", Expr::Gt, true),
            ("8", Expr::Lt, true),
            ("7.0.11", Expr::Lt, true),
            ("7.0.10", Expr::Lt, false),
            ("7", Expr::Lt, false),
            ("7.1", Expr::Lt, true),
            ("6.0.4", Expr::Lt, false),
            ("7", Expr::Equal, true),
            ("7.0", Expr::Equal, true),
            ("7.0.10", Expr::Equal, true),
            ("7.0.9", Expr::Equal, false),
            ("7.1", Expr::Equal, false),
            ("6", Expr::Equal, false),
        ];
        for (req, expr, want) in cases {
            let r = Version::parse(req, *expr).unwrap();
            assert_eq!(r.satisfied_by(&engine, *expr), *want, "{req} {expr:?}");
        }
    }

    #[test]
    fn lt_quirk_is_kept() {
        // 7.1.0 "<" 7.0.5 under the reference runner's rule.
        assert!(v("7.1.0").is_lt(&v("7.0.5")));
        assert!(!v("7.0.5").is_lt(&v("7.0.5")));
    }
}
