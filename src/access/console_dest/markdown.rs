//! The alias table as Markdown, for the README (between the markers below) and
//! `orgnav console --list-services --markdown`. A test compares the README block with it.

use super::services::{self, RegionUse};

/// The README lines around the generated table.
pub const BEGIN_MARKER: &str =
    "<!-- console-services:begin (generated: orgnav console --list-services --markdown) -->";
pub const END_MARKER: &str = "<!-- console-services:end -->";

/// The table of every alias, one row per console page, in the data file's order.
pub fn services_markdown() -> String {
    let mut out = String::from("| Aliases | Page | Console path | Region |\n|---|---|---|---|\n");
    for s in services::all() {
        let aliases = s
            .aliases
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let region = match s.region {
            RegionUse::Regional => "regional",
            RegionUse::Query => "`?region=` only",
            RegionUse::None => "global",
        };
        out.push_str(&format!(
            "| {aliases} | {} | `{}` | {region} |\n",
            s.name, s.path
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's alias table is this module's output: edit data/console_services.toml, never
    /// the README block.
    #[test]
    fn the_readme_alias_table_is_generated_from_the_data_file() {
        let readme = include_str!("../../../README.md");
        let block = readme
            .split_once(BEGIN_MARKER)
            .and_then(|(_, rest)| rest.split_once(END_MARKER))
            .map(|(block, _)| block.trim_start_matches('\n'));
        assert!(
            block == Some(services_markdown().as_str()),
            "README.md's console alias table differs from data/console_services.toml: regenerate \
             it with `cargo run -q -- console --list-services --markdown` and paste the output \
             between the `{BEGIN_MARKER}` and `{END_MARKER}` lines"
        );
    }
}
