//! Configuration loading and the single-threaded packet pipeline.

use std::path::{Path, PathBuf};

use palisade_capture::{CaptureReader, RawPacket, Timestamp};
use palisade_config::{views, Config, LoadOptions};
use palisade_decode::defrag::{Cidr, Defrag, DefragConfig, Policy};
use palisade_decode::{
    ChecksumMode, DecodeEvent, DecodeStats, Decoder, DecoderConfig, Events, InnerKind, Packet,
    PortSet,
};
use palisade_flow::{
    Direction, FlowConfig, FlowHandle, FlowRecord, FlowTable, FlowTimeouts, ProtoTimeouts,
};
use palisade_output::{
    statslog, write_anomaly, write_flow, write_netflow, write_stats, AnomalyKind, EveWriter,
    JsonBuf, PacketHeader, PktSrc, StatValue,
};
use palisade_stream::tcp::{
    Dir as StreamDir, NullSink, StreamEngine, StreamEvents, TcpSegment, TcpSession,
    TcpState as StreamState,
};

use crate::detect::Detection;
use crate::input::{list_inputs, FileBytes};
use crate::log::{self, Level};
use crate::progress::Progress;
use crate::{fail, EngineError, EngineOptions};
use palisade_detect::{alert_flags, FlowDir, PacketView};
use palisade_output::alert::{write_alert, AlertPacket, FlowSnapshot, PacketVerdict};

/// Builds the running configuration as Suricata does: `--set` values first (final), then
/// the configuration file (or the built-in defaults), then `--include` files.
pub(crate) fn load_config(opts: &EngineOptions) -> Result<Config, EngineError> {
    let mut cfg = Config::new();
    // As in Suricata, -r and -l are configuration values set before the file is read.
    if let Some(p) = &opts.pcap {
        cfg.set("pcap-file.file", &p.to_string_lossy())
            .map_err(|e| EngineError(e.to_string()))?;
    }
    if let Some(d) = &opts.log_dir {
        cfg.set("default-log-dir", &d.to_string_lossy())
            .map_err(|e| EngineError(e.to_string()))?;
    }
    for (k, v) in &opts.sets {
        cfg.set(k, v)
            .map_err(|e| EngineError(format!("--set {k}={v}: {e}")))?;
    }
    match &opts.config_file {
        Some(p) => cfg
            .merge_file(p)
            .map_err(|e| EngineError(format!("failed to load configuration: {e}")))?,
        None => cfg
            .merge_yaml_str(
                palisade_config::DEFAULT_YAML,
                "<built-in defaults>",
                &LoadOptions {
                    allow_includes: false,
                    ..LoadOptions::default()
                },
            )
            .map_err(|e| EngineError(format!("built-in configuration: {e}")))?,
    }
    for inc in &opts.includes {
        cfg.include_file(inc, &LoadOptions::default())
            .map_err(|e| EngineError(format!("failed to include {}: {e}", inc.display())))?;
    }
    Ok(cfg)
}

/// What the EVE log was asked to carry.
struct EveSink {
    writer: EveWriter,
    flow: bool,
    netflow: bool,
    anomaly_decode: bool,
    anomaly_stream: bool,
    stats: bool,
    stats_totals: bool,
}

/// Counters of the capture stage.
#[derive(Default)]
struct CaptureStats {
    files: u64,
    packets: u64,
    bytes: u64,
}

struct Pipeline {
    decoder: Decoder,
    defrag: Defrag,
    flows: FlowTable,
    /// The TCP stream engine and the session of each flow, by flow slot.
    stream: StreamEngine,
    sessions: Vec<Option<Box<TcpSession>>>,
    /// Flows ended during this packet's lookups, logged after the packet's records.
    ended: Vec<FlowRecord>,
    /// The detection engine (none with --disable-detection).
    detection: Option<Detection>,
    /// Link type of the captured frame being handled.
    linktype: u32,
    /// Raw stream bytes handed to detection with the current packet (reused).
    raw_buf: Vec<u8>,
    /// The same bytes as alerts log them, holes written `[N bytes missing]` (reused).
    raw_log: Vec<u8>,
    /// Decoder counters of the flow-end pseudo packets (not reported: Suricata does not
    /// count them as decoded packets).
    pseudo_stats: DecodeStats,
    dstats: DecodeStats,
    eve: Option<EveSink>,
    j: JsonBuf,
    pcap_cnt: u64,
    /// Packet time of the last flow-timeout pass (seconds).
    last_expire: u64,
    first_ts: Option<Timestamp>,
    last_ts: Timestamp,
    io_error: Option<String>,
    cap: CaptureStats,
    /// Checksum "auto" mode: packets seen and bad checksums among them.
    auto_checksum: Option<AutoChecksum>,
    /// The `stats` output (stats.log), when enabled with totals.
    stats_log: Option<PathBuf>,
    stats_log_append: bool,
}

/// Suricata's checksum auto-detection for pcap files: if more than 10 % of the first
/// 1000 packets carry a bad checksum, checksums are stopped being validated.
struct AutoChecksum {
    seen: u64,
    bad: u64,
    decided: bool,
}

const AUTO_CHECKSUM_SAMPLE: u64 = 1000;
const AUTO_CHECKSUM_BAD_PERCENT: u64 = 10;

/// Bytes of a mapped capture read between two releases of the pages behind the reader.
const RELEASE_STEP: u64 = 32 << 20;

/// How to decode and account a packet carried inside another.
struct Inner {
    kind: InnerKind,
    level: u8,
    /// VLAN ids to start from (rebuilt datagrams keep their fragments').
    vlan: Option<([u16; 3], u8)>,
    /// Length counted to the flow, when not the carried bytes' own.
    caplen: Option<u32>,
    src: PktSrc,
}

/// Deepest nesting of tunnels and reassembled datagrams followed for one captured frame.
const MAX_PACKET_DEPTH: u8 = 8;

