//! Inspection buffers by name. The packet buffers are registered by the engine itself;
//! the app-layer registers the buffers it can fill (`http.uri`, `dns.query`, ...) and
//! hands their bytes to [`crate::Detector::inspect_app_buffers`] by [`BufferId`].

use std::collections::HashMap;

/// Identifier of an inspection buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BufferId(pub u16);

impl BufferId {
    /// The packet (or stream) payload.
    pub const PAYLOAD: BufferId = BufferId(0);
}

/// Packet-level sticky buffers the detector fills itself, after `payload`.
pub const PACKET_BUFFERS: &[&str] = &[
    "payload",
    "ipv4.hdr",
    "ipv6.hdr",
    "tcp.hdr",
    "udp.hdr",
    "icmpv4.hdr",
    "icmpv6.hdr",
    "ip.src",
    "ip.dst",
];

/// Buffer names and ids.
#[derive(Clone, Debug)]
pub struct BufferRegistry {
    names: Vec<String>,
    ids: HashMap<String, BufferId>,
    /// Whether some producer (the app-layer) declared it fills the buffer.
    provided: Vec<bool>,
}

impl Default for BufferRegistry {
    fn default() -> Self {
        let mut r = BufferRegistry {
            names: Vec::new(),
            ids: HashMap::new(),
            provided: Vec::new(),
        };
        for n in PACKET_BUFFERS {
            let id = r.id(n);
            r.provided[id.0 as usize] = true;
        }
        r
    }
}

impl BufferRegistry {
    /// The id of `name`, registering it when new.
    pub fn id(&mut self, name: &str) -> BufferId {
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        let id = BufferId(self.names.len() as u16);
        self.names.push(name.to_string());
        self.provided.push(false);
        self.ids.insert(name.to_string(), id);
        id
    }

    /// The id of `name` if registered.
    pub fn get(&self, name: &str) -> Option<BufferId> {
        self.ids.get(name).copied()
    }

    pub fn name(&self, id: BufferId) -> Option<&str> {
        self.names.get(id.0 as usize).map(String::as_str)
    }

    /// Declares that a producer fills buffer `name` (returns its id).
    pub fn provide(&mut self, name: &str) -> BufferId {
        let id = self.id(name);
        self.provided[id.0 as usize] = true;
        id
    }

    pub fn is_provided(&self, id: BufferId) -> bool {
        self.provided.get(id.0 as usize).copied().unwrap_or(false)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}
