//! Table-driven tests: (rule text, buffer, expected) through the rules crate's parser.

use palisade_rules::{parse_rule, RuleContext};

use super::{BufferProgram, Scratch};

/// Compiles every buffer of the rule and checks that `buffer`'s program (by name) gives
/// `expect` on `data`. Programs of other buffers are ignored.
fn try_check(rule_opts: &str, buffer: &str, data: &[u8], expect: bool) -> Result<(), String> {
    let text = format!("alert tcp any any -> any any ({rule_opts} sid:1;)");
    let rule = parse_rule(&text, &RuleContext::default())
        .unwrap_or_else(|e| panic!("rule does not parse: {text}: {e}"));
    let bm = rule
        .buffers
        .iter()
        .find(|b| b.buffer == buffer)
        .unwrap_or_else(|| panic!("no buffer {buffer} in {text}"));
    let prog = BufferProgram::compile(&rule, bm).unwrap_or_else(|e| panic!("{text}: {e}"));
    let mut s = Scratch::default();
    s.reset();
    let got = prog.matches(data, &mut s);
    if got != expect {
        return Err(format!(
            "rule: {rule_opts} data: {:?}: got {got}, expected {expect}",
            String::from_utf8_lossy(data)
        ));
    }
    Ok(())
}

fn run_table<'a>(rows: impl Iterator<Item = (&'a str, &'a str, &'a [u8], bool)>) {
    let mut fails = Vec::new();
    let mut n = 0;
    for (o, b, d, e) in rows {
        n += 1;
        if let Err(x) = try_check(o, b, d, e) {
            fails.push(x);
        }
    }
    assert!(
        fails.is_empty(),
        "{} of {n} rows failed:\n{}",
        fails.len(),
        fails.join("\n")
    );
}

