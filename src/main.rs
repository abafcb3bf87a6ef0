use clap::Parser;

fn main() -> std::process::ExitCode {
    orgnav::cli::main_with(orgnav::cli::Cli::parse())
}
