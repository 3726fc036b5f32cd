//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod mutate;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use palisade_rules::RuleContext;

/// `/work/shared` (the read-only shared data), from the manifest dir.
pub fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// Builds a rule context from flat `key -> value` settings as printed by
/// `suricata --dump-config` (vars.* and app-layer.protocols.*.enabled).
pub fn context_from_settings(settings: &HashMap<String, String>) -> RuleContext {
    let mut ctx = RuleContext::default();
    for (k, v) in settings {
        ctx.set_var(k, v);
    }
    let s = settings.clone();
    ctx.app_layer = Some(Arc::new(move |proto: &str| app_enabled(&s, proto)));
    ctx
}

fn app_enabled(s: &HashMap<String, String>, proto: &str) -> bool {
    let names: Vec<&str> = match proto {
        "http1" => vec!["http"],
        "ike" => vec!["ike", "ikev2"],
        other => vec![other],
    };
    let on = |v: &str| v != "no" && v != "false";
    let mut found = false;
    let mut any_on = false;
    for n in &names {
        if let Some(v) = s.get(&format!("app-layer.protocols.{n}.enabled")) {
            found = true;
            any_on |= on(v);
        }
        for sub in ["tcp", "udp"] {
            if let Some(v) = s.get(&format!("app-layer.protocols.{n}.{sub}.enabled")) {
                found = true;
                any_on |= on(v);
            }
        }
    }
    if found {
        any_on
    } else {
        RuleContext::default_app_layer_enabled(proto)
    }
}
