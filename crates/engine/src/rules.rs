//! Rule loading as Suricata does it: which files (`-S`, `-s`, `rule-files`,
//! `default-rule-path`), the context rules need (variables, classification, references,
//! enabled app-layer protocols), and the report of bad rules.

use std::path::PathBuf;
use std::sync::Arc;

use palisade_config::{views, Config};
use palisade_rules::{
    load_rule_files, parse_classification, parse_iprep_categories, parse_reference_config,
    parse_threshold_config, LoadResult, RuleContext,
};

use crate::{EngineError, EngineOptions};

/// The rule files to load: `-S` files alone when given, else the configured `rule-files`
/// (relative to `default-rule-path`) followed by the `-s` files.
pub fn rule_file_list(opts: &EngineOptions, cfg: &Config) -> Vec<PathBuf> {
    if !opts.exclusive_rules.is_empty() {
        return opts.exclusive_rules.clone();
    }
    let base = cfg.get("default-rule-path").map(PathBuf::from);
    let mut out: Vec<PathBuf> = cfg
        .children("rule-files")
        .filter_map(|n| n.value().map(PathBuf::from))
        .map(|p| match (&base, p.is_absolute()) {
            (Some(b), false) => b.join(p),
            _ => p,
        })
        .collect();
    out.extend(opts.extra_rules.iter().cloned());
    out
}

/// Config names of app-layer protocols, from the names rules use.
fn config_proto_name(rule_proto: &str) -> &str {
    match rule_proto {
        "http1" => "http",
        "ftp-data" => "ftp",
        other => other,
    }
}

/// Builds what rules need from the configuration. Problems with the companion files are
/// reported as warnings, as Suricata does, and the files' good lines are kept.
pub fn rule_context(cfg: &Config, views: &views::Engine) -> RuleContext {
    let mut ctx = RuleContext::default();
    for (k, v) in &views.vars.address_groups {
        ctx.address_vars.insert(k.clone(), v.clone());
    }
    for (k, v) in &views.vars.port_groups {
        ctx.port_vars.insert(k.clone(), v.clone());
    }
    let app = views.app_layer.clone();
    ctx.app_layer = Some(Arc::new(move |proto: &str| {
        let name = config_proto_name(proto);
        // Enabled over either transport. A protocol missing from the configuration takes
        // Suricata's built-in default (every parser on but modbus, dnp3, enip, pgsql).
        let default = RuleContext::default_app_layer_enabled(name);
        app.detection_enabled(name, "tcp", default) || app.detection_enabled(name, "udp", default)
    }));
    if let Some(f) = cfg.get("classification-file") {
        match std::fs::read_to_string(f) {
            Ok(text) => {
                let (map, errors) = parse_classification(&text, f);
                for e in errors {
                    crate::warning!("{e}");
                }
                ctx.classification = map;
            }
            Err(e) => crate::warning!("could not open classification file {f}: {e}"),
        }
    }
    if let Some(f) = cfg.get("reference-config-file") {
        match std::fs::read_to_string(f) {
            Ok(text) => {
                let (map, errors) = parse_reference_config(&text, f);
                for e in errors {
                    crate::warning!("{e}");
                }
                ctx.references = map;
            }
            Err(e) => crate::warning!("could not open reference config file {f}: {e}"),
        }
    }
    if let Some(f) = cfg.get("reputation-categories-file") {
        match std::fs::read_to_string(f) {
            Ok(text) => {
                let (set, errors) = parse_iprep_categories(&text, f);
                for e in errors {
                    crate::warning!("{e}");
                }
                ctx.iprep_categories = Some(set);
            }
            Err(e) => crate::warning!("could not open reputation categories file {f}: {e}"),
        }
    }
    ctx.dataset_dir = cfg.get("default-data-dir").map(PathBuf::from);
    ctx.lua_rules_allowed = cfg.get_bool("security.lua.allow-rules").unwrap_or(false);
    if views
        .outputs
        .entries
        .iter()
        .any(|o| o.name == "file-store" && o.enabled)
    {
        ctx.features.insert("output::file-store".to_string());
    }
    ctx
}

/// Loads the rules, logs every failure with file, line, keyword and reason, and the
/// summary. With `--init-errors-fatal`, any failure is an error.
pub fn load(
    opts: &EngineOptions,
    cfg: &Config,
    views: &views::Engine,
) -> Result<LoadResult, EngineError> {
    let files = rule_file_list(opts, cfg);
    let ctx = rule_context(cfg, views);
    let res = load_rule_files(&files, &ctx);
    // A rule file that cannot be read is a warning, as in Suricata (fatal only with
    // --init-errors-fatal, below).
    for e in &res.file_errors {
        crate::warning!("{e}");
    }
    for e in &res.errors {
        crate::error!("error parsing signature: {e}");
    }
    for w in &res.warnings {
        crate::warning!("{w}");
    }
    if files.is_empty() {
        crate::warning!("no rule files given: loaded no rules");
    } else if res.loaded == 0 {
        crate::warning!("{}", res.summary());
    } else {
        crate::info!("{}", res.summary());
    }
    check_threshold_file(cfg);
    if opts.init_errors_fatal && (res.failed > 0 || res.bad_files > 0) {
        return Err(EngineError(format!(
            "{} rules and {} rule files failed to load and --init-errors-fatal is set",
            res.failed, res.bad_files
        )));
    }
    Ok(res)
}

/// Reads `threshold-file` (threshold, event_filter, suppress, rate_filter lines) and
/// reports its bad lines; thresholds take effect once detection exists.
fn check_threshold_file(cfg: &Config) {
    let Some(f) = cfg.get("threshold-file") else {
        return;
    };
    match std::fs::read_to_string(f) {
        Ok(text) => {
            let (entries, errors) = parse_threshold_config(&text, f);
            for e in &errors {
                crate::warning!("{e}");
            }
            crate::info!(
                "threshold file {f}: {} entries, {} bad lines",
                entries.len(),
                errors.len()
            );
        }
        Err(e) => crate::info!("threshold file {f} not read: {e}"),
    }
}
