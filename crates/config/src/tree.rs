//! The configuration tree: ordered named nodes holding optional scalar
//! values, addressed by dotted paths (`outputs.1.eve-log.enabled`).
//!
//! The model follows Suricata's configuration store: every node has a name
//! and an optional value; a YAML mapping becomes children named by key, a
//! YAML sequence becomes children named `0`, `1`, ... and a sequence item
//! that is a mapping takes its first key as its value (so `outputs.0 = fast`
//! and `outputs.0.fast.enabled = yes`). Nodes set from the command line are
//! "final": a configuration file loaded later does not change them.

use std::collections::HashMap;

use crate::error::ConfigError;
use crate::units;

/// Id of the root node in the arena.
pub(crate) const ROOT: usize = 0;

/// Longest dotted name accepted for look-ups and `--set` (Suricata's limit).
pub const MAX_NAME_LEN: usize = 1024;

/// Default bound on the number of nodes a configuration may create.
pub const DEFAULT_MAX_NODES: usize = 1_000_000;

/// Deepest tree accepted (levels below the root). Nesting in one file is
/// limited to 128 like Suricata, but dotted keys and includes can stack
/// deeper; this bounds the tree itself so that every walk stays shallow.
pub const MAX_TREE_DEPTH: usize = 1024;

/// Children of one node, in insertion order, with an index by name.
///
/// Removed children leave a hole (`None`) that is compacted away once holes
/// outnumber live entries, so append, remove and lookup are all cheap even
/// for hostile inputs with very many children.
#[derive(Clone, Debug, Default)]
pub(crate) struct Kids {
    slots: Vec<Option<usize>>,
    live: usize,
    /// name -> slots holding a child with that name, ascending.
    by_name: HashMap<String, Vec<usize>>,
}

impl Kids {
    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.slots.iter().filter_map(|s| *s)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.live == 0
    }

    pub(crate) fn len(&self) -> usize {
        self.live
    }

    fn first_named(&self, name: &str) -> Option<usize> {
        let slots = self.by_name.get(name)?;
        slots
            .first()
            .and_then(|&s| self.slots.get(s).copied().flatten())
    }

    fn push(&mut self, name: &str, id: usize) {
        let slot = self.slots.len();
        self.slots.push(Some(id));
        self.live += 1;
        self.by_name.entry(name.to_string()).or_default().push(slot);
    }

    fn remove(&mut self, name: &str, id: usize) {
        let mut emptied = false;
        if let Some(list) = self.by_name.get_mut(name) {
            if let Some(pos) = list
                .iter()
                .position(|&s| self.slots.get(s).copied().flatten() == Some(id))
            {
                let slot = list.remove(pos);
                if let Some(entry) = self.slots.get_mut(slot) {
                    *entry = None;
                    self.live -= 1;
                }
            }
            emptied = list.is_empty();
        }
        if emptied {
            self.by_name.remove(name);
        }
        let holes = self.slots.len() - self.live;
        if holes > 64 && holes > self.live {
            self.compact();
        }
    }

    fn compact(&mut self) {
        let mut remap = vec![usize::MAX; self.slots.len()];
        let mut slots = Vec::with_capacity(self.live);
        for (old, s) in self.slots.iter().enumerate() {
            if let Some(id) = s {
                remap[old] = slots.len();
                slots.push(Some(*id));
            }
        }
        for list in self.by_name.values_mut() {
            for s in list.iter_mut() {
                *s = remap[*s];
            }
        }
        self.slots = slots;
    }

    fn clear(&mut self) {
        self.slots.clear();
        self.live = 0;
        self.by_name.clear();
    }
}

#[derive(Clone, Debug)]
pub(crate) struct NodeData {
    pub(crate) name: String,
    pub(crate) val: Option<String>,
    pub(crate) is_seq: bool,
    pub(crate) fin: bool,
    pub(crate) parent: usize,
    pub(crate) depth: usize,
    pub(crate) kids: Kids,
}

