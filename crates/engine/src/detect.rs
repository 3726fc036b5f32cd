//! Glue between the pipeline and the detection engine: building it from the loaded
//! rules and the configuration, per-flow detection state beside the flow table, and the
//! alert outputs (EVE `alert`, `fast.log`).

use std::path::Path;
use std::sync::Arc;

use palisade_config::{views, Config};
use palisade_detect::{Alert, DetectConfig, DetectEngine, Detector, FlowDetectState};
use palisade_output::alert::{AlertAction, AlertInfo, AlertOptions};
use palisade_output::FastLog;
use palisade_rules::{parse_threshold_config, Action, Rule, RuleContext};
use palisade_stream::tcp::{StreamEvent, StreamEvents};

use crate::EngineError;

/// Detection as the pipeline runs it.
pub(crate) struct Detection {
    pub detector: Detector,
    /// Detection state of each flow, by flow slot.
    pub flow_states: Vec<FlowDetectState>,
    /// Alerts of the packet being handled (reused).
    pub alerts: Vec<Alert>,
    /// Per rule (internal id): the rule text when the alert output asks for it.
    pub raw: Vec<String>,
    pub alert_opts: AlertOptions,
    /// EVE carries alerts.
    pub eve_alert: bool,
    pub fast: Vec<FastLog>,
    pub ips: bool,
    /// Index in `palisade_rules::events::STREAM_EVENTS` of each stream event.
    stream_event_idx: Vec<Option<usize>>,
}

impl Detection {
    /// Compiles `rules` (all of them are consumed) into a detection engine.
    pub fn build(
        rules: Vec<Rule>,
        ctx: &RuleContext,
        cfg: &Config,
        views: &views::Engine,
        log_dir: &Path,
        ips: bool,
    ) -> Result<Detection, EngineError> {
        let mut dc = DetectConfig {
            classification: ctx.classification.clone(),
            rule_context: ctx.clone(),
            ..DetectConfig::default()
        };
        if let Some(n) = cfg
            .get_int("packet-alert-max")
            .map_err(|e| EngineError(e.to_string()))?
        {
            dc.packet_alert_max = n.clamp(1, 1000) as usize;
        }
        if let Some(f) = cfg.get("threshold-file") {
            if let Ok(text) = std::fs::read_to_string(f) {
                dc.thresholds = parse_threshold_config(&text, f).0;
            }
        }
        let started = std::time::Instant::now();
        let (engine, warnings) = DetectEngine::build(&rules, &dc);
        for w in &warnings {
            crate::warning!("rule {}:{}: {}", w.gid, w.sid, w.reason);
        }
        crate::info!(
            "detection engine built: {} rules in {:.2} s",
            engine.rules.len(),
            started.elapsed().as_secs_f64()
        );
        let eve = views.outputs.eve_logs.iter().find(|e| e.enabled);
        let alert_type = eve.and_then(|e| e.types.iter().find(|t| t.name == "alert" && t.enabled));
        let alert_opts = alert_type
            .and_then(|t| t.options_path.as_deref())
            .map(|p| alert_options(cfg, p))
            .unwrap_or_default();
        let raw = if alert_opts.rule_raw {
            engine
                .rules
                .iter()
                .map(|r| {
                    rules
                        .get(r.input_index)
                        .map(|x| x.text.clone())
                        .unwrap_or_default()
                })
                .collect()
        } else {
            Vec::new()
        };
        drop(rules);
        let mut fast = Vec::new();
        for f in views.outputs.fast.iter().filter(|f| f.enabled) {
            let path = crate::pipeline::in_log_dir(log_dir, &f.filename);
            let mut fl = FastLog::create(&path, f.append)
                .map_err(|e| EngineError(format!("cannot open {}: {e}", path.display())))?;
            fl.set_ips(ips);
            fast.push(fl);
        }
        let names = palisade_rules::events::STREAM_EVENTS;
        let stream_event_idx = StreamEvent::ALL
            .iter()
            .map(|e| names.iter().position(|n| *n == e.name()))
            .collect();
        Ok(Detection {
            detector: Detector::new(Arc::new(engine)),
            flow_states: Vec::new(),
            alerts: Vec::with_capacity(16),
            raw,
            alert_opts,
            eve_alert: alert_type.is_some(),
            fast,
            ips,
            stream_event_idx,
        })
    }

    /// The detection state of the flow in `slot`.
    pub fn flow_state(&mut self, slot: u32) -> &mut FlowDetectState {
        let i = slot as usize;
        if self.flow_states.len() <= i {
            self.flow_states
                .resize_with(i + 1, FlowDetectState::default);
        }
        &mut self.flow_states[i]
    }

    /// Forgets the state of an ended flow.
    pub fn flow_end(&mut self, slot: u32) {
        if let Some(s) = self.flow_states.get_mut(slot as usize) {
            *s = FlowDetectState::default();
        }
    }

    /// The stream events of a packet as detection numbers them.
    pub fn stream_event_bits(&self, ev: &StreamEvents) -> [u64; 2] {
        let mut bits = [0u64; 2];
        for e in ev.iter() {
            if let Some(Some(i)) = self.stream_event_idx.get(e.index()) {
                if *i < 128 {
                    bits[i / 64] |= 1 << (i % 64);
                }
            }
        }
        bits
    }

    /// The output description of an alert.
    pub fn info<'a>(&'a self, a: &'a Alert) -> AlertInfo<'a> {
        let drops = matches!(
            a.action,
            Action::Drop
                | Action::Reject
                | Action::RejectSrc
                | Action::RejectDst
                | Action::RejectBoth
        );
        let rejects = drops && a.action != Action::Drop;
        let i = a.rule as usize;
        AlertInfo {
            action: AlertAction::for_rule(drops, rejects, self.ips),
            drops,
            gid: a.gid,
            sid: a.sid,
            rev: a.rev,
            signature: &a.msg,
            category: a.category.as_deref().unwrap_or(""),
            severity: a.priority,
            metadata: &a.metadata,
            rule: self.raw.get(i).map(|s| s.as_str()).unwrap_or(""),
            ..AlertInfo::default()
        }
    }
}

/// The options of the eve-log `alert` type.
fn alert_options(cfg: &Config, path: &str) -> AlertOptions {
    let d = AlertOptions::default();
    let b = |k: &str, def: bool| cfg.get_bool(&format!("{path}.{k}")).unwrap_or(def);
    AlertOptions {
        payload: b("payload", d.payload),
        payload_printable: b("payload-printable", d.payload_printable),
        payload_buffer_size: cfg
            .get_size(&format!("{path}.payload-buffer-size"))
            .ok()
            .flatten()
            .map(|v| v.min(u64::from(u32::MAX)) as u32)
            .unwrap_or(d.payload_buffer_size),
        packet: b("packet", d.packet),
        rule_metadata: b("metadata", true) && b("metadata.rule.metadata", d.rule_metadata),
        rule_raw: b("metadata.rule.raw", d.rule_raw),
        flow: b("metadata.flow", d.flow),
        app_layer: b("metadata.app-layer", d.app_layer),
        verdict: b("verdict", d.verdict),
    }
}
