//! Typed syntax tree of a Suricata 7 signature.

use std::fmt;
use std::sync::Arc;

/// Byte range `[start, end)` inside the rule text (after line continuations
/// were joined).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// Rule action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Alert,
    Pass,
    Drop,
    Reject,
    RejectSrc,
    RejectDst,
    RejectBoth,
    /// `config` (Suricata 7: a rule that only applies `config:` options).
    Config,
}

impl Action {
    pub fn from_name(s: &str) -> Option<Action> {
        Some(match s {
            "alert" => Action::Alert,
            "pass" => Action::Pass,
            "drop" => Action::Drop,
            "reject" => Action::Reject,
            "rejectsrc" => Action::RejectSrc,
            "rejectdst" => Action::RejectDst,
            "rejectboth" => Action::RejectBoth,
            "config" => Action::Config,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Action::Alert => "alert",
            Action::Pass => "pass",
            Action::Drop => "drop",
            Action::Reject => "reject",
            Action::RejectSrc => "rejectsrc",
            Action::RejectDst => "rejectdst",
            Action::RejectBoth => "rejectboth",
            Action::Config => "config",
        }
    }
}

/// Protocol field of the header.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// `ip` / `ipv4` / `ipv6` / `ip4` / `ip6` (any IP packet).
    Ip,
    Tcp,
    Udp,
    Icmp,
    Sctp,
    /// `pkthdr`: any packet, also decoder-invalid ones.
    PktHdr,
    /// `tcp-pkt` / `tcp-stream` (Suricata 7 modifiers of tcp).
    TcpPkt,
    TcpStream,
    /// An application-layer protocol (canonical name, e.g. `http`, `dns`).
    App(String),
}

impl Protocol {
    /// The app-layer protocol name, if any.
    pub fn app(&self) -> Option<&str> {
        match self {
            Protocol::App(s) => Some(s),
            _ => None,
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Protocol::Ip => f.write_str("ip"),
            Protocol::Tcp => f.write_str("tcp"),
            Protocol::Udp => f.write_str("udp"),
            Protocol::Icmp => f.write_str("icmp"),
            Protocol::Sctp => f.write_str("sctp"),
            Protocol::PktHdr => f.write_str("pkthdr"),
            Protocol::TcpPkt => f.write_str("tcp-pkt"),
            Protocol::TcpStream => f.write_str("tcp-stream"),
            Protocol::App(s) => f.write_str(s),
        }
    }
}

/// Direction between source and destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// `->`
    ToDst,
    /// `<>`
    Both,
}

/// An IP network `addr/prefix` (IPv4 or IPv6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IpNet {
    pub addr: std::net::IpAddr,
    pub prefix: u8,
}

/// Address expression (after variable resolution, variables are kept as
/// [`AddressExpr::Var`] nodes wrapping their resolved value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressExpr {
    Any,
    Net(IpNet),
    /// Inclusive range `a-b`.
    Range(std::net::IpAddr, std::net::IpAddr),
    List(Vec<AddressExpr>),
    Not(Box<AddressExpr>),
    /// `$NAME` with its resolved definition (shared by the rules using it).
    Var(Arc<str>, Arc<AddressExpr>),
}

/// Port expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortExpr {
    Any,
    /// Inclusive range; a single port is `Range(p, p)`; `a:` is `Range(a, 65535)`.
    Range(u16, u16),
    List(Vec<PortExpr>),
    Not(Box<PortExpr>),
    /// `$NAME` with its resolved definition (shared by the rules using it).
    Var(Arc<str>, Arc<PortExpr>),
}

/// A rule option as written, with its parsed value.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleOption {
    /// Canonical keyword name (aliases are mapped to it).
    pub keyword: &'static str,
    /// Name as written in the rule (borrowed from the keyword table when it is
    /// written as the canonical name, as it nearly always is).
    pub written: std::borrow::Cow<'static, str>,
    /// Raw value text as written (trimmed, escapes still in place), if any.
    /// Interned per load: a third of a rule set's ~290k values are distinct.
    pub raw: Option<Arc<str>>,
    /// Span of the whole option (`name:value`) in the rule text.
    pub span: Span,
    /// Parsed value.
    pub value: crate::values::OptionValue,
}

/// Reference (`reference:type,id;`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub kind: String,
    pub id: String,
    /// Resolved URL prefix from reference.config, if known.
    pub url_prefix: Option<String>,
}

/// Content and all the modifiers that apply to it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Content {
    pub pattern: Vec<u8>,
    pub negated: bool,
    pub nocase: bool,
    pub rawbytes: bool,
    pub depth: Option<VarOrNum>,
    pub offset: Option<VarOrNum>,
    pub distance: Option<VarOrNumSigned>,
    pub within: Option<VarOrNumSigned>,
    pub startswith: bool,
    pub endswith: bool,
    pub fast_pattern: Option<FastPattern>,
    pub replace: Option<Vec<u8>>,
    /// Index of the `content` option in [`Rule::options`].
    pub option_index: usize,
}

/// A number or the name of a `byte_extract`/`byte_math` variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VarOrNum {
    Num(u32),
    Var(String),
}

/// Signed variant (distance/within may be negative).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VarOrNumSigned {
    Num(i32),
    Var(String),
}

/// `fast_pattern` settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FastPattern {
    pub only: bool,
    /// `chop` offset and length.
    pub chop: Option<(u16, u16)>,
}

/// One match inside a buffer.
#[derive(Debug, Clone, PartialEq)]
pub enum Match {
    Content(Content),
    /// Index into [`Rule::options`] of a non-content payload keyword
    /// (pcre, byte_test, isdataat, bsize, ...).
    Option(usize),
}

/// The matches of one inspection buffer, in rule order.
#[derive(Debug, Clone, PartialEq)]
pub struct BufferMatches {
    /// Buffer name: `payload` (packet/stream), or the sticky buffer's
    /// canonical name (`http.uri`, `dns.query`, `file.data`, ...).
    pub buffer: &'static str,
    /// Transforms applied to the buffer, in order (keyword names).
    pub transforms: Vec<usize>,
    pub matches: Vec<Match>,
}

/// A parsed and validated signature.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub action: Action,
    pub proto: Protocol,
    pub src: AddressExpr,
    pub sp: PortExpr,
    pub direction: Direction,
    pub dst: AddressExpr,
    pub dp: PortExpr,
    /// Spans of the seven header fields (action, proto, src, sp, direction,
    /// dst, dp).
    pub header_spans: [Span; 7],
    pub options: Vec<RuleOption>,
    pub sid: u32,
    pub rev: u32,
    pub gid: u32,
    pub msg: Option<String>,
    pub classtype: Option<String>,
    /// Priority from `priority:` or from the classtype.
    pub priority: Option<u32>,
    /// `metadata` key/value pairs in rule order. The strings are interned per
    /// load (the same keys and values recur in thousands of rules).
    pub metadata: Vec<(Arc<str>, Arc<str>)>,
    pub references: Vec<Reference>,
    pub noalert: bool,
    /// App-layer protocol the rule needs (from the header or its keywords).
    pub app_proto: Option<String>,
    /// Content/payload matches grouped per buffer.
    pub buffers: Vec<BufferMatches>,
    /// The rule text (continuations joined).
    pub text: String,
    pub file: String,
    /// First physical line of the rule in its file (1-based).
    pub line: usize,
}

impl Rule {
    /// Options with the given canonical keyword.
    pub fn options_named<'a>(&'a self, kw: &'a str) -> impl Iterator<Item = &'a RuleOption> + 'a {
        self.options.iter().filter(move |o| o.keyword == kw)
    }
}