/// A Suricata-compatible configuration tree.
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) nodes: Vec<NodeData>,
    pub(crate) warnings: Vec<String>,
    pub(crate) mangle_warnings: usize,
    pub(crate) max_nodes: usize,
    /// Folder of the first file loaded: relative includes resolve against it
    /// (Suricata's `conf_dirname`).
    pub(crate) main_dir: Option<std::path::PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}

/// A borrowed view of one node of a [`Config`].
#[derive(Clone, Copy)]
pub struct NodeRef<'a> {
    cfg: &'a Config,
    id: usize,
}

impl std::fmt::Debug for NodeRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NodeRef")
            .field("name", &self.name())
            .field("value", &self.value())
            .field("children", &self.len())
            .finish()
    }
}

impl<'a> NodeRef<'a> {
    /// The node's own name (last path component; `""` for the root).
    pub fn name(&self) -> &'a str {
        &self.cfg.nodes[self.id].name
    }

    /// The node's scalar value, `None` for a mapping, a list, or a null.
    pub fn value(&self) -> Option<&'a str> {
        self.cfg.nodes[self.id].val.as_deref()
    }

    /// True when the node was built from a YAML sequence, or is an item of
    /// a sequence that was a mapping (Suricata's `is_seq`).
    pub fn is_seq(&self) -> bool {
        self.cfg.nodes[self.id].is_seq
    }

    /// True when set from the command line (not overridable by files).
    pub fn is_final(&self) -> bool {
        self.cfg.nodes[self.id].fin
    }

    /// Number of children.
    pub fn len(&self) -> usize {
        self.cfg.nodes[self.id].kids.len()
    }

    /// True when the node has no children.
    pub fn is_empty(&self) -> bool {
        self.cfg.nodes[self.id].kids.is_empty()
    }

    /// Children in order.
    pub fn children(&self) -> impl Iterator<Item = NodeRef<'a>> + 'a {
        let cfg = self.cfg;
        cfg.nodes[self.id]
            .kids
            .iter()
            .map(move |id| NodeRef { cfg, id })
    }

    /// The first direct child with this exact name.
    pub fn child(&self, name: &str) -> Option<NodeRef<'a>> {
        self.cfg
            .lookup_child(self.id, name)
            .map(|id| NodeRef { cfg: self.cfg, id })
    }

    /// A descendant by dotted path relative to this node.
    pub fn node(&self, path: &str) -> Option<NodeRef<'a>> {
        self.cfg
            .lookup_from(self.id, path)
            .map(|id| NodeRef { cfg: self.cfg, id })
    }

    /// Value of a descendant by dotted path.
    pub fn get(&self, path: &str) -> Option<&'a str> {
        self.node(path).and_then(|n| n.value())
    }

    /// Boolean value of a descendant (Suricata truthiness), `None` if absent.
    pub fn get_bool(&self, path: &str) -> Option<bool> {
        self.get(path).map(units::is_true)
    }

    /// Value of `key` under this node, else under `default` (Suricata's
    /// `ConfGetChildValueWithDefault`, used for per-interface settings
    /// falling back to the `interface: default` entry).
    pub fn get_or_default(&self, default: Option<NodeRef<'a>>, key: &str) -> Option<&'a str> {
        match self.child(key) {
            Some(n) => n.value(),
            None => default.and_then(|d| d.child(key)).and_then(|n| n.value()),
        }
    }

    /// The full dotted path of this node from the root.
    pub fn path(&self) -> String {
        let mut parts = Vec::new();
        let mut id = self.id;
        while id != ROOT {
            parts.push(self.cfg.nodes[id].name.as_str());
            id = self.cfg.nodes[id].parent;
        }
        parts.reverse();
        parts.join(".")
    }
}

