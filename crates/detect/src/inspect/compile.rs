//! From the rules crate's typed matches to the program run by `exec`.

use palisade_rules::values::{NumCmp, OptionValue};
use palisade_rules::{BufferMatches, Content, Match, Rule, VarOrNum, VarOrNumSigned};

use super::bytes::{ByteExtract, ByteJump, ByteMath, ByteTest};
use super::pcre::PcreItem;
use super::search::Pattern;
use super::{transform, BufferProgram, InspectConfig, MAX_VARS};

/// A constant or a byte_extract/byte_math variable (index into `Scratch::vars`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Val<T> {
    Const(T),
    Var(u8),
}

#[derive(Debug)]
pub(crate) struct ContentItem {
    pub pat: Pattern,
    pub negated: bool,
    pub endswith: bool,
    /// distance or within present.
    pub relative: bool,
    pub distance: Option<Val<i32>>,
    pub within: Option<Val<i32>>,
    /// Absolute end of the search window as Suricata stores it (offset + depth for
    /// constants; startswith is depth = pattern length).
    pub depth: Option<Val<u32>>,
    pub offset: Option<Val<u32>>,
    /// A following keyword is within-relative (or a relative non-content keyword) to this
    /// content.
    pub within_next: bool,
    /// A following content is distance-relative to this one. In Suricata 7.0.10 either
    /// flag makes a failure of the following keywords retry this content at its next
    /// occurrence (checked: a distance-only negated follower and a failing relative
    /// isdataat after it retry the first content).
    pub distance_next: bool,
}

impl ContentItem {
    /// Suricata's "single" content: no relative or absolute modifier and nothing
    /// relative to it (a negated single content that is found ends the inspection).
    pub fn single(&self) -> bool {
        !(self.relative
            || self.within_next
            || self.distance_next
            || self.depth.is_some()
            || self.offset.is_some())
    }

    /// Suricata 7.0 adds the start offset to the window end when depth, offset or
    /// distance comes from a variable (checked against Suricata 7.0.10: with
    /// `distance:var; within:N` the window ends at prev + var + N + start).
    pub fn uses_vars(&self) -> bool {
        matches!(self.depth, Some(Val::Var(_)))
            || matches!(self.offset, Some(Val::Var(_)))
            || matches!(self.distance, Some(Val::Var(_)))
    }
}

#[derive(Debug)]
pub(crate) struct Base64Decode {
    /// Most input bytes decoded (0 = Suricata's default).
    pub bytes: u32,
    pub offset: u32,
    pub relative: bool,
    /// The rule's base64_data list (empty: base64_decode alone only needs to decode).
    pub data: Vec<Item>,
    pub has_data: bool,
}

#[derive(Debug)]
pub(crate) enum Item {
    Content(Box<ContentItem>),
    Pcre(Box<PcreItem>),
    IsDataAt {
        at: Val<u32>,
        negated: bool,
        relative: bool,
    },
    Bsize(NumCmp),
    Urilen(NumCmp),
    ByteTest(ByteTest),
    ByteJump(ByteJump),
    ByteExtract(ByteExtract),
    ByteMath(ByteMath),
    Base64Decode(Box<Base64Decode>),
}

/// How an item relates to the match before it (for Suricata's *_NEXT flags).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rel {
    None,
    /// A content with within (or within and distance).
    Within,
    /// A content with distance only.
    Distance,
    /// A relative pcre / isdataat / byte_* keyword.
    Other,
}

impl Item {
    fn rel(&self) -> Rel {
        match self {
            Item::Content(c) if c.within.is_some() => Rel::Within,
            Item::Content(c) if c.distance.is_some() => Rel::Distance,
            Item::Pcre(p) if p.relative => Rel::Other,
            Item::IsDataAt { relative: true, .. } => Rel::Other,
            Item::ByteTest(b) if b.relative => Rel::Other,
            Item::ByteJump(b) if b.relative => Rel::Other,
            Item::ByteExtract(b) if b.relative => Rel::Other,
            Item::ByteMath(b) if b.relative => Rel::Other,
            _ => Rel::None,
        }
    }
}

/// Suricata's byte variable slots: in each list (buffer), the n-th byte_extract writes
/// slot n and the n-th byte_math writes slot n too (two separate counters sharing one
/// array, so they may overwrite each other: checked against Suricata 7.0.10). A name
/// resolves to the first byte_extract defining it (sticky buffers first, then the
/// payload), else to the first byte_math.
pub(crate) struct Vars {
    extract: Vec<(String, u8)>,
    math: Vec<(String, u8)>,
    /// Slot written by the option at this index of `Rule::options`.
    slot_of: Vec<(usize, u8)>,
}

