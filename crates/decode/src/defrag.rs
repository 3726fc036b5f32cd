//! IPv4 and IPv6 defragmentation (to be written).
