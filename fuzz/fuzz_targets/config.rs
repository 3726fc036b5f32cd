//! Arbitrary bytes as a Suricata YAML configuration: loading must never
//! panic or run away, and whatever loads must dump, re-emit and answer
//! look-ups and `--set` without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade_config::{Config, LoadOptions};

fuzz_target!(|data: &[u8]| {
    let opts = LoadOptions {
        max_nodes: 100_000,
        ..LoadOptions::default()
    };
    let Ok(mut cfg) = Config::from_yaml_bytes(data, &opts) else {
        return;
    };
    let dump = cfg.dump();
    // Every dumped path must resolve.
    for line in dump.lines().take(64) {
        if let Some((path, _)) = line.split_once(" = ") {
            let _ = cfg.get(path);
            let _ = cfg.get_bool(path);
            let _ = cfg.get_int(path);
            let _ = cfg.get_size(path);
        }
    }
    let _ = Config::from_yaml_str(&cfg.to_yaml());
    let _ = palisade_config::views::Engine::from_config(&cfg);
    // Use the first line of the input as a --set argument.
    if let Some(first) = std::str::from_utf8(data).ok().and_then(|s| s.lines().next()) {
        let _ = cfg.set_from_string(first);
        let _ = cfg.dump();
    }
});