impl Vars {
    pub fn new(rule: &Rule) -> Result<Vars, String> {
        let mut v = Vars {
            extract: Vec::new(),
            math: Vec::new(),
            slot_of: Vec::new(),
        };
        let order = rule
            .buffers
            .iter()
            .filter(|b| b.buffer != "payload")
            .chain(rule.buffers.iter().filter(|b| b.buffer == "payload"));
        for b in order {
            let (mut ne, mut nm) = (0usize, 0usize);
            for m in &b.matches {
                let Match::Option(i) = m else { continue };
                let Some(o) = rule.options.get(*i) else {
                    continue;
                };
                let OptionValue::Byte(op) = &o.value else {
                    continue;
                };
                let name = op.var.clone().unwrap_or_default();
                let (n, list) = match o.keyword {
                    "byte_extract" => (&mut ne, &mut v.extract),
                    "byte_math" => (&mut nm, &mut v.math),
                    _ => continue,
                };
                if *n >= MAX_VARS {
                    return Err(format!(
                        "{}: more than {MAX_VARS} variables in one buffer",
                        o.keyword
                    ));
                }
                let slot = *n as u8;
                *n += 1;
                if !list.iter().any(|(x, _)| *x == name) {
                    list.push((name, slot));
                }
                v.slot_of.push((*i, slot));
            }
        }
        Ok(v)
    }

    /// Slot written by the byte_extract/byte_math option `idx`.
    pub fn slot(&self, idx: usize) -> Result<u8, String> {
        self.slot_of
            .iter()
            .find(|(i, _)| *i == idx)
            .map(|(_, s)| *s)
            .ok_or_else(|| "variable slot not found".to_string())
    }

    pub fn index(&self, name: &str) -> Result<u8, String> {
        let n = name.trim();
        self.extract
            .iter()
            .chain(self.math.iter())
            .find(|(x, _)| x == n)
            .map(|(_, s)| *s)
            .ok_or_else(|| format!("unknown byte_extract/byte_math variable \"{name}\""))
    }

