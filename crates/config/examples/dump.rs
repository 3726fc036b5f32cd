//! Prints `--dump-config` output for a file: `dump FILE [KEY=VALUE ...]`.
//! The `KEY=VALUE` pairs are applied first, as `--set` is in Suricata.
fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: dump FILE [KEY=VALUE ...]");
        std::process::exit(2);
    };
    let mut cfg = palisade_config::Config::new();
    for s in args {
        if let Err(e) = cfg.set_from_string(&s) {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
    if let Err(e) = cfg.merge_file(&path) {
        eprintln!("{e}");
        std::process::exit(1);
    }
    for w in cfg.warnings() {
        eprintln!("warning: {w}");
    }
    print!("{}", cfg.dump());
}