pub(crate) fn run(opts: &EngineOptions, cfg: &Config) -> Result<(), EngineError> {
    let views = views::Engine::from_config(cfg).map_err(|e| EngineError(e.to_string()))?;

    // Console verbosity: notice by default, -v info, -vv perf, -vvv config, -vvvv debug.
    let console = match opts.verbose {
        0 => Level::Notice,
        1 => Level::Info,
        2 => Level::Perf,
        3 => Level::Config,
        _ => Level::Debug,
    };
    log::set_console_level(console);

    let log_dir = match &opts.log_dir {
        Some(d) => {
            if !d.is_dir() {
                fail!(
                    "The logging directory \"{}\" supplied at the command-line (-l {}) doesn't exist. Shutting down the engine.",
                    d.display(),
                    d.display()
                );
            }
            d.clone()
        }
        None => {
            let d = PathBuf::from(&views.default_log_dir);
            if !d.is_dir() {
                fail!(
                    "The logging directory \"{}\" supplied by the configuration (default-log-dir) doesn't exist. Shutting down the engine.",
                    d.display()
                );
            }
            d
        }
    };
    setup_log_file(&views.logging, &log_dir);
    crate::notice!("{}", crate::version_line());

    if let Some(p) = &opts.pidfile {
        if let Err(e) = std::fs::write(p, format!("{}\n", std::process::id())) {
            fail!("unable to write pid file {}: {e}", p.display());
        }
    }

    let mut loaded = None;
    if !opts.disable_detection {
        let res = crate::rules::load(opts, cfg, &views)?;
        if opts.test_config {
            println!("{}", res.summary());
        } else {
            loaded = Some(res.rules);
        }
    }
    if opts.test_config {
        crate::notice!("Configuration provided was successfully loaded. Exiting.");
        return Ok(());
    }

    let Some(pcap) = &opts.pcap else {
        fail!(
            "no input given: use -r <pcap file or directory> (live capture is not supported yet)"
        );
    };
    let inputs = list_inputs(pcap, opts.recursive)
        .map_err(|e| EngineError(format!("pcap file '{}': {e}", pcap.display())))?;
    if let Some(r) = &opts.runmode {
        if r != "single" {
            crate::info!("runmode {r}: this build processes captures on one thread");
        }
    }

    let detection = match loaded {
        Some(rules) => {
            let ctx = crate::rules::rule_context(cfg, &views);
            Some(Detection::build(
                rules,
                &ctx,
                cfg,
                &views,
                &log_dir,
                opts.simulate_ips,
            )?)
        }
        None => None,
    };
    let mut p = Pipeline::new(opts, cfg, &views, &log_dir)?;
    p.detection = detection;
    for path in &inputs {
        p.run_file(path, inputs.len() == 1)?;
    }
    p.finish()?;
    crate::notice!(
        "read {} file{}, {} packets, {} bytes",
        p.cap.files,
        if p.cap.files == 1 { "" } else { "s" },
        p.cap.packets,
        p.cap.bytes
    );
    if let Some(e) = p.io_error {
        fail!("writing output: {e}");
    }
    Ok(())
}

/// Runs the pipeline over one in-memory capture with the given configuration, writing the
/// configured outputs under `log_dir` (which must exist). Used by the pipeline fuzz target;
/// handy for embedding. A buffer that is no capture is an error.
pub fn run_bytes(cfg: &Config, data: &[u8], log_dir: &Path) -> Result<(), EngineError> {
    let views = views::Engine::from_config(cfg).map_err(|e| EngineError(e.to_string()))?;
    let opts = EngineOptions::default();
    let mut p = Pipeline::new(&opts, cfg, &views, log_dir)?;
    let mut reader = CaptureReader::new(data).map_err(|e| EngineError(e.to_string()))?;
    while let Some(raw) = reader.next_packet() {
        p.packet(&raw);
    }
    p.finish()?;
    match p.io_error {
        Some(e) => Err(EngineError(format!("writing output: {e}"))),
        None => Ok(()),
    }
}

fn setup_log_file(logging: &views::Logging, log_dir: &Path) {
    let default_level = Level::from_name(&logging.default_log_level).unwrap_or(Level::Notice);
    for o in &logging.outputs {
        if o.kind == "file" && o.enabled {
            let name = o.filename.as_deref().unwrap_or("suricata.log");
            let path = if Path::new(name).is_absolute() {
                PathBuf::from(name)
            } else {
                log_dir.join(name)
            };
            let level = o
                .level
                .as_deref()
                .and_then(Level::from_name)
                .unwrap_or(default_level);
            let json = o.log_type.as_deref() == Some("json");
            if let Err(e) = log::open_file(&path, level, json) {
                crate::warning!("unable to open log file {}: {e}", path.display());
            }
        }
    }
}

fn decoder_config(
    opts: &EngineOptions,
    cfg: &Config,
    views: &views::Engine,
) -> Result<DecoderConfig, EngineError> {
    let mut dc = DecoderConfig::default();
    // decoder.max-layers (commented out in the stock file; 16 when absent).
    match cfg.get_int("decoder.max-layers") {
        Ok(None) => {}
        Ok(Some(n)) if (3..=255).contains(&n) => dc.max_layers = n as u8,
        Ok(Some(n)) => fail!("decoder.max-layers: {n} is out of range (3 to 255)"),
        Err(e) => fail!("{e}"),
    }
    let ports = |t: &views::TunnelDecoder, key: &str| -> Result<Option<PortSet>, EngineError> {
        Ok(t.resolve_ports(&views.vars, key)
            .map_err(|e| EngineError(e.to_string()))?
            .map(|v| PortSet::new(&v)))
    };
    dc.vxlan_enabled = views.decoder.vxlan.enabled;
    if let Some(p) = ports(&views.decoder.vxlan, "decoder.vxlan.ports")? {
        dc.vxlan_ports = p;
    }
    dc.geneve_enabled = views.decoder.geneve.enabled;
    if let Some(p) = ports(&views.decoder.geneve, "decoder.geneve.ports")? {
        dc.geneve_ports = p;
    }
    dc.teredo_enabled = views.decoder.teredo.enabled;
    if let Some(p) = ports(&views.decoder.teredo, "decoder.teredo.ports")? {
        dc.teredo_ports = p;
    }
    // As in Suricata, `-k` sets the stream engine's checksum validation (see
    // `stream::stream_config`); checksums are still computed per
    // `pcap-file.checksum-checks` for the `*-csum` keywords. `-k all` computes them always.
    dc.checksum = match (opts.checksum, views.pcap_file.checksum_checks) {
        (Some(ChecksumMode::All), _) | (_, views::ChecksumMode::Yes) => ChecksumMode::All,
        (_, views::ChecksumMode::Auto) => ChecksumMode::Auto,
        (_, views::ChecksumMode::No) => ChecksumMode::None,
    };
    Ok(dc)
}

