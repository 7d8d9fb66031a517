//! The `cartable` binary: parses the command line, sets up logging, runs the command.

fn main() {
    let cli = cartable::cli::parse();
    // The server's log is the admin's journal; a command run by a person says what matters in
    // French itself, so only errors of its own show there.
    let default_level = match cli.command {
        cartable::cli::Command::Serve(_) => "warn",
        _ => "error",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level)),
        )
        .with_writer(std::io::stderr)
        .init();
    match cartable::cli::run(cli) {
        Ok(code) => std::process::exit(code),
        Err(error) => {
            eprintln!("erreur : {error:#}");
            std::process::exit(2);
        }
    }
}
