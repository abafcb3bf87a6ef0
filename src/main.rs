use clap::Parser;

fn main() -> std::process::ExitCode {
    // A completion script asking for candidates: answered (and exited) before anything else.
    orgnav::cli::complete::answer_if_asked();
    orgnav::cli::main_with(orgnav::cli::Cli::parse())
}