fn flow_config(cfg: &Config, views: &views::Engine) -> FlowConfig {
    let t = |v: &views::Timeouts| ProtoTimeouts {
        new: v.new,
        established: v.established,
        closed: v.closed,
        bypassed: v.bypassed,
        emergency_new: v.emergency_new,
        emergency_established: v.emergency_established,
        emergency_closed: v.emergency_closed,
        emergency_bypassed: v.emergency_bypassed,
    };
    let ft = &views.flow_timeouts;
    FlowConfig {
        memcap: views.flow.memcap,
        hash_size: views.flow.hash_size,
        prealloc: views.flow.prealloc,
        emergency_recovery: views.flow.emergency_recovery as u32,
        vlan_use_for_tracking: cfg.get_bool("vlan.use-for-tracking").unwrap_or(true),
        midstream: cfg.get_bool("stream.midstream").unwrap_or(false),
        // Reading a capture, Suricata 7's flow manager times no flow out: a flow ends when
        // a later packet of its tuple finds it timed out, on TCP port reuse, when evicted
        // for room (emergency mode, bounded by flow.memcap), or at shutdown. Doing the
        // same keeps the records equal to Suricata's and the output deterministic.
        manager_timeouts: false,
        // The stream engine tracks TCP sessions and keeps the flow's summary current.
        external_tcp: true,
        timeouts: FlowTimeouts {
            default: t(&ft.default),
            tcp: t(&ft.tcp),
            udp: t(&ft.udp),
            icmp: t(&ft.icmp),
        },
    }
}

fn defrag_config(views: &views::Engine) -> Result<DefragConfig, EngineError> {
    let d = &views.defrag;
    let mut dc = DefragConfig {
        memcap: d.memcap,
        hash_size: d.hash_size,
        trackers: d.trackers,
        max_frags: d.max_frags,
        prealloc: d.prealloc,
        timeout: d.timeout,
        default_policy: Policy::Bsd,
        ..DefragConfig::default()
    };
    for (os, addrs) in &views.host_os_policy.policies {
        for a in addrs {
            dc.add_host_os_policy(os, a)
                .map_err(|e| EngineError(format!("host-os-policy: {e}")))?;
        }
    }
    for h in &d.host_config {
        if let Some(t) = h.timeout {
            for a in &h.addresses {
                for part in a.split(',') {
                    let Some(c) = Cidr::parse(part.trim()) else {
                        fail!("defrag.host-config.{}: invalid address \"{part}\"", h.name);
                    };
                    dc.host_timeouts.push((c, t));
                }
            }
        }
    }
    Ok(dc)
}

impl Pipeline {
    fn new(
        opts: &EngineOptions,
        cfg: &Config,
        views: &views::Engine,
        log_dir: &Path,
    ) -> Result<Pipeline, EngineError> {
        let dc = decoder_config(opts, cfg, views)?;
        let auto_checksum = (dc.checksum == ChecksumMode::Auto).then_some(AutoChecksum {
            seen: 0,
            bad: 0,
            decided: false,
        });
        let mut eve = None;
        if let Some(e) = views.outputs.eve_logs.iter().find(|e| e.enabled) {
            if e.filetype != "regular" && e.filetype != "file" {
                crate::warning!(
                    "eve-log filetype {} is not supported; writing a regular file",
                    e.filetype
                );
            }
            let path = if Path::new(&e.filename).is_absolute() {
                PathBuf::from(&e.filename)
            } else {
                log_dir.join(&e.filename)
            };
            let writer = EveWriter::create(&path, e.append)
                .map_err(|err| EngineError(format!("cannot open {}: {err}", path.display())))?;
            let anomaly = e.anomaly.filter(|a| a.enabled && e.has_type("anomaly"));
            eve = Some(EveSink {
                writer,
                flow: e.has_type("flow"),
                netflow: e.has_type("netflow"),
                anomaly_decode: anomaly.is_some_and(|a| a.decode),
                anomaly_stream: anomaly.is_some_and(|a| a.stream),
                stats: e.has_type("stats") && views.stats.enabled,
                stats_totals: e.stats.map(|s| s.totals).unwrap_or(true),
            });
        }
        // fast.log is opened (created) at start as Suricata does, also without detection
        // (with detection, the alert writer opens it).
        for f in views
            .outputs
            .fast
            .iter()
            .filter(|f| f.enabled && opts.disable_detection)
        {
            let path = in_log_dir(log_dir, &f.filename);
            open_log(&path, f.append)
                .map_err(|e| EngineError(format!("cannot open {}: {e}", path.display())))?;
        }
        let stats_out = views
            .outputs
            .stats
            .iter()
            .find(|s| s.enabled && s.totals && views.stats.enabled);
        let stats_log = stats_out.map(|s| in_log_dir(log_dir, &s.filename));
        let stats_log_append = stats_out.is_some_and(|s| s.append);
        if let Some(p) = &stats_log {
            if !stats_log_append {
                // Truncated once at start; the block is appended at the end.
                open_log(p, false)
                    .map_err(|e| EngineError(format!("cannot open {}: {e}", p.display())))?;
            }
        }
        Ok(Pipeline {
            decoder: Decoder::new(dc),
            defrag: Defrag::new(defrag_config(views)?),
            flows: FlowTable::new(flow_config(cfg, views)),
            stream: StreamEngine::new(crate::stream::stream_config(
                cfg,
                views,
                opts.simulate_ips,
                !opts.disable_detection,
                opts.checksum,
            )?),
            sessions: Vec::new(),
            ended: Vec::with_capacity(16),
            detection: None,
            linktype: 1,
            raw_buf: Vec::new(),
            raw_log: Vec::new(),
            dstats: DecodeStats::default(),
            pseudo_stats: DecodeStats::default(),
            eve,
            j: JsonBuf::new(),
            pcap_cnt: 0,
            last_expire: 0,
            first_ts: None,
            last_ts: Timestamp::default(),
            io_error: None,
            cap: CaptureStats::default(),
            auto_checksum,
            stats_log,
            stats_log_append,
        })
    }