    /// A number (as parsed by `parse`) or a variable name.
    pub fn val<T>(
        &self,
        s: &str,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<Val<T>, String> {
        let t = s.trim();
        let is_name = t
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && !t.starts_with("0x")
            && !t.starts_with("0X");
        if is_name {
            Ok(Val::Var(self.index(t)?))
        } else {
            Ok(Val::Const(parse(t)?))
        }
    }
}

pub(crate) fn compile(
    rule: &Rule,
    bm: &BufferMatches,
    cfg: &InspectConfig,
) -> Result<BufferProgram, String> {
    let vars = Vars::new(rule)?;
    let mut transforms = Vec::with_capacity(bm.transforms.len());
    for &ti in &bm.transforms {
        let o = rule
            .options
            .get(ti)
            .ok_or_else(|| "transform: bad option index".to_string())?;
        transforms.push(transform::Transform::compile(o)?);
    }
    if bm.buffer == "base64_data" {
        return Ok(BufferProgram {
            buffer: bm.buffer,
            transforms,
            items: Vec::new(),
            recursion_limit: cfg.recursion_limit,
            inline_only: true,
        });
    }
    let items = compile_list(rule, bm, &vars, cfg, true)?;
    Ok(BufferProgram {
        buffer: bm.buffer,
        transforms,
        items,
        recursion_limit: cfg.recursion_limit,
        inline_only: false,
    })
}

fn compile_list(
    rule: &Rule,
    bm: &BufferMatches,
    vars: &Vars,
    cfg: &InspectConfig,
    allow_b64: bool,
) -> Result<Vec<Item>, String> {
    let mut items: Vec<Item> = Vec::with_capacity(bm.matches.len());
    for m in &bm.matches {
        let item = match m {
            Match::Content(c) => Item::Content(Box::new(content(c, vars)?)),
            Match::Option(i) => {
                let o = rule
                    .options
                    .get(*i)
                    .ok_or_else(|| "inspect: bad option index".to_string())?;
                option(rule, *i, o, vars, cfg, allow_b64)?
            }
        };
        // Suricata turns `isdataat:!1,relative` right after a content into `endswith` on
        // that content. It tests the stored value, which for a variable is its slot: a
        // variable in slot 1 is converted too (checked against Suricata 7.0.10).
        if let Item::IsDataAt {
            at: Val::Const(1) | Val::Var(1),
            negated: true,
            relative: true,
        } = item
        {
            let last = items
                .iter_mut()
                .rev()
                .find(|x| matches!(x, Item::Content(_) | Item::Pcre(_)));
            if let Some(Item::Content(c)) = last {
                c.endswith = true;
                continue;
            }
        }
        items.push(item);
    }
    set_next_flags(&mut items);
    Ok(items)
}

/// Suricata marks the content/pcre before a relative keyword: contents get WITHIN_NEXT
/// (within, or relative pcre/isdataat/byte_*) or DISTANCE_NEXT (distance only); a pcre
/// gets RELATIVE_NEXT. Any of them makes the engine retry the earlier match at its next
/// occurrence when what follows fails.
fn set_next_flags(items: &mut [Item]) {
    for j in 1..items.len() {
        let rel = items[j].rel();
        if rel == Rel::None {
            continue;
        }
        let prev = (0..j)
            .rev()
            .find(|&k| matches!(items[k], Item::Content(_) | Item::Pcre(_)));
        let Some(k) = prev else { continue };
        match &mut items[k] {
            Item::Content(c) => match rel {
                Rel::Distance => c.distance_next = true,
                _ => c.within_next = true,
            },
            Item::Pcre(p) => p.relative_next = true,
            _ => {}
        }
    }
}

fn content(c: &Content, vars: &Vars) -> Result<ContentItem, String> {
    let var_u = |v: &VarOrNum| -> Result<Val<u32>, String> {
        Ok(match v {
            VarOrNum::Num(n) => Val::Const(*n),
            VarOrNum::Var(s) => Val::Var(vars.index(s)?),
        })
    };
    let var_s = |v: &VarOrNumSigned| -> Result<Val<i32>, String> {
        Ok(match v {
            VarOrNumSigned::Num(n) => Val::Const(*n),
            VarOrNumSigned::Var(s) => Val::Var(vars.index(s)?),
        })
    };
    let offset = c.offset.as_ref().map(var_u).transpose()?;
    let mut depth = c.depth.as_ref().map(var_u).transpose()?;
    // Suricata keeps depth as the absolute end of the window: offset + depth.
    if let (Some(Val::Const(d)), Some(Val::Const(o))) = (depth, offset) {
        depth = Some(Val::Const(d.saturating_add(o)));
    }
    if c.startswith {
        depth = Some(Val::Const(c.pattern.len() as u32));
    }
    let distance = c.distance.as_ref().map(var_s).transpose()?;
    let within = c.within.as_ref().map(var_s).transpose()?;
    Ok(ContentItem {
        pat: Pattern::new(&c.pattern, c.nocase),
        negated: c.negated,
        endswith: c.endswith,
        relative: distance.is_some() || within.is_some(),
        distance,
        within,
        depth,
        offset,
        within_next: false,
        distance_next: false,
    })
}

fn u32_num(s: &str) -> Result<u32, String> {
    palisade_rules::values::parse_u64(s)
        .and_then(|v| u32::try_from(v).map_err(|_| format!("value {v} out of range")))
}

fn option(
    rule: &Rule,
    idx: usize,
    o: &palisade_rules::RuleOption,
    vars: &Vars,
    cfg: &InspectConfig,
    allow_b64: bool,
) -> Result<Item, String> {
    let kw = o.keyword;
    let err = |r: String| format!("{kw}: {r}");
    match (kw, &o.value) {
        ("pcre", OptionValue::Pcre(p)) => Ok(Item::Pcre(Box::new(
            PcreItem::compile(p, cfg).map_err(err)?,
        ))),
        ("isdataat", OptionValue::Words(w)) => {
            let first = w.first().map(String::as_str).unwrap_or("").trim();
            let negated = first.starts_with('!');
            let v = first.trim_start_matches('!').trim();
            let at = vars.val(v, u32_num).map_err(err)?;
            Ok(Item::IsDataAt {
                at,
                negated,
                relative: w.iter().skip(1).any(|x| x == "relative"),
            })
        }
        ("bsize", OptionValue::Compare(c)) => Ok(Item::Bsize(*c)),
        ("urilen", OptionValue::Compare(c)) => Ok(Item::Urilen(*c)),
        ("byte_test", OptionValue::Byte(b)) => {
            Ok(Item::ByteTest(ByteTest::compile(b, vars).map_err(err)?))
        }
        ("byte_jump", OptionValue::Byte(b)) => {
            Ok(Item::ByteJump(ByteJump::compile(b, vars).map_err(err)?))
        }
        ("byte_extract", OptionValue::Byte(b)) => Ok(Item::ByteExtract(
            ByteExtract::compile(b, vars.slot(idx).map_err(err)?).map_err(err)?,
        )),
        ("byte_math", OptionValue::Byte(b)) => Ok(Item::ByteMath(
            ByteMath::compile(b, vars, vars.slot(idx).map_err(err)?).map_err(err)?,
        )),
        ("base64_decode", v) if allow_b64 => {
            let text = match v {
                OptionValue::None => "",
                OptionValue::Raw(s) | OptionValue::Text(s) => s.as_str(),
                _ => o.raw.as_deref().unwrap_or(""),
            };
            let mut d = Base64Decode {
                bytes: 0,
                offset: 0,
                relative: false,
                data: Vec::new(),
                has_data: false,
            };
            for part in text.split(',') {
                let part = part.trim();
                if part.is_empty() {
                    continue;
                }
                let mut it = part.split_whitespace();
                match (it.next(), it.next()) {
                    (Some("bytes"), Some(n)) => d.bytes = u32_num(n).map_err(err)?,
                    (Some("offset"), Some(n)) => d.offset = u32_num(n).map_err(err)?,
                    (Some("relative"), None) => d.relative = true,
                    _ => return Err(err(format!("invalid option \"{part}\""))),
                }
            }
            if let Some(b) = rule.buffers.iter().find(|b| b.buffer == "base64_data") {
                d.data = compile_list(rule, b, vars, cfg, false)?;
                d.has_data = true;
            }
            Ok(Item::Base64Decode(Box::new(d)))
        }
        _ => Err(format!(
            "{kw}: keyword not supported by the buffer inspector"
        )),
    }
}
