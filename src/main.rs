//! The `kith` binary: parses the command line and hands over to [`kith::cli`].

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    kith::cli::run().await
}