    fn run_file(&mut self, path: &Path, only: bool) -> Result<(), EngineError> {
        let bytes = match FileBytes::open(path) {
            Ok(b) => b,
            Err(e) => {
                let msg = format!("pcap file '{}': {e}", path.display());
                if only {
                    return Err(EngineError(msg));
                }
                crate::warning!("{msg}");
                return Ok(());
            }
        };
        let data = bytes.bytes();
        let mut reader = match CaptureReader::new(data) {
            Ok(r) => r,
            Err(e) => {
                let msg = format!("{}: {e}", path.display());
                if only {
                    return Err(EngineError(msg));
                }
                crate::warning!("{msg}");
                return Ok(());
            }
        };
        crate::info!("reading {}", path.display());
        self.cap.files += 1;
        let total = data.len() as u64;
        let mut progress = Progress::new(total);
        let mut n: u64 = 0;
        let mut released: u64 = 0;
        while let Some(raw) = reader.next_packet() {
            self.packet(&raw);
            n += 1;
            if n & 0xfff == 0 {
                let done = reader.bytes_read();
                progress.update(done, total, n);
                // Nothing keeps packet bytes past the packet (defrag copies what it
                // holds): pages well behind the reader can be dropped.
                if done > released + RELEASE_STEP {
                    released = done - RELEASE_STEP / 2;
                    bytes.release_before(released as usize);
                }
            }
        }
        progress.finish();
        self.cap.bytes += reader.bytes_read();
        if let Some(stop) = reader.stop_reason() {
            crate::warning!("{}: {stop}; {} packets read before it", path.display(), n);
        }
        Ok(())
    }

    fn packet(&mut self, raw: &RawPacket<'_>) {
        self.pcap_cnt += 1;
        self.cap.packets += 1;
        if self.first_ts.is_none() {
            self.first_ts = Some(raw.ts);
        }
        if raw.ts > self.last_ts {
            self.last_ts = raw.ts;
        }
        self.linktype = raw.linktype.0;
        let mut p = Packet::new(raw.data, raw.ts);
        self.decoder
            .decode(raw.linktype, raw.data, raw.ts, &mut p, &mut self.dstats);
        self.track_checksums(&p);
        self.handle(&p, PktSrc::Wire, 0);
        // Flows ended while handling the packet (timed out when found, port reuse,
        // evicted) are logged after the packet's own records; the table's periodic work
        // (spare pool, emergency mode) runs on packet time too.
        let now = self.last_ts;
        self.end_flows(now, false);
        if now.secs > self.last_expire {
            self.last_expire = now.secs;
            self.defrag.timeout(now);
        }
    }

    /// Handles one decoded packet (captured, tunnelled or reassembled): defrag, flow,
    /// anomalies, then the tunnel it carries.
    fn handle(&mut self, p: &Packet<'_>, src: PktSrc, depth: u8) {
        self.dstats.count_events(&p.events);
        if p.fragment.is_some() {
            let res = self.defrag.insert(p);
            // Defrag events belong to the fragment that raised them.
            let mut extra = Events::default();
            for ev in res.events.iter() {
                if let Some(de) = DecodeEvent::from_name(ev.name()) {
                    extra.push(de);
                }
            }
            self.dstats.count_events(&extra);
            let mut events = p.events;
            extra.iter().for_each(|e| events.push(e));
            // Detection sees the fragment with its defrag events (`decode-event:` rules).
            if extra.is_empty() {
                self.detect(p, None, false, &StreamEvents::default(), false, src);
            } else {
                let mut with_events = p.clone();
                with_events.events = events;
                self.detect(
                    &with_events,
                    None,
                    false,
                    &StreamEvents::default(),
                    false,
                    src,
                );
            }
            self.log_anomalies(p, &events, None, src);
            if let Some(re) = res.reassembled {
                // The rebuilt datagram keeps its fragments' VLAN ids and tunnel level, and
                // is counted with the link header of its first fragment, as in Suricata.
                let inner = Inner {
                    kind: re.kind,
                    level: p.tunnel_level,
                    vlan: Some((p.vlan, p.vlan_count)),
                    caplen: Some(re.data.len() as u32),
                    src: PktSrc::Defrag,
                };
                self.handle_inner(re.ip(), p.ts, inner, depth);
            }
            return;
        }
        let found = self.flows.lookup_or_create(p, p.ts);
        // Flows the lookup ended may have handed their slot to this packet's flow:
        // release their sessions first.
        {
            let Pipeline {
                flows,
                stream,
                sessions,
                ended,
                detection,
                eve,
                j,
                io_error,
                decoder,
                raw_buf,
                raw_log,
                pseudo_stats,
                linktype,
                last_ts,
                ..
            } = self;
            flows.take_ended(&mut |mut rec| {
                let mut cx = EndCtx {
                    decoder,
                    detection,
                    raw_buf,
                    raw_log,
                    pseudo_stats,
                    eve,
                    j,
                    io_error,
                    linktype: *linktype,
                    now: *last_ts,
                };
                end_session(stream, sessions, &mut cx, &mut rec);
                ended.push(rec);
            });
        }
        let mut stream_events = StreamEvents::default();
        let mut stream_add = false;
        let mut established = false;
        let mut found = found;
        let flow_id = match found {
            Some((h, dir)) => {
                // `flow:established` as Suricata sees it: the flow state before this
                // packet's stream processing.
                established = self
                    .flows
                    .get(h)
                    .is_some_and(|f| f.state == palisade_flow::FlowState::Established);
                if let Some(seg) = TcpSegment::from_packet(p) {
                    let reversed;
                    (stream_events, stream_add, reversed) = self.track_tcp(h, dir, &seg);
                    if reversed {
                        // A session picked up from a SYN/ACK: this packet goes to the
                        // client (Suricata reverses the flow before detection).
                        let other = match dir {
                            Direction::ToServer => Direction::ToClient,
                            Direction::ToClient => Direction::ToServer,
                        };
                        found = Some((h, other));
                    }
                }
                self.flows.get(h).map(|f| f.id)
            }
            None => None,
        };
        self.detect(p, found, established, &stream_events, stream_add, src);
        self.log_anomalies(p, &p.events, flow_id, src);
        self.log_stream_anomalies(p, &stream_events, flow_id, src);
        if let Some(t) = p.tunnel {
            if let Some(bytes) = p.data.get(t.offset as usize..) {
                // A tunnel's inner packet starts without the outer VLAN ids, as
                // Suricata's tunnel pseudo-packets do.
                let inner = Inner {
                    kind: t.kind,
                    level: p.tunnel_level.saturating_add(1),
                    vlan: None,
                    caplen: None,
                    src: tunnel_src(t.encap, t.kind),
                };
                self.handle_inner(bytes, p.ts, inner, depth);
            }
        }
    }

