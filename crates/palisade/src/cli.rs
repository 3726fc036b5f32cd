//! Command-line parsing with Suricata's flags and getopt conventions
//! (`-rFILE` and `-r FILE`, `--set=K=V` and `--set K=V`).

use std::fmt;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Checksum {
    None,
    All,
    #[default]
    Auto,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Args {
    pub config: Option<String>,
    pub pcap: Option<String>,
    pub log_dir: Option<String>,
    /// `-S`: rule files loaded exclusively (rule-files from the config are ignored).
    pub exclusive_rules: Vec<String>,
    /// `-s`: rule files loaded in addition to the config's.
    pub extra_rules: Vec<String>,
    pub sets: Vec<(String, String)>,
    pub includes: Vec<String>,
    pub checksum: Option<Checksum>,
    pub runmode: Option<String>,
    pub version: bool,
    pub build_info: bool,
    pub help: bool,
    pub test_config: bool,
    pub init_errors_fatal: bool,
    pub disable_detection: bool,
    pub dump_config: bool,
    pub simulate_ips: bool,
    pub verbose: u8,
    pub pidfile: Option<String>,
    pub pcap_file_recursive: bool,
    /// BPF filter words after the options (accepted; not applied yet).
    pub bpf: Vec<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Short options that take an argument.
const SHORT_WITH_ARG: &[char] = &['c', 'r', 'l', 's', 'S', 'k', 'i', 'F', 'q'];

/// Long options: (name, takes an argument).
const LONG: &[(&str, bool)] = &[
    ("set", true),
    ("runmode", true),
    ("build-info", false),
    ("init-errors-fatal", false),
    ("disable-detection", false),
    ("dump-config", false),
    ("simulate-ips", false),
    ("pidfile", true),
    ("include", true),
    ("pcap-file-recursive", false),
    ("no-random", false),
    ("help", false),
];

pub fn parse<I: IntoIterator<Item = String>>(argv: I) -> Result<Args, UsageError> {
    let mut a = Args::default();
    let mut it = argv.into_iter();
    let mut rest_is_bpf = false;
    while let Some(arg) = it.next() {
        if rest_is_bpf || !arg.starts_with('-') || arg == "-" {
            a.bpf.push(arg);
            continue;
        }
        if arg == "--" {
            rest_is_bpf = true;
            continue;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let Some(&(_, takes)) = LONG.iter().find(|(n, _)| *n == name) else {
                return Err(UsageError(format!("unrecognized option '--{name}'")));
            };
            let value = if takes {
                match inline {
                    Some(v) => Some(v),
                    None => Some(it.next().ok_or_else(|| {
                        UsageError(format!("option '--{name}' requires an argument"))
                    })?),
                }
            } else {
                if inline.is_some() {
                    return Err(UsageError(format!(
                        "option '--{name}' doesn't allow an argument"
                    )));
                }
                None
            };
            apply_long(&mut a, name, value)?;
            continue;
        }
        // A cluster of short options: -vvv, -rFILE, -r FILE.
        let body = &arg[1..];
        for (i, c) in body.char_indices() {
            if SHORT_WITH_ARG.contains(&c) {
                let rest = &body[i + c.len_utf8()..];
                let value = if !rest.is_empty() {
                    rest.to_string()
                } else {
                    it.next().ok_or_else(|| {
                        UsageError(format!("option requires an argument -- '{c}'"))
                    })?
                };
                apply_short_arg(&mut a, c, value)?;
                break;
            }
            match c {
                'v' => a.verbose = a.verbose.saturating_add(1),
                'V' => a.version = true,
                'T' => a.test_config = true,
                'h' => a.help = true,
                'D' => return Err(UsageError("daemon mode (-D) is not supported".into())),
                _ => return Err(UsageError(format!("invalid option -- '{c}'"))),
            }
        }
    }
    Ok(a)
}

fn apply_short_arg(a: &mut Args, c: char, v: String) -> Result<(), UsageError> {
    match c {
        'c' => a.config = Some(v),
        'r' => {
            if a.pcap.is_some() {
                return Err(UsageError("only one -r option is allowed".into()));
            }
            a.pcap = Some(v)
        }
        'l' => a.log_dir = Some(v),
        's' => a.extra_rules.push(v),
        'S' => a.exclusive_rules.push(v),
        'k' => {
            a.checksum = Some(match v.as_str() {
                "none" => Checksum::None,
                "all" => Checksum::All,
                "auto" => Checksum::Auto,
                _ => {
                    return Err(UsageError(format!(
                        "option '{v}' invalid for -k (none, all, auto)"
                    )))
                }
            })
        }
        'i' => {
            return Err(UsageError(
                "live capture (-i) is not supported yet; use -r".into(),
            ))
        }
        'F' => {
            return Err(UsageError(
                "BPF filter files (-F) are not supported yet".into(),
            ))
        }
        'q' => return Err(UsageError("NFQUEUE mode (-q) is not supported".into())),
        _ => unreachable!("SHORT_WITH_ARG and this match agree"),
    }
    Ok(())
}

fn apply_long(a: &mut Args, name: &str, v: Option<String>) -> Result<(), UsageError> {
    match name {
        "set" => {
            let v = v.unwrap_or_default();
            let Some((k, val)) = v.split_once('=') else {
                return Err(UsageError(format!(
                    "invalid argument for --set, must be key=val: '{v}'"
                )));
            };
            let k = k.trim();
            if k.is_empty() {
                return Err(UsageError(format!(
                    "invalid argument for --set, empty key: '{v}'"
                )));
            }
            a.sets.push((k.to_string(), val.trim().to_string()));
        }
        "runmode" => {
            let v = v.unwrap_or_default();
            match v.as_str() {
                "single" | "autofp" | "workers" => a.runmode = Some(v),
                _ => {
                    return Err(UsageError(format!(
                        "unknown runmode '{v}' (single, autofp, workers)"
                    )))
                }
            }
        }
        "build-info" => a.build_info = true,
        "init-errors-fatal" => a.init_errors_fatal = true,
        "disable-detection" => a.disable_detection = true,
        "dump-config" => a.dump_config = true,
        "simulate-ips" => a.simulate_ips = true,
        "pidfile" => a.pidfile = v,
        "include" => a.includes.extend(v),
        "pcap-file-recursive" => a.pcap_file_recursive = true,
        // Suricata's switch for reproducible runs (no random hash seeds or chunk sizes):
        // Palisade is always deterministic.
        "no-random" => {}
        "help" => a.help = true,
        _ => unreachable!("LONG and this match agree"),
    }
    Ok(())
}

pub const USAGE: &str = "\
USAGE: palisade [OPTIONS] [BPF FILTER]

\t-c <path>                 : path to configuration file (suricata.yaml)
\t-T                        : test configuration and rules, then exit
\t-r <path>                 : read a pcap/pcapng file, or a directory of them (name order)
\t-s <path>                 : rule file loaded in addition to the configured ones
\t-S <path>                 : rule file loaded exclusively
\t-l <dir>                  : default log directory
\t-k [all|none|auto]        : force checksum checks (all), disable them (none)
\t-V                        : display the version
\t-v                        : be more verbose (repeat for more)
\t--runmode <mode>          : single, autofp or workers
\t--set name=value          : set a configuration value
\t--include <path>          : additional configuration file
\t--init-errors-fatal       : fail on any rule or configuration error
\t--disable-detection       : decode, track flows and log without rules
\t--dump-config             : show the running configuration
\t--build-info              : display build information
\t--simulate-ips            : force IPS mode (drop actions apply)
\t--pidfile <file>          : write the process id to this file
";

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Args, UsageError> {
        parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn short_and_long_forms() {
        let a = p(&[
            "-r",
            "x.pcap",
            "-lout",
            "-k",
            "none",
            "--set",
            "a.b=c",
            "--set=outputs.1.fast.enabled=no",
            "-vvv",
            "-S",
            "r.rules",
            "-s",
            "e.rules",
        ])
        .unwrap();
        assert_eq!(a.pcap.as_deref(), Some("x.pcap"));
        assert_eq!(a.log_dir.as_deref(), Some("out"));
        assert_eq!(a.checksum, Some(Checksum::None));
        assert_eq!(
            a.sets,
            vec![
                ("a.b".into(), "c".into()),
                ("outputs.1.fast.enabled".into(), "no".into())
            ]
        );
        assert_eq!(a.verbose, 3);
        assert_eq!(a.exclusive_rules, vec!["r.rules"]);
        assert_eq!(a.extra_rules, vec!["e.rules"]);
    }

    #[test]
    fn set_value_keeps_later_equals() {
        let a = p(&["--set", "vars.address-groups.HOME_NET=[10.0.0.0/8]"]).unwrap();
        assert_eq!(a.sets[0].1, "[10.0.0.0/8]");
        let a = p(&["--set", "k=a=b"]).unwrap();
        assert_eq!(a.sets[0], ("k".into(), "a=b".into()));
    }

    #[test]
    fn errors_are_one_line() {
        for (args, want) in [
            (&["--bogus"][..], "unrecognized option '--bogus'"),
            (&["-r"][..], "option requires an argument -- 'r'"),
            (
                &["-k", "foo"][..],
                "option 'foo' invalid for -k (none, all, auto)",
            ),
            (&["--set"][..], "option '--set' requires an argument"),
            (
                &["--set", "novalue"][..],
                "invalid argument for --set, must be key=val: 'novalue'",
            ),
            (
                &["--runmode", "fast"][..],
                "unknown runmode 'fast' (single, autofp, workers)",
            ),
            (&["-x"][..], "invalid option -- 'x'"),
            (
                &["--dump-config=1"][..],
                "option '--dump-config' doesn't allow an argument",
            ),
        ] {
            let e = p(args).unwrap_err();
            assert_eq!(e.0, want, "{args:?}");
            assert!(!e.0.contains('\n'));
        }
    }

    #[test]
    fn flags() {
        let a = p(&[
            "-T",
            "--init-errors-fatal",
            "--disable-detection",
            "--dump-config",
            "--simulate-ips",
            "--build-info",
            "-V",
            "--runmode",
            "single",
        ])
        .unwrap();
        assert!(a.test_config && a.init_errors_fatal && a.disable_detection && a.dump_config);
        assert!(a.simulate_ips && a.build_info && a.version);
        assert_eq!(a.runmode.as_deref(), Some("single"));
    }
}
