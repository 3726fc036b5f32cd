//! Address and port sets compiled from rule headers: sorted, merged inclusive ranges,
//! looked up by binary search.

use std::net::IpAddr;

use palisade_rules::{AddressExpr, PortExpr};

/// Sorted, non-overlapping inclusive ranges over `0..=max`.
fn normalize(mut r: Vec<(u128, u128)>) -> Vec<(u128, u128)> {
    r.sort_unstable();
    let mut out: Vec<(u128, u128)> = Vec::with_capacity(r.len());
    for (lo, hi) in r {
        match out.last_mut() {
            Some(last) if lo <= last.1.saturating_add(1) => {
                if hi > last.1 {
                    last.1 = hi;
                }
            }
            _ => out.push((lo, hi)),
        }
    }
    out
}

fn complement(r: &[(u128, u128)], max: u128) -> Vec<(u128, u128)> {
    let mut out = Vec::with_capacity(r.len() + 1);
    let mut next = 0u128;
    let mut done = false;
    for &(lo, hi) in r {
        if lo > next {
            out.push((next, lo - 1));
        }
        if hi >= max {
            done = true;
            break;
        }
        next = hi + 1;
    }
    if !done {
        out.push((next, max));
    }
    out
}

fn union(a: &[(u128, u128)], b: &[(u128, u128)]) -> Vec<(u128, u128)> {
    let mut v = a.to_vec();
    v.extend_from_slice(b);
    normalize(v)
}

fn minus(a: &[(u128, u128)], b: &[(u128, u128)], max: u128) -> Vec<(u128, u128)> {
    // a \ b = complement(complement(a) ∪ b)
    complement(&union(&complement(a, max), b), max)
}

fn contains(r: &[(u128, u128)], v: u128) -> bool {
    let i = r.partition_point(|&(lo, _)| lo <= v);
    i > 0 && r[i - 1].1 >= v
}

const V4_MAX: u128 = u32::MAX as u128;
const V6_MAX: u128 = u128::MAX;

/// A set of IPv4 and IPv6 addresses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IpSet {
    v4: Vec<(u128, u128)>,
    v6: Vec<(u128, u128)>,
}

impl IpSet {
    pub fn full() -> IpSet {
        IpSet {
            v4: vec![(0, V4_MAX)],
            v6: vec![(0, V6_MAX)],
        }
    }

    pub fn is_full(&self) -> bool {
        self.v4 == [(0, V4_MAX)] && self.v6 == [(0, V6_MAX)]
    }

    fn complement(&self) -> IpSet {
        IpSet {
            v4: complement(&self.v4, V4_MAX),
            v6: complement(&self.v6, V6_MAX),
        }
    }

    fn union(&self, o: &IpSet) -> IpSet {
        IpSet {
            v4: union(&self.v4, &o.v4),
            v6: union(&self.v6, &o.v6),
        }
    }

    fn minus(&self, o: &IpSet) -> IpSet {
        IpSet {
            v4: minus(&self.v4, &o.v4, V4_MAX),
            v6: minus(&self.v6, &o.v6, V6_MAX),
        }
    }

    fn range(a: IpAddr, b: IpAddr) -> IpSet {
        let mut s = IpSet::default();
        match (a, b) {
            (IpAddr::V4(x), IpAddr::V4(y)) => {
                let (x, y) = (u32::from(x) as u128, u32::from(y) as u128);
                s.v4.push((x.min(y), x.max(y)));
            }
            (IpAddr::V6(x), IpAddr::V6(y)) => {
                let (x, y) = (u128::from(x), u128::from(y));
                s.v6.push((x.min(y), x.max(y)));
            }
            _ => {}
        }
        s
    }

    fn net(addr: IpAddr, prefix: u8) -> IpSet {
        let mut s = IpSet::default();
        match addr {
            IpAddr::V4(a) => {
                let p = u32::from(prefix.min(32));
                let mask: u32 = if p == 0 { 0 } else { u32::MAX << (32 - p) };
                let lo = u32::from(a) & mask;
                s.v4.push((lo as u128, (lo | !mask) as u128));
            }
            IpAddr::V6(a) => {
                let p = u32::from(prefix.min(128));
                let mask: u128 = if p == 0 { 0 } else { u128::MAX << (128 - p) };
                let lo = u128::from(a) & mask;
                s.v6.push((lo, lo | !mask));
            }
        }
        s
    }

    /// Compiles an address expression with set semantics: a list is the union of its
    /// positive items (everything when it has none) minus its negated items.
    pub fn from_expr(e: &AddressExpr) -> IpSet {
        Self::eval(e, 0)
    }