/// (options, payload, expected)
const PAYLOAD: &[(&str, &[u8], bool)] = &[
    // plain content
    (r#"content:"abc";"#, b"xxabcxx", true),
    (r#"content:"abc";"#, b"xxabxcx", false),
    (r#"content:"ABC"; nocase;"#, b"xxaBcxx", true),
    (r#"content:"ABC";"#, b"xxaBcxx", false),
    (r#"content:"|00 01|";"#, b"a\x00\x01", true),
    // depth / offset
    (r#"content:"abc"; depth:3;"#, b"abcxx", true),
    (r#"content:"abc"; depth:4;"#, b"xabc", true),
    (r#"content:"abc"; depth:3;"#, b"xabc", false),
    (r#"content:"abc"; offset:1;"#, b"abc", false),
    (r#"content:"abc"; offset:1;"#, b"xabc", true),
    (r#"content:"abc"; offset:1; depth:3;"#, b"xabc", true),
    (r#"content:"abc"; offset:2; depth:3;"#, b"xabc", false),
    (r#"content:"abc"; depth:3; offset:1;"#, b"xabcd", true),
    // startswith / endswith
    (r#"content:"abc"; startswith;"#, b"abcd", true),
    (r#"content:"abc"; startswith;"#, b"xabc", false),
    (r#"content:"abc"; endswith;"#, b"xabc", true),
    (r#"content:"abc"; endswith;"#, b"abcx", false),
    (r#"content:"abc"; endswith;"#, b"abcxabc", true),
    (r#"content:"abc"; startswith; endswith;"#, b"abc", true),
    (r#"content:"abc"; startswith; endswith;"#, b"abcabc", false),
    // distance / within
    (r#"content:"ab"; content:"cd"; distance:0;"#, b"abcd", true),
    (r#"content:"ab"; content:"cd"; distance:1;"#, b"abcd", false),
    (r#"content:"ab"; content:"cd"; distance:1;"#, b"abxcd", true),
    (r#"content:"ab"; content:"cd"; within:2;"#, b"abcd", true),
    (r#"content:"ab"; content:"cd"; within:2;"#, b"abxcd", false),
    (
        r#"content:"ab"; content:"cd"; distance:1; within:2;"#,
        b"abxcd",
        true,
    ),
    (
        r#"content:"ab"; content:"cd"; distance:1; within:2;"#,
        b"abxxcd",
        false,
    ),
    (
        r#"content:"cd"; content:"ab"; distance:-4; within:2;"#,
        b"abcd",
        true,
    ),
    (
        r#"content:"cd"; content:"ab"; distance:-3; within:2;"#,
        b"abcd",
        false,
    ),
    (
        r#"content:"cd"; content:"ab"; distance:-10;"#,
        b"abcd",
        true,
    ),
    // backtracking: the first "ab" is followed by x, the second by cd
    (
        r#"content:"ab"; content:"cd"; within:2;"#,
        b"abxxabcd",
        true,
    ),
    (
        r#"content:"ab"; content:"cd"; distance:0; within:2;"#,
        b"abxxabcd",
        true,
    ),
    (
        r#"content:"a"; content:"b"; within:1; content:"c"; within:1;"#,
        b"ab.abd.abc",
        true,
    ),
    (
        r#"content:"a"; content:"b"; within:1; content:"c"; within:1;"#,
        b"ab.abd.abd",
        false,
    ),
    // negation
    (r#"content:!"abc";"#, b"xxabxx", true),
    (r#"content:!"abc";"#, b"xxabcx", false),
    (
        r#"content:"ab"; content:!"cd"; within:4;"#,
        b"abxxxxcd",
        true,
    ),
    (r#"content:"ab"; content:!"cd"; within:4;"#, b"abxcd", false),
    (r#"content:"ab"; content:!"cd"; distance:0;"#, b"abab", true),
    (r#"content:!"abc"; depth:3;"#, b"xabc", true),
    (r#"content:!"abc"; depth:4;"#, b"xabc", false),
    // Suricata compares the window length with the absolute end of the match (with
    // depth, so the rule is not prefiltered on the negated pattern).
    (r#"content:!"abc"; endswith; depth:10;"#, b"abcx", true),
    (r#"content:!"abc"; endswith; offset:1;"#, b"xabcx", false),
    (r#"content:!"abc"; endswith; offset:1;"#, b"abcx", true),
    (
        r#"content:"q"; content:!"abc"; endswith; distance:0;"#,
        b"qabc",
        true,
    ),
    (
        r#"content:"q"; content:!"abc"; endswith; distance:0;"#,
        b"qabcx",
        false,
    ),
    (
        r#"content:"q"; content:!"abc"; endswith; within:10;"#,
        b"qxabcd",
        false,
    ),
    // isdataat
    (r#"isdataat:3;"#, b"abcd", true),
    (r#"isdataat:4;"#, b"abcd", false),
    (r#"isdataat:!4;"#, b"abcd", true),
    (r#"content:"ab"; isdataat:2,relative;"#, b"abcd", true),
    (r#"content:"ab"; isdataat:3,relative;"#, b"abcd", false),
    (r#"content:"ab"; isdataat:!1,relative;"#, b"xxab", true),
    (r#"content:"ab"; isdataat:!1,relative;"#, b"abab", true),
    (r#"content:"ab"; isdataat:!1,relative;"#, b"abxab.", false),
    // pcre
    (r#"pcre:"/a.c/";"#, b"xxabcx", true),
    (r#"pcre:"/a.c/";"#, b"xxa\ncx", false),
    (r#"pcre:"/a.c/s";"#, b"xxa\ncx", true),
    (r#"pcre:"/ABC/i";"#, b"xabc", true),
    (r#"pcre:"/^abc/";"#, b"x\nabc", false),
    (r#"pcre:"/^abc/m";"#, b"x\nabc", true),
    (r#"pcre:"/a b c/x";"#, b"abc", true),
    (r#"pcre:"/abc/A";"#, b"xabc", false),
    (r#"pcre:"/abc/A";"#, b"abcx", true),
    (r#"pcre:"/abc$/";"#, b"abc\n", true),
    (r#"pcre:"/abc$/E";"#, b"abc\n", false),
    (r#"pcre:"/abc$/E";"#, b"xabc", true),
    (r#"pcre:"/a.*c/G"; content:"c"; within:1;"#, b"abcc", true),
    (r#"pcre:"/a.*c/"; content:"c"; within:1;"#, b"abcc", false),
    (r#"pcre:!"/abc/";"#, b"xabx", true),
    (r#"pcre:!"/abc/";"#, b"xabc", false),
    (r#"content:"ab"; pcre:"/^cd/R";"#, b"abcd", true),
    (r#"content:"ab"; pcre:"/^cd/R";"#, b"abxcd", false),
    (r#"content:"ab"; pcre:"/^cd/R";"#, b"abxabcd", true),
    (r#"pcre:"/a./"; content:"c"; within:1;"#, b"axxabc", true),
    // byte_test
    (r#"byte_test:1,=,0x41,0;"#, b"Ax", true),
    (r#"byte_test:1,=,0x41,1;"#, b"Ax", false),
    (r#"byte_test:2,>,0x4100,0;"#, b"AB", true),
    (r#"byte_test:2,<,0x4200,0,little;"#, b"AB", false),
    (r#"byte_test:2,=,0x4241,0,little;"#, b"AB", true),
    (r#"byte_test:1,<,10,0;"#, b"\x05", true),
    (r#"byte_test:1,<=,5,0;"#, b"\x05", true),
    (r#"byte_test:1,>=,6,0;"#, b"\x05", false),
    (r#"byte_test:1,!=,5,0;"#, b"\x05", false),
    (r#"byte_test:1,!=,5,0;"#, b"\x06", true),
    (r#"byte_test:1,&,0x04,0;"#, b"\x05", true),
    (r#"byte_test:1,&,0x02,0;"#, b"\x05", false),
    (r#"byte_test:1,^,0x05,0;"#, b"\x05", false),
    (r#"byte_test:3,=,123,0,string,dec;"#, b"123", true),
    (r#"byte_test:3,=,0x1f,0,string,hex;"#, b"1fz", true),
    (r#"byte_test:2,=,8,0,string,oct;"#, b"10", true),
    (r#"byte_test:2,=,1,0,string,dec;"#, b"xx", false),
    (r#"byte_test:2,=,0x0a,0,bitmask 0x0ff0;"#, b"\x00\xa0", true),
    (
        r#"content:"ab"; byte_test:1,=,0x63,0,relative;"#,
        b"abc",
        true,
    ),
    (
        r#"content:"ab"; byte_test:1,=,0x63,1,relative;"#,
        b"abc",
        false,
    ),
    (
        r#"content:"ab"; byte_test:1,=,0x63,0,relative;"#,
        b"abxabc",
        true,
    ),
    (r#"byte_test:4,>,1,3;"#, b"abcdef", false),
    // byte_jump
    (r#"byte_jump:1,0; content:"x"; within:1;"#, b"\x02abx", true),
    (
        r#"byte_jump:1,0; content:"x"; within:1;"#,
        b"\x02axb",
        false,
    ),
    (
        r#"byte_jump:1,0,from_beginning; content:"x"; within:1;"#,
        b"\x02axb",
        true,
    ),
    (
        r#"byte_jump:1,0,multiplier 2; content:"x"; within:1;"#,
        b"\x01abx",
        true,
    ),
    (
        r#"byte_jump:1,0,align; content:"x"; within:1;"#,
        b"\x01abcdx",
        true,
    ),
    (
        r#"byte_jump:1,0,align; content:"x"; within:1;"#,
        b"\x01abcx",
        false,
    ),
    (
        r#"byte_jump:1,0,post_offset 1; content:"x"; within:1;"#,
        b"\x01abx",
        true,
    ),
    (
        r#"byte_jump:1,0,post_offset -1; content:"x"; within:1;"#,
        b"\x02axb",
        true,
    ),
    (
        r#"byte_jump:1,0,from_end,post_offset -1; content:"x"; within:1;"#,
        b"\x00abx",
        true,
    ),
    (r#"byte_jump:1,0; isdataat:!1,relative;"#, b"\x03abc", true),
    (r#"byte_jump:1,0;"#, b"\x04abc", false),
    (
        r#"byte_jump:2,0,string,dec; content:"x"; within:1;"#,
        b"02abx",
        true,
    ),
    (
        r#"byte_jump:2,0,little; content:"x"; within:1;"#,
        b"\x01\x00ax",
        true,
    ),
    // byte_extract
    (
        r#"byte_extract:1,0,len; content:"x"; distance:len; within:1;"#,
        b"\x02abx",
        true,
    ),
    // Suricata 7.0 moves the window end by the start offset when distance is a variable:
    // window [1 + len, 1 + len + 1 + 1 + len).
    (
        r#"byte_extract:1,0,len; content:"x"; distance:len; within:1;"#,
        b"\x01abx",
        true,
    ),
    (
        r#"byte_extract:1,0,len; content:"x"; distance:len; within:1;"#,
        b"\x01xab",
        false,
    ),
    (
        r#"byte_extract:1,0,len; content:"x"; distance:len; within:1;"#,
        b"\x02abcdex",
        true,
    ),
    (
        r#"byte_extract:1,0,len; content:"x"; distance:len; within:1;"#,
        b"\x02abcdefx",
        false,
    ),
    (
        r#"byte_extract:1,0,len; content:"x"; within:len;"#,
        b"\x03abx",
        true,
    ),
    (
        r#"byte_extract:1,0,len; content:"x"; within:len;"#,
        b"\x02abx",
        false,
    ),
    (
        r#"byte_extract:1,0,off; content:"x"; offset:off;"#,
        b"\x03xabx",
        true,
    ),
    (
        r#"byte_extract:1,0,off; content:"x"; offset:off;"#,
        b"\x03xab",
        false,
    ),
    (
        r#"byte_extract:1,0,dep; content:"ab"; depth:dep;"#,
        b"\x02ab",
        false,
    ),
    (
        r#"byte_extract:1,0,dep; content:"ab"; depth:dep;"#,
        b"\x03ab",
        true,
    ),
    (
        r#"byte_extract:1,0,v; byte_test:1,=,v,1;"#,
        b"\x07\x07",
        true,
    ),
    (
        r#"byte_extract:1,0,v; byte_test:1,=,v,1;"#,
        b"\x07\x08",
        false,
    ),
    (
        r#"byte_extract:1,0,v,multiplier 3; byte_test:1,=,v,1;"#,
        b"\x02\x06",
        true,
    ),
    (
        r#"byte_extract:1,0,v,align 4; byte_test:1,=,v,1;"#,
        b"\x05\x08",
        true,
    ),
    (
        r#"byte_extract:2,0,v,string,hex; byte_test:1,=,v,2;"#,
        b"1f\x1f",
        true,
    ),
    (
        r#"byte_extract:1,0,n; isdataat:n,relative;"#,
        b"\x02ab",
        true,
    ),
    (
        r#"byte_extract:1,0,n; isdataat:n,relative;"#,
        b"\x03ab",
        false,
    ),
    (
        r#"content:"a"; byte_extract:1,0,v,relative; byte_test:1,=,v,0,relative;"#,
        b"a\x05\x05",
        true,
    ),
    // byte_math
    (
        r#"byte_math:bytes 1, offset 0, oper +, rvalue 2, result r; byte_test:1,=,r,1;"#,
        b"\x03\x05",
        true,
    ),
    (
        r#"byte_math:bytes 1, offset 0, oper -, rvalue 2, result r; byte_test:1,=,r,1;"#,
        b"\x03\x01",
        true,
    ),
    (
        r#"byte_math:bytes 1, offset 0, oper *, rvalue 2, result r; byte_test:1,=,r,1;"#,
        b"\x03\x06",
        true,
    ),
    (
        r#"byte_math:bytes 1, offset 0, oper /, rvalue 2, result r; byte_test:1,=,r,1;"#,
        b"\x07\x03",
        true,
    ),
    (
        r#"byte_math:bytes 1, offset 0, oper <<, rvalue 1, result r; byte_test:1,=,r,1;"#,
        b"\x03\x06",
        true,
    ),
    (
        r#"byte_math:bytes 1, offset 0, oper >>, rvalue 1, result r; byte_test:1,=,r,1;"#,
        b"\x06\x03",
        true,
    ),
    (
        r#"byte_extract:1,0,a; byte_math:bytes 1, offset 1, oper +, rvalue a, result r; byte_test:1,=,r,2;"#,
        b"\x02\x03\x05",
        true,
    ),
    (
        r#"byte_math:bytes 2, offset 0, oper +, rvalue 0, result r, endian little; byte_test:1,=,r,2;"#,
        b"\x05\x00\x05",
        true,
    ),
    (
        r#"byte_math:bytes 2, offset 0, oper +, rvalue 0, result r, string dec; byte_test:1,=,r,2;"#,
        b"12\x0c",
        true,
    ),
    (
        r#"byte_math:bytes 2, offset 0, oper +, rvalue 0, result r, bitmask 0xff00; byte_test:1,=,r,2;"#,
        b"\x05\x00\x05",
        true,
    ),
    // ---- more rows checked against Suricata 7.0.10 (tiny pcaps, `suricata -r`) ----
    // a relative byte_test retries the content before it
    (
        r#"content:"a"; byte_test:1,=,0x42,0,relative;"#,
        b"aXaB",
        true,
    ),
    // distance + within below 0: the window end wraps and is clamped to the buffer
    (
        r#"content:"cd"; content:"ab"; distance:-10; within:2;"#,
        b"cdxxxxab",
        true,
    ),
    (
        r#"content:"cd"; content:"ab"; distance:-10; within:3;"#,
        b"xxxxxxxxxxxxcdab",
        false,
    ),
    // a negated relative content that is found retries the content before it
    (
        r#"content:"ab"; content:!"cd"; within:4;"#,
        b"abcd abxxxx",
        true,
    ),
    (r#"content:"ab"; isdataat:!1,relative;"#, b"abxab", true),
    // a jump before the buffer start goes to the start
    (
        r#"byte_jump:1,1,from_beginning,post_offset -5; content:"x"; within:1;"#,
        b"x\x01",
        true,
    ),
    // byte_test values are read like strtoull base 0 (010 is octal)
    (r#"byte_test:2,=,010,0,string,dec;"#, b"08", true),
    (r#"byte_test:2,=,010,0,string,dec;"#, b"10", false),
    (r#"byte_test:2,=,2,0,string,dec;"#, b"2x", true),
    (r#"byte_test:2,=,2,0,string,dec;"#, b" 2", true),
    (r#"byte_test:3,=,2,0,string,hex;"#, b"0x2", true),
    // a string byte_jump jumps from the end of the digits read
    (
        r#"byte_jump:2,0,string,dec; content:"x"; within:1;"#,
        b"2 abx",
        false,
    ),
    (
        r#"byte_jump:2,0,string,dec; content:"x"; within:1;"#,
        b"2 ax",
        true,
    ),
    (
        r#"byte_jump:1,0; content:"x"; within:1;"#,
        b"\x03abcx",
        true,
    ),
    (
        r#"byte_math:bytes 1, offset 0, oper /, rvalue 0, result r; byte_test:1,=,0,1;"#,
        b"\x05\x00",
        false,
    ),
    (
        r#"byte_math:bytes 1, offset 0, oper +, rvalue 1, result r; content:"x"; distance:r; within:1;"#,
        b"\x01abx",
        true,
    ),
    (
        r#"content:"a"; byte_math:bytes 1, offset 0, oper +, rvalue 0, result r, relative; content:"x"; within:1;"#,
        b"a\x01x",
        true,
    ),
    (r#"content:"ab"; content:"cd"; distance:-1;"#, b"abcd", true),
    (r#"pcre:"/a.c/"; pcre:"/^d/R";"#, b"abcxabcd", true),
    (r#"pcre:!"/a.c/"; content:"x";"#, b"abx", true),
    (r#"content:"x"; pcre:!"/^a/R";"#, b"xaxb", true),
    (
        r#"content:"x"; pcre:!"/^a/R"; content:"q"; within:1;"#,
        b"xbqxa",
        false,
    ),
    (r#"isdataat:0;"#, b"a", true),
    (r#"content:"ab"; isdataat:0,relative;"#, b"ab", true),
    (r#"content:"ab"; isdataat:!0,relative;"#, b"ab", false),
    (
        r#"byte_extract:1,0,n; isdataat:!n,relative;"#,
        b"\x03ab",
        true,
    ),
    // byte_extract and byte_math count their slots separately and share the array: a
    // byte_math result overwrites the byte_extract in the same slot; names resolve to
    // the first byte_extract (found by random differential testing, Suricata 7.0.10)
    (
        r#"byte_extract:1,2,v0; byte_extract:1,1,v1; byte_math:bytes 1, offset 0, oper /, rvalue 1, result v1; content:"ba"; nocase; distance:v0;"#,
        b"\x03\x01a\x01\x02\x02\x00ba",
        true,
    ),
    (
        r#"byte_extract:1,2,v0; byte_extract:1,1,v1; byte_math:bytes 1, offset 2, oper -, rvalue 1, result v0, relative; byte_math:bytes 1, offset 3, oper *, rvalue 3, result v0; isdataat:!v0,relative;"#,
        b"\x05\x05\x03B\x03A\x02\x05\x01B\x03\x00\x00\x00\x00",
        false,
    ),
    (
        r#"byte_extract:1,0,v0; byte_extract:1,0,v1; isdataat:0,relative; byte_math:bytes 1, offset 0, oper +, rvalue 1, result v1, relative; content:!"|00|"; nocase; distance:v0;"#,
        b"A\x01\x05Ab\x05\x00\x01bbBBBA\x01\x00",
        false,
    ),
    // `isdataat:!1,relative` after a content becomes endswith on it, also for a
    // variable whose slot is 1
    (
        r#"byte_extract:1,2,v0; byte_extract:1,0,v1; content:!"aab"; distance:-1; within:4; isdataat:!v1,relative;"#,
        b"\x02\x01\x02B",
        true,
    ),
    (
        r#"byte_extract:1,2,v0; byte_extract:1,0,v1; content:!"aab"; distance:-1; within:4; isdataat:!2,relative;"#,
        b"\x02\x01\x02B",
        false,
    ),
    (
        r#"content:"/a"; content:!"c"; distance:0; isdataat:!1,relative;"#,
        b"/abc",
        true,
    ),
    (
        r#"content:"/a"; content:!"c"; distance:0; isdataat:!1,relative;"#,
        b"/acb",
        true,
    ),
    // the negated-endswith quirk without the negated prefilter (a positive content)
    (r#"content:"x"; content:!"abc"; endswith;"#, b"xabcq", true),
    (r#"content:!"abc"; endswith; depth:5;"#, b"xabcq", true),
    (r#"content:!"abc"; depth:5; pcre:"/x/";"#, b"xabcq", false),
    // a distance-only follower makes the earlier content retry when a later keyword
    // fails (here the isdataat after the negated content)
    (
        r#"content:"|02|"; content:!"aab"; distance:0; isdataat:!2,relative;"#,
        b"\x02\x01\x02B",
        true,
    ),
    (
        r#"content:"|02|"; content:!"aab"; isdataat:!2,relative;"#,
        b"\x02\x01\x02B",
        false,
    ),
];

#[test]
fn payload_table() {
    run_table(PAYLOAD.iter().map(|(o, d, e)| (*o, "payload", *d, *e)));
}

/// Transforms on sticky buffers.
const STICKY: &[(&str, &str, &[u8], bool)] = &[
    (
        r#"http.uri; to_lowercase; content:"/abc";"#,
        "http.uri",
        b"/ABC",
        true,
    ),
    (
        r#"http.uri; to_uppercase; content:"/ABC";"#,
        "http.uri",
        b"/abc",
        true,
    ),
    (
        r#"http.uri; strip_whitespace; content:"/ab";"#,
        "http.uri",
        b"/a b",
        true,
    ),
    (
        r#"http.uri; compress_whitespace; content:"a b";"#,
        "http.uri",
        b"a \t b",
        true,
    ),
    (
        r#"http.uri; compress_whitespace; content:"a|09|";"#,
        "http.uri",
        b"a\t\t b",
        true,
    ),
    (
        r#"http.uri; url_decode; content:"/a b/c";"#,
        "http.uri",
        b"/a%20b%2fc",
        true,
    ),
    (
        r#"http.uri; url_decode; content:"a b";"#,
        "http.uri",
        b"a+b",
        true,
    ),
    (
        r#"http.uri; url_decode; content:"%zz";"#,
        "http.uri",
        b"%zz",
        true,
    ),
    (
        r#"dns.query; dotprefix; content:".example.com"; endswith;"#,
        "dns.query",
        b"www.example.com",
        true,
    ),
    (
        r#"dns.query; dotprefix; content:".example.com"; endswith;"#,
        "dns.query",
        b"wwwexample.com",
        false,
    ),
    (
        r#"http.uri; to_md5; content:"|90 01 50 98 3c d2 4f b0 d6 96 3f 7d 28 e1 7f 72|";"#,
        "http.uri",
        b"abc",
        true,
    ),
    (
        r#"http.uri; to_sha1; content:"|a9 99 3e 36 47 06 81 6a ba 3e 25 71 78 50 c2 6c 9c d0 d8 9d|";"#,
        "http.uri",
        b"abc",
        true,
    ),
    (
        r#"http.uri; to_sha256; content:"|ba 78 16 bf 8f 01 cf ea 41 41 40 de 5d ae 22 23 b0 03 61 a3 96 17 7a 9c b4 10 ff 61 f2 00 15 ad|";"#,
        "http.uri",
        b"abc",
        true,
    ),
    (
        r#"http.uri; xor:"0102"; content:"abc";"#,
        "http.uri",
        b"\x60\x60\x62",
        true,
    ),
    (
        r#"http.uri; pcrexform:"id=([a-z]+)"; content:"abc"; startswith; endswith;"#,
        "http.uri",
        b"/x?id=abc&y",
        true,
    ),
    (
        r#"http.header; header_lowercase; content:"host: A";"#,
        "http.header",
        b"HOST: A\r\n",
        true,
    ),
    (
        r#"http.header; strip_pseudo_headers; content:"a: b"; startswith;"#,
        "http.header",
        b":path: /\r\na: b\r\n",
        true,
    ),
    (
        r#"http.uri; to_lowercase; strip_whitespace; content:"ab";"#,
        "http.uri",
        b"A B",
        true,
    ),
    (r#"http.uri; bsize:3;"#, "http.uri", b"abc", true),
    (r#"http.uri; bsize:3;"#, "http.uri", b"abcd", false),
    (r#"http.uri; bsize:>3;"#, "http.uri", b"abcd", true),
    (r#"http.uri; bsize:2<>5;"#, "http.uri", b"abcde", false),
    (
        r#"urilen:3; http.uri; content:"a";"#,
        "http.uri",
        b"abc",
        true,
    ),
    (
        r#"urilen:>3; http.uri; content:"a";"#,
        "http.uri",
        b"abc",
        false,
    ),
    // ---- checked against Suricata 7.0.10 ----
    (
        r#"http.header; compress_whitespace; content:"A: b|09|c";"#,
        "http.header",
        b"Host: x\r\nA: b\t  c\r\n",
        true,
    ),
    (
        r#"http.header; strip_whitespace; content:"A:bc";"#,
        "http.header",
        b"Host: x\r\nA: b \t c\r\n",
        true,
    ),
    (
        r#"http.header; header_lowercase; content:"x-foo: BaR";"#,
        "http.header",
        b"Host: x\r\nX-Foo: BaR\r\n",
        true,
    ),
    (
        r#"http.uri; url_decode; content:"a+b";"#,
        "http.uri",
        b"/a+b",
        false,
    ),
    (
        r#"http.uri.raw; url_decode; content:"/a/b";"#,
        "http.uri.raw",
        b"/a%2Fb",
        true,
    ),
    (
        r#"http.uri.raw; url_decode; content:"/a%2";"#,
        "http.uri.raw",
        b"/a%2",
        true,
    ),
    (
        r#"http.uri.raw; url_decode; content:"/a%2z";"#,
        "http.uri.raw",
        b"/a%2z",
        true,
    ),
    (
        r#"http.uri; pcrexform:"nomatch(x)"; content:"/x?id"; startswith;"#,
        "http.uri",
        b"/x?id=abc&y",
        true,
    ),
    (
        r#"http.uri; content:"/"; base64_decode:relative; base64_data; content:"hello";"#,
        "http.uri",
        b"/aGVsbG8=",
        true,
    ),
    // decoding stops at a character outside the alphabet
    (
        r#"http.uri; content:"/"; base64_decode:relative; base64_data; content:"hello";"#,
        "http.uri",
        b"/aGVs.bG8=",
        false,
    ),
    (
        r#"http.uri; content:"/"; base64_decode:relative; base64_data; content:"hel";"#,
        "http.uri",
        b"/aGVs.bG8=",
        true,
    ),
    (
        r#"http.header; content:"A: "; base64_decode:relative; base64_data; content:"hel"; isdataat:!1,relative;"#,
        "http.header",
        b"Host: x\r\nA: aGVs bG8=\r\n",
        true,
    ),
    // partial final blocks
    (
        r#"http.uri; content:"/"; base64_decode:relative; base64_data; content:"hell";"#,
        "http.uri",
        b"/aGVsbA",
        true,
    ),
    (
        r#"http.uri; content:"/"; base64_decode:relative; base64_data; content:"hel"; isdataat:!1,relative;"#,
        "http.uri",
        b"/aGVsb",
        true,
    ),
    (
        r#"http.header; content:"A: "; base64_decode:relative; base64_data; content:"hel"; isdataat:!1,relative;"#,
        "http.header",
        b"Host: x\r\nA: aGVsb\r\n",
        false,
    ),
    (
        r#"http.header; content:"A: "; base64_decode:relative; base64_data; content:"hell"; isdataat:!1,relative;"#,
        "http.header",
        b"Host: x\r\nA: aGVsbG8\r\n",
        false,
    ),
    (
        r#"http.uri; content:"/"; base64_decode:relative; base64_data; content:"he"; isdataat:!1,relative;"#,
        "http.uri",
        b"/aGU",
        true,
    ),
    (
        r#"http.uri; content:"/"; base64_decode:relative; base64_data; content:"h"; isdataat:!1,relative;"#,
        "http.uri",
        b"/aG",
        true,
    ),
    (
        r#"http.uri; content:"/"; base64_decode:relative; base64_data; content:"he"; isdataat:!1,relative;"#,
        "http.uri",
        b"/aGU=x",
        true,
    ),
    (
        r#"http.uri; content:"/"; base64_decode:relative; base64_data; content:"h"; isdataat:!1,relative;"#,
        "http.uri",
        b"/aGU=x",
        false,
    ),
    (
        r#"http.uri; content:"/"; base64_decode:bytes 4, relative; base64_data; content:"hel"; isdataat:!1,relative;"#,
        "http.uri",
        b"/aGVsbG8=",
        true,
    ),
    (
        r#"http.uri; content:"/"; base64_decode:offset 4, relative; base64_data; content:"lo";"#,
        "http.uri",
        b"/aGVsbG8=",
        true,
    ),
    (
        r#"http.uri; content:"/"; base64_decode:relative; base64_data; content:"hello"; isdataat:!1,relative;"#,
        "http.uri",
        b"/aGVsbG8=aGVsbG8=",
        true,
    ),
    (
        r#"http.uri; base64_decode; base64_data; content:"hello";"#,
        "http.uri",
        b"/aGVsbG8=",
        false,
    ),
    // base64_decode without base64_data never completes a match
    (
        r#"http.uri; content:"/"; base64_decode:relative; content:"x";"#,
        "http.uri",
        b"/aGVsbG8=x",
        false,
    ),
    (
        r#"http.uri; content:"/"; base64_decode:relative; base64_data; content:"|00|";"#,
        "http.uri",
        b"/A",
        false,
    ),
    (r#"http.uri; to_md5; bsize:16;"#, "http.uri", b"/abc", true),
    (
        r#"http.uri; dotprefix; content:"./abc"; startswith;"#,
        "http.uri",
        b"/abc",
        true,
    ),
    // an empty buffer is inspected (checked against Suricata 7.0.10 with an empty
    // User-Agent header)
    (r#"http.user_agent; bsize:0;"#, "http.user_agent", b"", true),
    (
        r#"http.user_agent; isdataat:!1;"#,
        "http.user_agent",
        b"",
        true,
    ),
    (
        r#"http.user_agent; content:!"x";"#,
        "http.user_agent",
        b"",
        true,
    ),
    (
        r#"http.user_agent; bsize:<2;"#,
        "http.user_agent",
        b"",
        true,
    ),
    (
        r#"http.user_agent; bsize:1;"#,
        "http.user_agent",
        b"a",
        true,
    ),
];

#[test]
fn sticky_table() {
    run_table(STICKY.iter().map(|(o, b, d, e)| (*o, *b, *d, *e)));
}

/// `detect.inspection-recursion-limit` (3000): checked against Suricata 7.0.10, the
/// 2998th retry of "a" still matches, the 2999th is past the limit.
#[test]
fn recursion_limit_boundary() {
    for (pre, n, expect) in [
        (r#"content:"a"; content:"b"; within:1;"#, 2998, true),
        (r#"content:"a"; content:"b"; within:1;"#, 2999, false),
        (r#"pcre:"/a/"; content:"b"; within:1;"#, 2998, true),
        (r#"pcre:"/a/"; content:"b"; within:1;"#, 2999, false),
        // distance only: no retry needed, no limit reached
        (r#"content:"a"; content:"b"; distance:0;"#, 5000, true),
    ] {
        let mut data = vec![b'a'; n];
        data.push(b'b');
        if let Err(e) = try_check(pre, "payload", &data, expect) {
            panic!("{e}");
        }
    }
}

/// Property test: chains of up to three contents (nocase, offset/depth on the first,
/// distance/within on the others, endswith) against a brute-force model that tries every
/// start position of every content. The chains are ones where Suricata's retry logic is
/// complete (short buffers, no negation), so both must agree.
mod model {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    struct C {
        pat: Vec<u8>,
        nocase: bool,
        endswith: bool,
        /// First content: (offset, depth).
        offset: Option<u32>,
        depth: Option<u32>,
        /// Later contents: (distance, within).
        distance: Option<i32>,
        within: Option<i32>,
    }

    fn hex(p: &[u8]) -> String {
        let h: Vec<String> = p.iter().map(|b| format!("{b:02x}")).collect();
        format!("|{}|", h.join(" "))
    }

    fn rule_text(cs: &[C]) -> String {
        let mut s = String::new();
        for c in cs {
            s.push_str(&format!("content:\"{}\"; ", hex(&c.pat)));
            if c.nocase {
                s.push_str("nocase; ");
            }
            if let Some(o) = c.offset {
                s.push_str(&format!("offset:{o}; "));
            }
            if let Some(d) = c.depth {
                s.push_str(&format!("depth:{d}; "));
            }
            if let Some(d) = c.distance {
                s.push_str(&format!("distance:{d}; "));
            }
            if let Some(w) = c.within {
                s.push_str(&format!("within:{w}; "));
            }
            if c.endswith {
                s.push_str("endswith; ");
            }
        }
        s
    }

    fn eq_at(buf: &[u8], s: usize, c: &C) -> bool {
        let Some(w) = buf.get(s..s + c.pat.len()) else {
            return false;
        };
        if c.nocase {
            w.eq_ignore_ascii_case(&c.pat)
        } else {
            w == c.pat.as_slice()
        }
    }

    /// Whether contents `i..` can be placed after a match ending at `prev_end`.
    fn sat(cs: &[C], i: usize, buf: &[u8], prev_end: i64) -> bool {
        let Some(c) = cs.get(i) else { return true };
        let len = buf.len() as i64;
        let plen = c.pat.len() as i64;
        let (lo, hi) = if i == 0 {
            let o = c.offset.unwrap_or(0) as i64;
            let end = c.depth.map(|d| o + d as i64).unwrap_or(len);
            (o, end.min(len))
        } else {
            let d = c.distance.unwrap_or(0) as i64;
            let lo = (prev_end + d).max(0);
            let hi = match c.within {
                // Suricata: an end below zero wraps and is clamped to the buffer.
                Some(w) if prev_end + d + (w as i64) < 0 => len,
                Some(w) => (prev_end + d + w as i64).min(len),
                None => len,
            };
            (lo, hi)
        };
        (lo..=hi - plen).any(|s| {
            s >= 0
                && eq_at(buf, s as usize, c)
                && (!c.endswith || s + plen == len)
                && sat(cs, i + 1, buf, s + plen)
        })
    }

    fn pat() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'b'), Just(b'A')], 1..4)
    }

    fn content(first: bool) -> impl Strategy<Value = C> {
        (
            pat(),
            any::<bool>(),
            prop::bool::weighted(0.2),
            prop::option::of(0u32..8),
            prop::option::of(1u32..12),
            prop::option::of(-6i32..6),
            prop::option::of(1i32..10),
        )
            .prop_map(move |(pat, nocase, endswith, o, d, dist, w)| {
                let mut c = C {
                    pat,
                    nocase,
                    endswith,
                    offset: None,
                    depth: None,
                    distance: None,
                    within: None,
                };
                if first {
                    c.offset = o;
                    c.depth = d.map(|d| d.max(c.pat.len() as u32));
                } else {
                    c.distance = dist;
                    c.within = w.map(|w| w.max(c.pat.len() as i32));
                    if c.distance.is_none() && c.within.is_none() {
                        c.distance = Some(0);
                    }
                }
                c
            })
    }

    fn chain() -> impl Strategy<Value = Vec<C>> {
        (
            content(true),
            proptest::collection::vec(content(false), 0..3),
        )
            .prop_map(|(f, rest)| {
                let mut v = vec![f];
                v.extend(rest);
                v
            })
    }

    /// Suricata only retries an earlier content for a within-relative follower; with a
    /// distance-only content followed by a within one, the model is complete only when
    /// no content before the distance-only one has to move. Keep chains where every
    /// follower but the first uses within, or the chain has two contents.
    fn complete(cs: &[C]) -> bool {
        cs.iter().skip(2).all(|c| c.within.is_some())
            && !cs
                .iter()
                .any(|c| c.endswith && c.distance.is_some() && c.within.is_none())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn contents_match_the_model(
            cs in chain(),
            buf in proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'b'), Just(b'A'), Just(b'x')], 0..40),
        ) {
            prop_assume!(complete(&cs));
            let text = format!("alert tcp any any -> any any ({} sid:1;)", rule_text(&cs));
            let rule = parse_rule(&text, &RuleContext::default());
            prop_assume!(rule.is_ok());
            let rule = rule.unwrap();
            let bm = &rule.buffers[0];
            let prog = BufferProgram::compile(&rule, bm).unwrap();
            let mut s = Scratch::default();
            let expect = sat(&cs, 0, &buf, 0);
            prop_assert_eq!(prog.matches(&buf, &mut s), expect, "{} on {:?}", text, String::from_utf8_lossy(&buf));
        }
    }
}

/// Keywords the rules crate accepts but the inspector does not: compile fails naming them.
#[test]
fn unsupported_keywords_are_named() {
    for (opts, kw) in [
        (r#"content:"a"; asn1:bitstring_overflow;"#, "asn1"),
        (r#"http.uri; dataset:isset,seen,type string;"#, "dataset"),
        (
            r#"http.uri; datarep:bad,>,5,type string, load bad.csv;"#,
            "datarep",
        ),
    ] {
        let text = format!("alert http any any -> any any ({opts} sid:1;)");
        let rule =
            parse_rule(&text, &RuleContext::default()).unwrap_or_else(|e| panic!("{text}: {e}"));
        let errs: Vec<String> = rule
            .buffers
            .iter()
            .filter_map(|b| BufferProgram::compile(&rule, b).err())
            .collect();
        assert!(errs.iter().any(|e| e.starts_with(kw)), "{text}: {errs:?}");
    }
}

/// A base64_data list is inspected by the base64_decode of its rule.
#[test]
fn base64_data_list_is_inline() {
    let text = r#"alert http any any -> any any (http.uri; content:"/"; base64_decode:relative; base64_data; content:"hello"; sid:1;)"#;
    let rule = parse_rule(text, &RuleContext::default()).unwrap();
    let b = rule
        .buffers
        .iter()
        .find(|b| b.buffer == "base64_data")
        .unwrap();
    let p = BufferProgram::compile(&rule, b).unwrap();
    assert!(p.is_inline_only());
    let mut s = Scratch::default();
    assert!(p.matches(b"anything", &mut s));
}

/// Programs are shared by the worker threads; scratch moves between them.
#[test]
fn thread_safety() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send_sync::<BufferProgram>();
    send::<Scratch>();
}

/// Random rules and buffers whose results come from the real Suricata 7.0.10
/// (`testdata/suricata_diff.py 11 700`): every case must agree.
#[test]
fn suricata_differential_cases() {
    let data = include_str!("testdata/suricata-7.0.10-diff.tsv");
    let mut fails = Vec::new();
    let mut n = 0;
    for line in data.lines() {
        let mut it = line.split('\t');
        let (Some(o), Some(hex), Some(e)) = (it.next(), it.next(), it.next()) else {
            continue;
        };
        let buf: Vec<u8> = (0..hex.len() / 2)
            .filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
            .collect();
        let (opts, text) = match o.strip_prefix("H:") {
            Some(h) => (
                h,
                format!("alert http any any -> any any (flow:to_server; {h} sid:1;)"),
            ),
            None => (o, format!("alert udp any any -> any any ({o} sid:1;)")),
        };
        let rule = match parse_rule(&text, &RuleContext::default()) {
            Ok(r) => r,
            // The rules crate's own fidelity is tested there.
            Err(_) => continue,
        };
        let mut s = Scratch::default();
        s.reset();
        let mut got = true;
        for b in &rule.buffers {
            match BufferProgram::compile(&rule, b) {
                Ok(p) => got &= p.matches(&buf, &mut s),
                Err(e) => panic!("{opts}: {e}"),
            }
        }
        n += 1;
        if got != (e == "1") {
            fails.push(format!("{opts} | {hex}: got {got}, Suricata {e}"));
        }
    }
    assert!(n > 700, "only {n} cases");
    assert!(
        fails.is_empty(),
        "{} of {n} differ:\n{}",
        fails.len(),
        fails.join("\n")
    );
}
