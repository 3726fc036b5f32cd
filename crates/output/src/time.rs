//! Timestamps as Suricata prints them.
//!
//! Suricata formats times in local time with the zone offset
//! (`2009-11-24T21:27:09.534255+0000`). Palisade always prints UTC with `+0000`, which
//! is what Suricata prints when the TZ is UTC (the usual case on servers and in CI),
//! and keeps output independent of the machine's zone. No calendar crate: the date
//! comes from the day count with the civil-from-days algorithm (proleptic Gregorian).

use std::io::Write;

use palisade_flow::Timestamp;

/// Year, month (1-12), day (1-31) of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365; // [0, 399]
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Appends `YYYY-MM-DDTHH:MM:SS.uuuuuu+0000`.
pub fn write_timestamp(out: &mut Vec<u8>, ts: Timestamp) {
    // Clamp absurd capture times so the arithmetic cannot overflow.
    let secs = ts.secs.min(253_402_300_799) as i64; // 9999-12-31T23:59:59
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}+0000",
        y,
        m,
        d,
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        // Suricata prints the capture's microsecond field as read, even when a broken
        // pcap record holds more than 999999 (the reader keeps its low 20 bits).
        ts.micros()
    );
}

/// The timestamp as a `String` (convenience, allocates).
pub fn format_timestamp(ts: Timestamp) -> String {
    let mut v = Vec::with_capacity(32);
    write_timestamp(&mut v, ts);
    String::from_utf8(v).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_table() {
        let table: &[(u64, u32, &str)] = &[
            (0, 0, "1970-01-01T00:00:00.000000+0000"),
            (
                1_259_098_029,
                534_255_000,
                "2009-11-24T21:27:09.534255+0000",
            ),
            (
                1_246_563_718,
                226_354_999,
                "2009-07-02T19:41:58.226354+0000",
            ),
            // leap days
            (951_782_400, 0, "2000-02-29T00:00:00.000000+0000"),
            (1_709_164_800, 1_000, "2024-02-29T00:00:00.000001+0000"),
            (4_107_542_400, 0, "2100-03-01T00:00:00.000000+0000"), // 2100 is no leap year
            (
                4_107_542_399,
                999_999_999,
                "2100-02-28T23:59:59.999999+0000",
            ),
            (1_704_067_199, 0, "2023-12-31T23:59:59.000000+0000"),
            // 2038 and beyond
            (2_147_483_647, 0, "2038-01-19T03:14:07.000000+0000"),
            (2_147_483_648, 0, "2038-01-19T03:14:08.000000+0000"),
            (4_294_967_296, 0, "2106-02-07T06:28:16.000000+0000"),
            (253_402_300_799, 0, "9999-12-31T23:59:59.000000+0000"),
        ];
        for &(secs, nanos, want) in table {
            assert_eq!(
                format_timestamp(Timestamp::new(secs, nanos)),
                want,
                "{secs}"
            );
        }
        // Out of range seconds are clamped, never panic; a microsecond field past 999999
        // (a broken pcap record keeps its low 20 bits) is printed as read, as Suricata does.
        assert_eq!(
            format_timestamp(Timestamp::new(1_000_000_000, 1_048_575_000)),
            "2001-09-09T01:46:40.1048575+0000"
        );
        assert_eq!(
            format_timestamp(Timestamp::new(u64::MAX, 2_000_000_000)),
            "9999-12-31T23:59:59.2000000+0000"
        );
    }

    #[test]
    fn civil_round_trip() {
        // every day from 1900 to 2200 is one more than the previous
        let mut prev = civil_from_days(-25_567);
        assert_eq!(prev, (1900, 1, 1));
        for d in -25_566..84_000 {
            let cur = civil_from_days(d);
            let next_in_month = cur.0 == prev.0 && cur.1 == prev.1 && cur.2 == prev.2 + 1;
            let new_month = cur.2 == 1 && (cur.1 == prev.1 % 12 + 1);
            assert!(next_in_month || new_month, "{prev:?} -> {cur:?}");
            prev = cur;
        }
    }
}