    /// Decodes a packet carried by another (a tunnel's payload or a rebuilt datagram)
    /// and handles it, up to [`MAX_PACKET_DEPTH`] levels below the captured frame.
    fn handle_inner(&mut self, bytes: &[u8], ts: Timestamp, i: Inner, depth: u8) {
        if depth >= MAX_PACKET_DEPTH {
            return;
        }
        let mut inner = Packet::new(&[], ts);
        if let Some((vlan, n)) = i.vlan {
            inner.vlan = vlan;
            inner.vlan_count = n;
        }
        self.decoder
            .decode_inner(i.kind, bytes, ts, i.level, &mut inner, &mut self.dstats);
        if let Some(c) = i.caplen {
            inner.caplen = c;
        }
        self.handle(&inner, i.src, depth + 1);
    }

    /// Runs one TCP packet of a flow through the stream engine and keeps the flow's
    /// session summary (state, flags, ISNs) current.
    fn track_tcp(
        &mut self,
        h: FlowHandle,
        dir: Direction,
        seg: &TcpSegment<'_>,
    ) -> (StreamEvents, bool, bool) {
        let slot = h.slot() as usize;
        if self.sessions.len() <= slot {
            self.sessions.resize_with(slot + 1, || None);
        }
        let v = self.stream.handle(
            &mut self.sessions[slot],
            seg,
            dir == Direction::ToServer,
            &mut NullSink,
        );
        if v.reversed {
            self.flows.swap(h);
        }
        if let Some(s) = self.sessions[slot].as_deref() {
            let (client_isn, server_isn) = s.isns();
            self.flows.set_tcp(
                h,
                palisade_flow::TcpSession {
                    state: flow_tcp_state(s.state()),
                    flags: s.tcp_flags(),
                    flags_ts: s.tcp_flags_ts(),
                    flags_tc: s.tcp_flags_tc(),
                    client_isn,
                    server_isn,
                    midstream: s.midstream(),
                    client_next: 0,
                    server_next: 0,
                },
            );
        }
        (v.events, v.stream_add, v.reversed)
    }

    /// Runs detection on one packet and writes its alerts.
    fn detect(
        &mut self,
        p: &Packet<'_>,
        flow: Option<(FlowHandle, Direction)>,
        established: bool,
        stream_events: &StreamEvents,
        stream_add: bool,
        src: PktSrc,
    ) {
        let Some(det) = self.detection.as_mut() else {
            return;
        };
        let mut pv = PacketView::new(p);
        pv.stream_events = det.stream_event_bits(stream_events);
        pv.rebuilt_fragment = matches!(src, PktSrc::Defrag);
        pv.stream_add = stream_add;
        let mut flow_id = None;
        let mut live = None;
        if let Some((h, dir)) = flow {
            if let Some(f) = self.flows.get(h) {
                pv.has_flow = true;
                pv.dir = Some(match dir {
                    Direction::ToServer => FlowDir::ToServer,
                    Direction::ToClient => FlowDir::ToClient,
                });
                pv.established = established;
                flow_id = Some(f.id);
                live = Some((h, dir));
            }
        }
        // Raw stream: once a chunk of the packet's direction is ready (acknowledged, at
        // least the chunk size, or the end of the stream), it is inspected with the
        // packet, then marked inspected.
        let mut raw_done = None;
        if let (Some((h, dir)), palisade_decode::L4::Tcp(_)) = (live, p.l4) {
            let slot = h.slot() as usize;
            if let Some(Some(ssn)) = self.sessions.get(slot) {
                let sd = match dir {
                    Direction::ToServer => StreamDir::ToServer,
                    Direction::ToClient => StreamDir::ToClient,
                };
                if self.stream.raw_ready(ssn, sd) {
                    let inline = self.stream.config().is_inline();
                    let end = read_raw(ssn, sd, inline, &mut self.raw_buf, &mut self.raw_log);
                    raw_done = Some((slot, sd, end));
                }
            }
        }
        // Detection then follows Suricata's stream-versus-packet rule: a packet whose
        // payload went into the stream (`stream_add`) is not inspected again by stream
        // rules; its bytes reach them through the stream.
        if raw_done.is_some() {
            pv.stream = Some(&self.raw_buf);
        }
        let mut alerts = std::mem::take(&mut det.alerts);
        alerts.clear();
        match live {
            Some((h, _)) => {
                let slot = h.slot();
                let st = det.flow_state(slot);
                // The state is moved out for the call so that the detector can be
                // borrowed alongside it.
                let mut st = std::mem::take(st);
                det.detector.inspect_packet(&pv, Some(&mut st), &mut alerts);
                *det.flow_state(slot) = st;
            }
            None => det.detector.inspect_packet(&pv, None, &mut alerts),
        }
        if !alerts.is_empty() {
            let h = PacketHeader::from_packet(p, flow_id, self.pcap_cnt, src);
            let snapshot = live.and_then(|(fh, dir)| {
                let f = self.flows.get(fh)?;
                Some(FlowSnapshot::from_flow(f, dir == Direction::ToServer))
            });
            let mut ap = AlertPacket {
                payload: p.payload(),
                stream: None,
                data: p.data,
                linktype: if matches!(src, PktSrc::Wire) {
                    self.linktype
                } else {
                    12
                },
                tunnel: None,
                verdict: PacketVerdict::default(),
            };
            write_alerts(
                det,
                &mut self.eve,
                &mut self.j,
                &mut self.io_error,
                &alerts,
                &h,
                snapshot.as_ref(),
                &mut ap,
                &self.raw_log,
            );
            if let Some((fh, _)) = live {
                if let Some(f) = self.flows.get_mut(fh) {
                    f.alerted = true;
                }
            }
        }
        det.alerts = alerts;
        if let Some((slot, sd, end)) = raw_done {
            if let Some(Some(ssn)) = self.sessions.get_mut(slot) {
                self.stream.raw_consume(ssn, sd, end);
            }
        }
    }

    fn log_stream_anomalies(
        &mut self,
        p: &Packet<'_>,
        events: &StreamEvents,
        flow_id: Option<u64>,
        src: PktSrc,
    ) {
        if self.eve.as_ref().is_some_and(|e| e.anomaly_stream) && !events.is_empty() {
            let names = events.iter().map(|e| e.name());
            self.write_anomalies(p, AnomalyKind::Stream, names, flow_id, src);
        }
    }

