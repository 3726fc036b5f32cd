//! `palisade`: the command-line front of the engine, with Suricata's flags.
#![forbid(unsafe_code)]

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use palisade_engine::{build_info, version_line, ChecksumMode, EngineOptions};

fn main() -> ExitCode {
    let args = match cli::parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("palisade: {e} (palisade -h for usage)");
            return ExitCode::from(1);
        }
    };
    if args.help {
        print!("{}\n{}", version_line(), cli::USAGE);
        return ExitCode::SUCCESS;
    }
    if args.version {
        println!("{}", version_line());
        return ExitCode::SUCCESS;
    }
    if args.build_info {
        print!("{}", build_info());
        return ExitCode::SUCCESS;
    }

    let opts = EngineOptions {
        config_file: args.config.as_ref().map(PathBuf::from),
        includes: args.includes.iter().map(PathBuf::from).collect(),
        sets: args.sets.clone(),
        pcap: args.pcap.as_ref().map(PathBuf::from),
        recursive: args.pcap_file_recursive,
        log_dir: args.log_dir.as_ref().map(PathBuf::from),
        exclusive_rules: args.exclusive_rules.iter().map(PathBuf::from).collect(),
        extra_rules: args.extra_rules.iter().map(PathBuf::from).collect(),
        checksum: args.checksum.map(|c| match c {
            cli::Checksum::None => ChecksumMode::None,
            cli::Checksum::All => ChecksumMode::All,
            cli::Checksum::Auto => ChecksumMode::Auto,
        }),
        runmode: args.runmode.clone(),
        test_config: args.test_config,
        init_errors_fatal: args.init_errors_fatal,
        disable_detection: args.disable_detection,
        dump_config: args.dump_config,
        simulate_ips: args.simulate_ips,
        verbose: args.verbose,
        pidfile: args.pidfile.as_ref().map(PathBuf::from),
    };
    match palisade_engine::main(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Through the engine log, so that the log file (text or JSON) records it too.
            palisade_engine::error!("{e}");
            ExitCode::from(1)
        }
    }
}
