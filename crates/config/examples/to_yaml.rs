//! Re-emits a configuration file as plain YAML (no comments): `to_yaml FILE`.
//! Used to produce `src/default.yaml` from the keys and values of the
//! reference Suricata 7.0.10 configuration.
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: to_yaml FILE");
        std::process::exit(2);
    };
    match palisade_config::Config::load_file(&path) {
        Ok(c) => print!("{}", c.to_yaml()),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