    fn log_anomalies(
        &mut self,
        p: &Packet<'_>,
        events: &Events,
        flow_id: Option<u64>,
        src: PktSrc,
    ) {
        if self.eve.as_ref().is_some_and(|e| e.anomaly_decode) && !events.is_empty() {
            let names = events.iter().map(|e| e.name());
            self.write_anomalies(p, AnomalyKind::Decode, names, flow_id, src);
        }
    }

    /// One EVE `anomaly` record per event of a packet.
    fn write_anomalies<'n>(
        &mut self,
        p: &Packet<'_>,
        kind: AnomalyKind,
        names: impl Iterator<Item = &'n str>,
        flow_id: Option<u64>,
        src: PktSrc,
    ) {
        let Some(eve) = self.eve.as_mut() else { return };
        let h = PacketHeader::from_packet(p, flow_id, self.pcap_cnt, src);
        for name in names {
            write_anomaly(&mut self.j, &h, kind, name);
            if let Err(e) = eve.writer.write(&mut self.j) {
                self.io_error.get_or_insert(e.to_string());
            }
        }
    }

    fn track_checksums(&mut self, p: &Packet<'_>) {
        let Some(a) = self.auto_checksum.as_mut() else {
            return;
        };
        if a.decided {
            return;
        }
        a.seen += 1;
        // Suricata counts the packets its stream engine rejected for a bad checksum:
        // none while stream checksum validation is off.
        if self.stream.config().checksum_validation
            && matches!(p.l4, palisade_decode::L4::Tcp(_))
            && p.l4_csum_ok == Some(false)
        {
            a.bad += 1;
        }
        if a.seen >= AUTO_CHECKSUM_SAMPLE {
            a.decided = true;
            if a.bad * 100 > a.seen * AUTO_CHECKSUM_BAD_PERCENT {
                crate::info!(
                    "{} of the first {} packets had an invalid checksum: checksum validation disabled",
                    a.bad,
                    a.seen
                );
                let mut dc = *self.decoder.config();
                dc.checksum = ChecksumMode::None;
                self.decoder = Decoder::new(dc);
            }
        }
    }

    /// Logs the flows ended during the packet's lookups, then ends flows on packet time
    /// (`shutdown`: all of them, at the end of input), finishing their sessions first.
    fn end_flows(&mut self, now: Timestamp, shutdown: bool) {
        let Pipeline {
            flows,
            stream,
            sessions,
            ended,
            detection,
            eve,
            j,
            io_error,
            decoder,
            raw_buf,
            raw_log,
            pseudo_stats,
            linktype,
            ..
        } = self;
        for rec in ended.drain(..) {
            log_flow(eve, j, io_error, &rec, now);
        }
        let mut end = |mut rec: FlowRecord| {
            let mut cx = EndCtx {
                decoder,
                detection,
                raw_buf,
                raw_log,
                pseudo_stats,
                eve,
                j,
                io_error,
                linktype: *linktype,
                now,
            };
            end_session(stream, sessions, &mut cx, &mut rec);
            log_flow(eve, j, io_error, &rec, now)
        };
        if shutdown {
            flows.flush_all(&mut end);
        } else {
            flows.expire(now, &mut end);
        }
    }

    fn finish(&mut self) -> Result<(), EngineError> {
        let now = self.last_ts;
        self.end_flows(now, true);
        let uptime = match self.first_ts {
            Some(f) => now.secs.saturating_sub(f.secs),
            None => 0,
        };
        let mut counters: Vec<(&'static str, u64)> = Vec::with_capacity(512);
        // Suricata's order: decoder, tcp, flow, defrag.
        self.dstats.for_each(|k, v| counters.push((k, v)));
        self.dstats.for_each_tcp(|k, v| counters.push((k, v)));
        counters.extend(self.stream.counters());
        self.flows.for_each(|k, v| counters.push((k, v)));
        self.defrag.for_each(|k, v| counters.push((k, v)));
        if let Some(d) = &self.detection {
            d.detector.counters.for_each(|k, v| counters.push((k, v)));
        }
        if let Some(eve) = self.eve.as_mut() {
            if eve.stats && eve.stats_totals {
                write_stats(
                    &mut self.j,
                    now,
                    uptime,
                    counters.iter().map(|(k, v)| (*k, StatValue::from(*v))),
                );
                if let Err(e) = eve.writer.write(&mut self.j) {
                    self.io_error.get_or_insert(e.to_string());
                }
            }
            if let Err(e) = eve.writer.flush() {
                self.io_error.get_or_insert(e.to_string());
            }
        }
        if let Some(path) = &self.stats_log {
            let res = open_log(path, self.stats_log_append).and_then(|f| {
                let mut w = std::io::BufWriter::new(f);
                statslog::write_block(&mut w, now, uptime, counters.iter().copied())?;
                std::io::Write::flush(&mut w)
            });
            if let Err(e) = res {
                self.io_error
                    .get_or_insert(format!("{}: {e}", path.display()));
            }
        }
        Ok(())
    }
}

pub(crate) fn in_log_dir(log_dir: &Path, name: &str) -> PathBuf {
    if Path::new(name).is_absolute() {
        PathBuf::from(name)
    } else {
        log_dir.join(name)
    }
}

fn open_log(path: &Path, append: bool) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(append)
        .truncate(!append)
        .open(path)
}

/// Writes the alerts of one packet (EVE `alert` records, fast.log lines). `stream` is
/// the stream data inspected with the packet, logged for alerts that matched on it.
#[allow(clippy::too_many_arguments)]
fn write_alerts<'a>(
    det: &mut Detection,
    eve: &mut Option<EveSink>,
    j: &mut JsonBuf,
    io_error: &mut Option<String>,
    alerts: &[palisade_detect::Alert],
    h: &PacketHeader,
    snapshot: Option<&FlowSnapshot>,
    ap: &mut AlertPacket<'a>,
    stream: &'a [u8],
) {
    let mut fast = std::mem::take(&mut det.fast);
    for a in alerts {
        let info = det.info(a);
        // Alerts that matched on the stream log the stream data (EVE `stream: 1`).
        let on_stream = a.flags & (alert_flags::STREAM_MATCH | alert_flags::STATE_MATCH);
        ap.stream = (on_stream != 0).then_some(stream);
        if let Some(eve) = eve.as_mut() {
            if det.eve_alert {
                write_alert(j, h, &info, &det.alert_opts, snapshot, ap);
                if let Err(e) = eve.writer.write(j) {
                    io_error.get_or_insert(e.to_string());
                }
            }
        }
        for fl in &mut fast {
            if let Err(e) = fl.write_alert(h, &info, ap.data) {
                io_error.get_or_insert(e.to_string());
            }
        }
    }
    det.fast = fast;
}