    fn eval(e: &AddressExpr, depth: usize) -> IpSet {
        if depth > 64 {
            return IpSet::default();
        }
        match e {
            AddressExpr::Any => IpSet::full(),
            AddressExpr::Net(n) => IpSet::net(n.addr, n.prefix),
            AddressExpr::Range(a, b) => IpSet::range(*a, *b),
            AddressExpr::Var(_, inner) => Self::eval(inner, depth + 1),
            AddressExpr::Not(inner) => Self::eval(inner, depth + 1).complement(),
            AddressExpr::List(items) => {
                let mut pos = IpSet::default();
                let mut neg = IpSet::default();
                let mut any_pos = false;
                for it in items {
                    match it {
                        AddressExpr::Not(inner) => neg = neg.union(&Self::eval(inner, depth + 1)),
                        other => {
                            any_pos = true;
                            pos = pos.union(&Self::eval(other, depth + 1));
                        }
                    }
                }
                let base = if any_pos { pos } else { IpSet::full() };
                base.minus(&neg)
            }
        }
    }

    /// Ranges of one family (`v6` false: IPv4 addresses as numbers).
    pub(crate) fn ranges(&self, v6: bool) -> &[(u128, u128)] {
        if v6 {
            &self.v6
        } else {
            &self.v4
        }
    }

    /// Fraction of the family's address space covered (0.0 ..= 1.0).
    pub(crate) fn coverage(&self, v6: bool) -> f64 {
        let (r, max) = if v6 {
            (&self.v6, V6_MAX as f64)
        } else {
            (&self.v4, V4_MAX as f64)
        };
        r.iter().map(|(a, b)| (b - a) as f64 + 1.0).sum::<f64>() / (max + 1.0)
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match ip {
            IpAddr::V4(a) => contains(&self.v4, u32::from(a) as u128),
            IpAddr::V6(a) => contains(&self.v6, u128::from(a)),
        }
    }
}

/// A set of ports.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PortSet {
    r: Vec<(u128, u128)>,
}

const PORT_MAX: u128 = 65535;

impl PortSet {
    pub fn full() -> PortSet {
        PortSet {
            r: vec![(0, PORT_MAX)],
        }
    }

    pub fn is_any(&self) -> bool {
        self.r == [(0, PORT_MAX)]
    }

    pub fn from_expr(e: &PortExpr) -> PortSet {
        PortSet {
            r: Self::eval(e, 0),
        }
    }

    fn eval(e: &PortExpr, depth: usize) -> Vec<(u128, u128)> {
        if depth > 64 {
            return Vec::new();
        }
        match e {
            PortExpr::Any => vec![(0, PORT_MAX)],
            PortExpr::Range(a, b) => vec![(u128::from(*a.min(b)), u128::from(*a.max(b)))],
            PortExpr::Var(_, inner) => Self::eval(inner, depth + 1),
            PortExpr::Not(inner) => complement(&Self::eval(inner, depth + 1), PORT_MAX),
            PortExpr::List(items) => {
                let mut pos = Vec::new();
                let mut neg = Vec::new();
                let mut any_pos = false;
                for it in items {
                    match it {
                        PortExpr::Not(inner) => neg = union(&neg, &Self::eval(inner, depth + 1)),
                        other => {
                            any_pos = true;
                            pos = union(&pos, &Self::eval(other, depth + 1));
                        }
                    }
                }
                let base = if any_pos { pos } else { vec![(0, PORT_MAX)] };
                minus(&base, &neg, PORT_MAX)
            }
        }
    }

    pub fn contains(&self, p: u16) -> bool {
        contains(&self.r, u128::from(p))
    }

    /// The inclusive ranges of the set.
    pub fn ranges(&self) -> impl Iterator<Item = (u16, u16)> + '_ {
        self.r.iter().map(|&(a, b)| (a as u16, b as u16))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_rules::IpNet;

    fn net(s: &str, p: u8) -> AddressExpr {
        AddressExpr::Net(IpNet {
            addr: s.parse().unwrap(),
            prefix: p,
        })
    }

    #[test]
    fn lists_and_negation() {
        let e = AddressExpr::List(vec![
            net("10.0.0.0", 8),
            AddressExpr::Not(Box::new(net("10.1.0.0", 16))),
        ]);
        let s = IpSet::from_expr(&e);
        assert!(s.contains("10.2.3.4".parse().unwrap()));
        assert!(!s.contains("10.1.3.4".parse().unwrap()));
        assert!(!s.contains("11.0.0.1".parse().unwrap()));
        assert!(!s.contains("::1".parse().unwrap()));
        let n = IpSet::from_expr(&AddressExpr::Not(Box::new(e)));
        assert!(n.contains("10.1.3.4".parse().unwrap()));
        assert!(n.contains("::1".parse().unwrap()));
        assert!(IpSet::from_expr(&AddressExpr::Any).is_full());
    }

    #[test]
    fn ports() {
        let e = PortExpr::List(vec![
            PortExpr::Range(80, 90),
            PortExpr::Not(Box::new(PortExpr::Range(85, 85))),
        ]);
        let s = PortSet::from_expr(&e);
        assert!(s.contains(80) && s.contains(90) && !s.contains(85) && !s.contains(91));
        let only_neg = PortSet::from_expr(&PortExpr::List(vec![PortExpr::Not(Box::new(
            PortExpr::Range(0, 1023),
        ))]));
        assert!(!only_neg.contains(80) && only_neg.contains(1024) && only_neg.contains(65535));
        assert!(PortSet::from_expr(&PortExpr::Any).is_any());
    }
}
