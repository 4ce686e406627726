//! `kith match`: match an offers CSV against a wants CSV without running the service.

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, ValueEnum};

use crate::matching::{MatchOptions, Mode, OutputFormat, Vocabulary, run_match_files};

/// Arguments of `kith match`.
#[derive(Debug, Args)]
pub struct MatchArgs {
    /// CSV of offers with a header: id,member,text[,category][,community].
    #[arg(long)]
    pub offers: PathBuf,
    /// CSV of wants, same columns.
    #[arg(long)]
    pub wants: PathBuf,
    /// Matches per want.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=100))]
    pub top: u16,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Score every pair instead of using the index (slow; the reference for recall).
    #[arg(long)]
    pub exhaustive: bool,
    /// An extra vocabulary file (same format as the built-in one) to extend synonyms.
    #[arg(long)]
    pub vocabulary: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Json,
    Csv,
}

/// Runs the match and prints the whole result, or returns the error without printing anything.
pub fn run(args: MatchArgs) -> Result<(), String> {
    let vocabulary = match &args.vocabulary {
        Some(path) => {
            let mut vocabulary = Vocabulary::builtin();
            vocabulary
                .extend_from_file(path)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            Some(Arc::new(vocabulary))
        }
        None => None,
    };
    let options = MatchOptions {
        top: usize::from(args.top),
        format: match args.format {
            Format::Json => OutputFormat::Json,
            Format::Csv => OutputFormat::Csv,
        },
        mode: if args.exhaustive {
            Mode::Exhaustive
        } else {
            Mode::Indexed
        },
        vocabulary,
    };
    let output = run_match_files(&args.offers, &args.wants, &options).map_err(|e| e.to_string())?;
    print!("{output}");
    Ok(())
}