/// What ending a flow needs besides the stream engine: detection and its outputs, for
/// the flow-end pseudo packets.
struct EndCtx<'p> {
    decoder: &'p Decoder,
    detection: &'p mut Option<Detection>,
    raw_buf: &'p mut Vec<u8>,
    raw_log: &'p mut Vec<u8>,
    pseudo_stats: &'p mut DecodeStats,
    eve: &'p mut Option<EveSink>,
    j: &'p mut JsonBuf,
    io_error: &'p mut Option<String>,
    linktype: u32,
    /// Time of the pseudo packets when the flow did not end on a packet.
    now: Timestamp,
}

/// Ends the TCP session of an ended flow and frees it. With detection, the directions
/// that still hold data get Suricata's flow-end pseudo packet (`pkt_src` "stream (flow
/// timeout)"): an empty ACK of the flow's tuple in that direction, inspected with the
/// rest of the direction's stream (acknowledged or not).
fn end_session(
    stream: &mut StreamEngine,
    sessions: &mut [Option<Box<TcpSession>>],
    cx: &mut EndCtx<'_>,
    rec: &mut FlowRecord,
) {
    if let Some(slot) = sessions.get_mut(rec.slot as usize) {
        if let (Some(ssn), true) = (slot.as_deref_mut(), cx.detection.is_some()) {
            let pseudo = stream.flow_end_prepare(ssn, true, &mut NullSink);
            for (to_server, sd) in [(true, StreamDir::ToServer), (false, StreamDir::ToClient)] {
                if pseudo[usize::from(!to_server)] {
                    pseudo_detect(stream, ssn, cx, rec, to_server, sd);
                }
            }
        }
        stream.flow_end(slot, &mut NullSink);
    }
    if let Some(d) = cx.detection.as_mut() {
        d.flow_end(rec.slot);
    }
}

/// Runs detection on the flow-end pseudo packet of one direction and writes its alerts.
fn pseudo_detect(
    stream: &mut StreamEngine,
    ssn: &mut TcpSession,
    cx: &mut EndCtx<'_>,
    rec: &mut FlowRecord,
    to_server: bool,
    sd: StreamDir,
) {
    let Some(det) = cx.detection.as_mut() else {
        return;
    };
    let f = &rec.flow;
    let mut bytes = [0u8; PSEUDO_MAX];
    // The flow's `src` is its first packet's source: the server when the session was
    // picked up reversed.
    let tuple = if to_server != f.reversed {
        (f.src, f.dst, f.sp, f.dp)
    } else {
        (f.dst, f.src, f.dp, f.sp)
    };
    let Some((len, kind)) = pseudo_packet(tuple, &mut bytes) else {
        return;
    };
    let ts = rec.ended_at.unwrap_or(cx.now);
    let data = &bytes[..len];
    let mut p = Packet::new(&[], ts);
    p.vlan = f.vlan;
    p.vlan_count = f.vlan_count;
    cx.decoder
        .decode_inner(kind, data, ts, 0, &mut p, cx.pseudo_stats);
    let mut pv = PacketView::new(&p);
    pv.has_flow = true;
    pv.established = true;
    pv.pseudo = true;
    pv.dir = Some(if to_server {
        FlowDir::ToServer
    } else {
        FlowDir::ToClient
    });
    let mut end = None;
    cx.raw_buf.clear();
    cx.raw_log.clear();
    if stream.raw_ready(ssn, sd) {
        let inline = stream.config().is_inline();
        end = Some(read_raw(ssn, sd, inline, cx.raw_buf, cx.raw_log));
        pv.stream = Some(cx.raw_buf.as_slice());
    }
    let mut alerts = std::mem::take(&mut det.alerts);
    alerts.clear();
    let mut st = std::mem::take(det.flow_state(rec.slot));
    det.detector.inspect_packet(&pv, Some(&mut st), &mut alerts);
    *det.flow_state(rec.slot) = st;
    if !alerts.is_empty() {
        let h = PacketHeader::from_packet(&p, Some(f.id), 0, PktSrc::FlowTimeout);
        let snapshot = FlowSnapshot::from_flow(f, to_server);
        let mut ap = AlertPacket {
            payload: &[],
            stream: None,
            data,
            linktype: cx.linktype,
            tunnel: None,
            verdict: PacketVerdict::default(),
        };
        write_alerts(
            det,
            cx.eve,
            cx.j,
            cx.io_error,
            &alerts,
            &h,
            Some(&snapshot),
            &mut ap,
            cx.raw_log,
        );
        rec.flow.alerted = true;
    }
    det.alerts = alerts;
    if let Some(e) = end {
        stream.raw_consume(ssn, sd, e);
    }
}

/// Reads the raw stream window of `sd` into `buf` (the bytes inspected: the stored
/// blocks one after the other) and `log` (the bytes as alerts log them, each hole
/// written `[N bytes missing]` as Suricata does). Returns the window's end offset.
fn read_raw(
    ssn: &TcpSession,
    sd: StreamDir,
    inline: bool,
    buf: &mut Vec<u8>,
    log: &mut Vec<u8>,
) -> u64 {
    use std::io::Write;
    buf.clear();
    log.clear();
    let (mut next, _) = ssn.raw_window(sd, inline);
    ssn.raw_read(sd, inline, &mut |off, b| {
        if off > next {
            let _ = write!(log, "[{} bytes missing]", off - next);
        }
        buf.extend_from_slice(b);
        log.extend_from_slice(b);
        next = off + b.len() as u64;
    });
    next
}

/// Bytes of the largest pseudo packet (IPv6 + TCP headers).
const PSEUDO_MAX: usize = 60;