impl Config {
    /// An empty configuration.
    pub fn new() -> Config {
        Config {
            nodes: vec![NodeData {
                name: String::new(),
                val: None,
                is_seq: false,
                fin: false,
                parent: ROOT,
                depth: 0,
                kids: Kids::default(),
            }],
            warnings: Vec::new(),
            mangle_warnings: 0,
            max_nodes: DEFAULT_MAX_NODES,
            main_dir: None,
        }
    }

    /// Warnings collected while loading (deprecated `_` in key names,
    /// repeated `include` keys), in order, for the caller to log.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    pub(crate) fn warn(&mut self, msg: String) {
        if self.warnings.len() < 100 {
            self.warnings.push(msg);
        }
    }

    /// The root node.
    pub fn root(&self) -> NodeRef<'_> {
        NodeRef {
            cfg: self,
            id: ROOT,
        }
    }

    // ---- internal tree operations -------------------------------------

    pub(crate) fn lookup_child(&self, parent: usize, name: &str) -> Option<usize> {
        self.nodes.get(parent)?.kids.first_named(name)
    }

    pub(crate) fn lookup_from(&self, start: usize, path: &str) -> Option<usize> {
        if path.len() >= MAX_NAME_LEN {
            return None;
        }
        let mut id = start;
        for part in path.split('.') {
            id = self.lookup_child(id, part)?;
        }
        Some(id)
    }

    pub(crate) fn new_node(
        &mut self,
        parent: usize,
        name: String,
        val: Option<String>,
        fin: bool,
    ) -> Result<usize, ConfigError> {
        if self.nodes.len() >= self.max_nodes {
            return Err(ConfigError::Structure {
                path: String::new(),
                line: 0,
                column: 0,
                message: format!("too many configuration nodes (limit {})", self.max_nodes),
            });
        }
        let depth = self.nodes[parent].depth + 1;
        if depth > MAX_TREE_DEPTH {
            return Err(ConfigError::Structure {
                path: String::new(),
                line: 0,
                column: 0,
                message: format!("configuration nested too deeply (limit {MAX_TREE_DEPTH} levels)"),
            });
        }
        let id = self.nodes.len();
        self.nodes.push(NodeData {
            name,
            val,
            is_seq: false,
            fin,
            parent,
            depth,
            kids: Kids::default(),
        });
        self.attach(parent, id);
        Ok(id)
    }

    pub(crate) fn attach(&mut self, parent: usize, id: usize) {
        let name = std::mem::take(&mut self.nodes[id].name);
        self.nodes[parent].kids.push(&name, id);
        self.nodes[id].name = name;
        self.nodes[id].parent = parent;
    }

    pub(crate) fn detach(&mut self, parent: usize, id: usize) {
        let name = std::mem::take(&mut self.nodes[id].name);
        self.nodes[parent].kids.remove(&name, id);
        self.nodes[id].name = name;
    }

    /// Walks `path` from `start`, creating missing nodes (marked `fin`).
    pub(crate) fn get_or_create(
        &mut self,
        start: usize,
        path: &str,
        fin: bool,
    ) -> Result<usize, ConfigError> {
        if path.len() >= MAX_NAME_LEN {
            return Err(ConfigError::Set {
                input: path.chars().take(64).collect::<String>() + "...",
                message: format!("configuration name too long (limit {MAX_NAME_LEN})"),
            });
        }
        let mut id = start;
        for part in path.split('.') {
            id = match self.lookup_child(id, part) {
                Some(c) => c,
                None => self.new_node(id, part.to_string(), None, fin)?,
            };
        }
        Ok(id)
    }

    /// Suricata's prune: drop every non-final descendant that ends up with
    /// no children, and clear this node's value.
    pub(crate) fn prune(&mut self, id: usize) {
        // Iterative post-order walk to avoid deep recursion.
        let mut order = Vec::new();
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            order.push(n);
            let kids: Vec<usize> = self.nodes[n].kids.iter().collect();
            for k in kids {
                if !self.nodes[k].fin {
                    stack.push(k);
                }
            }
        }
        // Children are visited after their parent in `order`; process in
        // reverse so each node is handled after all its descendants.
        for &n in order.iter().rev() {
            let kids: Vec<usize> = self.nodes[n].kids.iter().collect();
            let keep: Vec<usize> = kids
                .into_iter()
                .filter(|&k| self.nodes[k].fin || !self.nodes[k].kids.is_empty())
                .collect();
            if keep.len() != self.nodes[n].kids.len() {
                self.nodes[n].kids.clear();
                for k in keep {
                    self.attach(n, k);
                }
            }
        }
        // Every pruned node (this one and its non-final descendants, kept or
        // not) loses its value; final nodes keep theirs.
        for &n in &order {
            self.nodes[n].val = None;
        }
    }

    // ---- public access -----------------------------------------------

    /// The node at a dotted path (`outputs.1.eve-log`), if present.
    pub fn get_node(&self, path: &str) -> Option<NodeRef<'_>> {
        self.lookup_from(ROOT, path)
            .map(|id| NodeRef { cfg: self, id })
    }

    /// The scalar value at a dotted path. `None` if absent or not a scalar.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.get_node(path).and_then(|n| n.value())
    }

    /// The value at `path` read as a boolean with Suricata's truthiness
    /// (`yes`/`true`/`on`/`1`, any case, are true; any other value is false).
    /// `None` when the key is absent or has no value.
    pub fn get_bool(&self, path: &str) -> Option<bool> {
        self.get(path).map(units::is_true)
    }

    /// The value at `path` as an integer (C `strtoimax` base 0 rules).
    /// `Ok(None)` when absent; an error naming the key when malformed.
    pub fn get_int(&self, path: &str) -> Result<Option<i64>, ConfigError> {
        match self.get(path) {
            None => Ok(None),
            Some(v) => units::parse_int(v)
                .map(Some)
                .ok_or_else(|| ConfigError::value(path, v, "not an integer")),
        }
    }

    /// The value at `path` as a byte size (`64mb`, see [`crate::parse_size`]).
    pub fn get_size(&self, path: &str) -> Result<Option<u64>, ConfigError> {
        match self.get(path) {
            None => Ok(None),
            Some(v) => units::parse_size(v)
                .map(Some)
                .ok_or_else(|| ConfigError::value(path, v, "not a size (<number>[kb|mb|gb])")),
        }
    }

    /// Children of the node at `path`, in order; empty if absent. An empty
    /// path lists the top-level keys.
    pub fn children(&self, path: &str) -> impl Iterator<Item = NodeRef<'_>> + '_ {
        let node = if path.is_empty() {
            Some(self.root())
        } else {
            self.get_node(path)
        };
        node.into_iter().flat_map(|n| n.children())
    }

    /// The item of the list at `list` (e.g. `af-packet`, `pcap`) whose
    /// `interface` is `iface` (Suricata's `ConfFindDeviceConfig`).
    pub fn find_interface(&self, list: &str, iface: &str) -> Option<NodeRef<'_>> {
        self.children(list)
            .find(|n| n.get("interface") == Some(iface))
    }

    /// Sets `key` to `value` like Suricata's `--set key=value`
    /// (`ConfSetFinal`): missing nodes along the path are created, an
    /// existing value is replaced, list items are addressed by index
    /// (`outputs.1.eve-log.enabled`), and the node becomes final so that a
    /// configuration file loaded afterwards does not override it.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ConfigError> {
        if key.is_empty() {
            return Err(ConfigError::Set {
                input: format!("{key}={value}"),
                message: "empty key".into(),
            });
        }
        let id = self.get_or_create(ROOT, key, true)?;
        let n = &mut self.nodes[id];
        n.val = Some(value.to_string());
        n.fin = true;
        Ok(())
    }

    /// Sets a value unless the node is final (Suricata's `ConfSet`).
    /// Returns `Ok(false)` when a final node kept its value.
    pub fn set_weak(&mut self, key: &str, value: &str) -> Result<bool, ConfigError> {
        if key.is_empty() {
            return Err(ConfigError::Set {
                input: format!("{key}={value}"),
                message: "empty key".into(),
            });
        }
        let id = self.get_or_create(ROOT, key, false)?;
        if self.nodes[id].fin {
            return Ok(false);
        }
        self.nodes[id].val = Some(value.to_string());
        Ok(true)
    }

    /// Parses and applies one `--set` argument, `KEY=VALUE`: split at the
    /// first `=`, white space trimmed at the end of the key and the start
    /// of the value (as Suricata's `ConfSetFromString`).
    pub fn set_from_string(&mut self, input: &str) -> Result<(), ConfigError> {
        let Some((k, v)) = input.split_once('=') else {
            return Err(ConfigError::Set {
                input: input.to_string(),
                message: "must be KEY=VALUE".into(),
            });
        };
        let k = k.trim_end_matches(|c: char| c.is_ascii_whitespace());
        let v = v.trim_start_matches(|c: char| c.is_ascii_whitespace());
        self.set(k, v).map_err(|e| match e {
            ConfigError::Set { message, .. } => ConfigError::Set {
                input: input.to_string(),
                message,
            },
            other => other,
        })
    }

    /// Removes the node at `path` and everything below it. Returns whether
    /// a node was removed.
    pub fn remove(&mut self, path: &str) -> bool {
        match self.lookup_from(ROOT, path) {
            Some(id) if id != ROOT => {
                let parent = self.nodes[id].parent;
                self.detach(parent, id);
                true
            }
            _ => false,
        }
    }

    /// The whole tree as Suricata's `--dump-config` prints it: one
    /// `dotted.name = value` line per node in order, `(null)` for nodes
    /// without a value.
    pub fn dump(&self) -> String {
        let mut out = String::new();
        let mut path: Vec<&str> = Vec::new();
        // Stack of (node id, depth).
        let mut stack: Vec<(usize, usize)> = self.nodes[ROOT]
            .kids
            .iter()
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .map(|id| (id, 0))
            .collect();
        while let Some((id, depth)) = stack.pop() {
            path.truncate(depth);
            let n = &self.nodes[id];
            path.push(&n.name);
            for (i, p) in path.iter().enumerate() {
                if i > 0 {
                    out.push('.');
                }
                out.push_str(p);
            }
            out.push_str(" = ");
            out.push_str(n.val.as_deref().unwrap_or("(null)"));
            out.push('\n');
            let kids: Vec<usize> = n.kids.iter().collect();
            for k in kids.into_iter().rev() {
                stack.push((k, depth + 1));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_creates_overrides_and_dumps_in_order() {
        let mut c = Config::new();
        // (key, value) applied in order
        let steps: &[(&str, &str)] = &[
            ("a.b.c", "1"),
            ("a.x", "2"),
            ("a.b.c", "3"),
            ("outputs.1.fast.enabled", "no"),
            ("top", ""),
        ];
        for (k, v) in steps {
            c.set(k, v).unwrap();
        }
        assert_eq!(c.get("a.b.c"), Some("3"));
        assert_eq!(c.get("a.b"), None);
        assert!(c.get_node("a.b").is_some());
        assert_eq!(c.get("outputs.1.fast.enabled"), Some("no"));
        assert_eq!(c.get_bool("outputs.1.fast.enabled"), Some(false));
        assert_eq!(
            c.dump(),
            "a = (null)\na.b = (null)\na.b.c = 3\na.x = 2\noutputs = (null)\n\
             outputs.1 = (null)\noutputs.1.fast = (null)\noutputs.1.fast.enabled = no\n\
             top = \n"
        );
    }

    #[test]
    fn set_from_string_table() {
        // (input, key, expected value or None for error)
        let table: &[(&str, &str, Option<&str>)] = &[
            ("stream.midstream=true", "stream.midstream", Some("true")),
            ("k = v", "k", Some("v")),
            ("k=a=b", "k", Some("a=b")),
            ("k=", "k", Some("")),
            ("k=  spaced value ", "k", Some("spaced value ")),
            ("noequals", "noequals", None),
            ("=v", "", None),
        ];
        for (input, key, want) in table {
            let mut c = Config::new();
            let r = c.set_from_string(input);
            match want {
                Some(v) => {
                    assert!(r.is_ok(), "{input}: {r:?}");
                    assert_eq!(c.get(key), Some(*v), "{input}");
                    assert!(c.get_node(key).map(|n| n.is_final()).unwrap_or(false));
                }
                None => assert!(r.is_err(), "{input} should fail"),
            }
        }
    }

    #[test]
    fn interface_lookup_with_default() {
        let mut c = Config::new();
        for (k, v) in [
            ("af-packet.0.interface", "eth0"),
            ("af-packet.0.cluster-id", "99"),
            ("af-packet.1.interface", "default"),
            ("af-packet.1.cluster-id", "1"),
            ("af-packet.1.threads", "auto"),
        ] {
            c.set(k, v).unwrap();
        }
        let eth0 = c.find_interface("af-packet", "eth0").unwrap();
        let dflt = c.find_interface("af-packet", "default");
        assert_eq!(eth0.get_or_default(dflt, "cluster-id"), Some("99"));
        assert_eq!(eth0.get_or_default(dflt, "threads"), Some("auto"));
        assert_eq!(eth0.get_or_default(None, "threads"), None);
        assert!(c.find_interface("af-packet", "eth9").is_none());
    }

    #[test]
    fn weak_set_respects_final() {
        let mut c = Config::new();
        c.set("default-log-dir", "/tmp").unwrap();
        assert!(!c.set_weak("default-log-dir", "/var/log").unwrap());
        assert_eq!(c.get("default-log-dir"), Some("/tmp"));
        assert!(c.set_weak("other", "x").unwrap());
        assert_eq!(c.get("other"), Some("x"));
    }

    #[test]
    fn tree_depth_is_bounded() {
        let mut c = Config::new();
        let chunk = vec!["k"; 400].join(".");
        let mut id = ROOT;
        let mut failed = false;
        for _ in 0..4 {
            match c.get_or_create(id, &chunk, true) {
                Ok(n) => id = n,
                Err(e) => {
                    assert!(e.to_string().contains("nested too deeply"), "{e}");
                    failed = true;
                    break;
                }
            }
        }
        assert!(failed, "depth limit not enforced");
        assert_eq!(c.nodes[id].depth, 800);
        assert!(c.dump().lines().count() >= 800);
        assert!(c.to_yaml().lines().count() >= 800);
    }

    #[test]
    fn long_names_rejected() {
        let mut c = Config::new();
        let long = "a.".repeat(600);
        assert!(c.set(&long, "x").is_err());
        assert!(c.get_node(&long).is_none());
    }

    #[test]
    fn remove_and_many_children() {
        let mut c = Config::new();
        for i in 0..500 {
            c.set(&format!("m.k{i}"), &i.to_string()).unwrap();
        }
        for i in (0..500).step_by(2) {
            assert!(c.remove(&format!("m.k{i}")));
        }
        assert!(!c.remove("m.k0"));
        let names: Vec<&str> = c.children("m").map(|n| n.name()).collect();
        assert_eq!(names.len(), 250);
        assert_eq!(names[0], "k1");
        assert_eq!(names[249], "k499");
        assert_eq!(c.get("m.k499"), Some("499"));
    }

    #[test]
    fn int_and_size_errors_name_the_key() {
        let mut c = Config::new();
        c.set("flow.memcap", "lots").unwrap();
        c.set("flow.hash-size", "0x10").unwrap();
        assert_eq!(c.get_int("flow.hash-size").unwrap(), Some(16));
        let e = c.get_size("flow.memcap").unwrap_err().to_string();
        assert!(e.contains("flow.memcap") && e.contains("lots"), "{e}");
        assert_eq!(c.get_int("nope").unwrap(), None);
    }
}
