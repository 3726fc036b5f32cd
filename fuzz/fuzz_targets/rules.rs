//! Fuzz target for the rule parser: any input, parsed as a rules file and as
//! companion config files, must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade_rules::{
    load_rules_str, parse_classification, parse_iprep_categories, parse_reference_config,
    parse_threshold_config, RuleContext,
};
use std::sync::OnceLock;

fn ctx() -> &'static RuleContext {
    static C: OnceLock<RuleContext> = OnceLock::new();
    C.get_or_init(|| {
        let mut c = RuleContext::default();
        c.set_var("vars.address-groups.HOME_NET", "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]");
        c.set_var("vars.address-groups.EXTERNAL_NET", "!$HOME_NET");
        c.set_var("vars.address-groups.LOOP", "[$LOOP,1.2.3.4]");
        c.set_var("vars.port-groups.HTTP_PORTS", "[80,8080]");
        c.set_var("vars.port-groups.SHELLCODE_PORTS", "!80");
        c.iprep_categories = Some(["BadHosts".to_string()].into_iter().collect());
        c
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let res = load_rules_str(&text, "fuzz.rules", ctx());
    for e in &res.errors {
        let _ = e.to_string();
    }
    let _ = parse_classification(&text, "c");
    let _ = parse_reference_config(&text, "r");
    let _ = parse_threshold_config(&text, "t");
    let _ = parse_iprep_categories(&text, "i");
});
