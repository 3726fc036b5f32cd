//! `stats.log`: Suricata's text table of the non-zero counters.
//!
//! ```text
//! ------------------------------------------------------------------------------------
//! Date: 11/24/2009 -- 21:27:09 (uptime: 0d, 00h 00m 03s)
//! ------------------------------------------------------------------------------------
//! Counter                                       | TM Name                   | Value
//! ------------------------------------------------------------------------------------
//! decoder.pkts                                  | Total                     | 16
//! ```

use std::io::Write;

use palisade_capture::Timestamp;

use crate::time::civil_from_days;

const RULE: &str =
    "------------------------------------------------------------------------------------";

/// Appends one block of the table: counters with a zero value are left out, as Suricata
/// does. `now` is the (packet) time the block is dated with.
pub fn write_block<'a>(
    out: &mut impl Write,
    now: Timestamp,
    uptime_secs: u64,
    counters: impl IntoIterator<Item = (&'a str, u64)>,
) -> std::io::Result<()> {
    let secs = now.secs.min(253_402_300_799) as i64;
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    writeln!(out, "{RULE}")?;
    writeln!(
        out,
        "Date: {m:02}/{d:02}/{y:04} -- {:02}:{:02}:{:02} (uptime: {}d, {:02}h {:02}m {:02}s)",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        uptime_secs / 86_400,
        uptime_secs % 86_400 / 3600,
        uptime_secs % 3600 / 60,
        uptime_secs % 60
    )?;
    writeln!(out, "{RULE}")?;
    writeln!(out, "{:<46}| {:<26}| Value", "Counter", "TM Name")?;
    writeln!(out, "{RULE}")?;
    for (name, value) in counters {
        if value != 0 {
            writeln!(out, "{name:<46}| {:<26}| {value}", "Total")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_layout() {
        let mut v = Vec::new();
        write_block(
            &mut v,
            Timestamp::new(1_259_098_029, 0),
            90_061,
            [
                ("decoder.pkts", 16),
                ("decoder.invalid", 0),
                ("flow.total", 6),
            ],
        )
        .unwrap();
        let s = String::from_utf8(v).unwrap();
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(
            lines[1],
            "Date: 11/24/2009 -- 21:27:09 (uptime: 1d, 01h 01m 01s)"
        );
        assert_eq!(
            lines[3],
            "Counter                                       | TM Name                   | Value"
        );
        assert_eq!(
            lines[5],
            "decoder.pkts                                  | Total                     | 16"
        );
        assert_eq!(lines.len(), 7, "zero counters are left out");
    }
}