/// Builds a flow-end pseudo packet as Suricata does: IPv4 or IPv6 header (TTL / hop
/// limit 64) and a 20-byte TCP header (ACK, window 10; sequence numbers left 0), no
/// payload, checksums set, in the
/// given direction (source, destination, ports). Returns its length and how to decode it
/// (`None` for mixed address families).
fn pseudo_packet(
    (src, dst, sp, dp): (std::net::IpAddr, std::net::IpAddr, u16, u16),
    out: &mut [u8; PSEUDO_MAX],
) -> Option<(usize, InnerKind)> {
    use std::net::IpAddr;
    let mut sum: u32 = 0;
    let (ip_len, kind) = match (src, dst) {
        (IpAddr::V4(s), IpAddr::V4(d)) => {
            let h = &mut out[..20];
            h[0] = 0x45; // version 4, header 20 bytes
            h[2..4].copy_from_slice(&40u16.to_be_bytes()); // total length
            h[8] = 64; // TTL
            h[9] = 6; // TCP
            h[12..16].copy_from_slice(&s.octets());
            h[16..20].copy_from_slice(&d.octets());
            let c = fold(add_words(0, h));
            h[10..12].copy_from_slice(&(!c).to_be_bytes());
            sum = add_words(sum, &s.octets());
            sum = add_words(sum, &d.octets());
            (20, InnerKind::Ipv4)
        }
        (IpAddr::V6(s), IpAddr::V6(d)) => {
            let h = &mut out[..40];
            h[0] = 0x60; // version 6
            h[4..6].copy_from_slice(&20u16.to_be_bytes()); // payload length
            h[6] = 6; // next header TCP
            h[7] = 64; // hop limit
            h[8..24].copy_from_slice(&s.octets());
            h[24..40].copy_from_slice(&d.octets());
            sum = add_words(sum, &s.octets());
            sum = add_words(sum, &d.octets());
            (40, InnerKind::Ipv6)
        }
        _ => return None,
    };
    let t = &mut out[ip_len..ip_len + 20];
    t[0..2].copy_from_slice(&sp.to_be_bytes());
    t[2..4].copy_from_slice(&dp.to_be_bytes());
    t[12] = 0x50; // data offset 5 words
    t[13] = 0x10; // ACK
    t[14..16].copy_from_slice(&10u16.to_be_bytes()); // window

    // Pseudo header: addresses (added above), protocol, TCP length.
    sum += 6 + 20;
    let c = fold(add_words(sum, t));
    t[16..18].copy_from_slice(&(!c).to_be_bytes());
    Some((ip_len + 20, kind))
}

/// Adds the big-endian 16-bit words of `b` (even length) to a one's complement sum.
fn add_words(mut sum: u32, b: &[u8]) -> u32 {
    for w in b.chunks_exact(2) {
        sum += u32::from(u16::from_be_bytes([w[0], w[1]]));
    }
    sum
}

fn fold(mut sum: u32) -> u16 {
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum as u16
}

/// The flow table's copy of a stream state.
fn flow_tcp_state(s: StreamState) -> palisade_flow::TcpState {
    use palisade_flow::TcpState as F;
    match s {
        StreamState::None => F::None,
        StreamState::SynSent => F::SynSent,
        StreamState::SynRecv => F::SynRecv,
        StreamState::Established => F::Established,
        StreamState::FinWait1 => F::FinWait1,
        StreamState::FinWait2 => F::FinWait2,
        StreamState::TimeWait => F::TimeWait,
        StreamState::LastAck => F::LastAck,
        StreamState::CloseWait => F::CloseWait,
        StreamState::Closing => F::Closing,
        StreamState::Closed => F::Closed,
    }
}

fn log_flow(
    eve: &mut Option<EveSink>,
    j: &mut JsonBuf,
    io_error: &mut Option<String>,
    rec: &FlowRecord,
    now: Timestamp,
) {
    let Some(eve) = eve.as_mut() else { return };
    // The record's timestamp is the time of the packet that ended the flow, else now.
    let now = rec.ended_at.unwrap_or(now);
    let mut res = Ok(());
    // Suricata's order: flow, then netflow to server, then netflow to client.
    if eve.flow {
        write_flow(j, rec, now);
        res = res.and(eve.writer.write(j));
    }
    if eve.netflow {
        for to_client in [false, true] {
            if write_netflow(j, rec, now, to_client) {
                res = res.and(eve.writer.write(j));
            }
        }
    }
    if let Err(e) = res {
        io_error.get_or_insert(e.to_string());
    }
}

fn tunnel_src(encap: &str, kind: InnerKind) -> PktSrc {
    match encap {
        "gre" | "erspan" => PktSrc::DecoderGre,
        "vxlan" => PktSrc::DecoderVxlan,
        "geneve" => PktSrc::DecoderGeneve,
        "teredo" => PktSrc::DecoderTeredo,
        _ => match kind {
            InnerKind::Ipv6 => PktSrc::DecoderIpv6,
            _ => PktSrc::DecoderIpv4,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::IpAddr;

    /// The flow-end pseudo packets decode as TCP ACKs of the tuple with valid checksums.
    #[test]
    fn pseudo_packets_decode_with_valid_checksums() {
        let cases: [(&str, &str); 2] = [("10.0.0.1", "10.0.0.2"), ("2001:db8::1", "2001:db8::2")];
        let dec = Decoder::new(DecoderConfig {
            checksum: ChecksumMode::All,
            ..DecoderConfig::default()
        });
        for (src, dst) in cases {
            let (s, d): (IpAddr, IpAddr) = (src.parse().unwrap(), dst.parse().unwrap());
            let mut buf = [0u8; PSEUDO_MAX];
            let (len, kind) = pseudo_packet((s, d, 1234, 80), &mut buf).unwrap();
            let mut p = Packet::new(&[], Timestamp::default());
            let mut st = DecodeStats::default();
            dec.decode_inner(kind, &buf[..len], Timestamp::default(), 0, &mut p, &mut st);
            let ip = p.ip.expect("ip header");
            assert_eq!((ip.src, ip.dst, p.sp, p.dp), (s, d, 1234, 80));
            assert!(matches!(p.l4, palisade_decode::L4::Tcp(t) if t.flags == 0x10));
            assert_eq!(p.payload_len, 0);
            assert_ne!(p.ip_csum_ok, Some(false), "{src}");
            assert_eq!(p.l4_csum_ok, Some(true), "{src}");
        }
        let v4: IpAddr = "10.0.0.1".parse().unwrap();
        let v6: IpAddr = "2001:db8::1".parse().unwrap();
        assert!(pseudo_packet((v4, v6, 1, 2), &mut [0u8; PSEUDO_MAX]).is_none());
    }
}
