use super::*;
use crate::config::Config;

fn account(name: &str, tags: &[(&str, &str)]) -> Account {
    Account {
        id: "123456789012".into(),
        name: name.into(),
        email: String::new(),
        status: crate::model::AccountStatus::Active,
        joined: None,
        parent_id: "ou-1".into(),
        tags: tags
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

fn config(text: &str) -> Config {
    Config::parse_checked(text, std::path::Path::new("/c.toml"), &[check_config]).unwrap()
}

#[test]
fn templates_split_like_a_shell_and_fill_in_the_url() {
    let chrome =
        BrowserCommand::parse(r#"google-chrome --profile-directory="Profile 2" {url}"#).unwrap();
    assert_eq!(
        chrome.argv("file:///run/x.html"),
        [
            "google-chrome",
            "--profile-directory=Profile 2",
            "file:///run/x.html"
        ]
    );
    let ff = BrowserCommand::parse("firefox -P 'my work'").unwrap();
    assert_eq!(ff.argv("U"), ["firefox", "-P", "my work", "U"]);
    let inside = BrowserCommand::parse("open -a Safari --args --url={url}").unwrap();
    assert_eq!(inside.argv("U").last().unwrap(), "--url=U");
    assert!(BrowserCommand::parse("firefox 'unclosed").is_err());
    assert!(BrowserCommand::parse("   ").is_err());
}

#[test]
fn rules_override_browser_and_container_for_the_accounts_they_match() {
    let c = config(concat!(
        "[console]\nbrowser = \"firefox -P work {url}\"\n",
        "[[console.rules]]\nou = \"Prod/**\"\ncontainer = \"prod-{account_name}\"\n",
        "[[console.rules]]\ntag = \"team=pay*\"\nbrowser = \"chromium {url}\"\n",
    ));
    let prod = account("payments", &[("team", "payments")]);
    let path = ["Prod".to_string()];
    let choice = browser_for(
        &c.console,
        &AccountContext {
            account: &prod,
            path: &path,
            role: "Admin",
            production: true,
        },
    );
    assert_eq!(choice.command.unwrap().argv("U"), ["chromium", "U"]);
    let container = choice.container.unwrap();
    assert_eq!(
        (container.name.as_str(), container.color),
        ("prod-payments", "red")
    );

    let dev = account("sandbox", &[]);
    let path = ["Dev".to_string()];
    let choice = browser_for(
        &c.console,
        &AccountContext {
            account: &dev,
            path: &path,
            role: "Admin",
            production: false,
        },
    );
    assert_eq!(
        choice.command.unwrap().argv("U"),
        ["firefox", "-P", "work", "U"]
    );
    assert_eq!(choice.container, None);
}

#[test]
fn container_names_fill_placeholders_and_refuse_unknown_ones() {
    assert_eq!(
        container_name("{account_name} ({account_id}) {role}", "pay", "1", "R").unwrap(),
        "pay (1) R"
    );
    assert!(container_name("{acount}", "a", "1", "r").is_err());
    assert!(container_name("{account_name", "a", "1", "r").is_err());
}

#[test]
fn bad_console_settings_name_file_line_and_key() {
    let parse = |text: &str| {
        Config::parse_checked(text, std::path::Path::new("/c.toml"), &[check_config]).unwrap_err()
    };
    let e = parse("[console]\n\nbrowser = \"firefox '\"\n");
    assert_eq!((e.key.as_str(), e.line), ("console.browser", 3));
    let e = parse("[console]\ncontainer = \"{nope}\"\n");
    assert_eq!((e.key.as_str(), e.line), ("console.container", 2));
    assert!(e.message.contains("{nope}"), "{}", e.message);
    let e = parse("[[console.rules]]\naccount = \"a\"\nbrowser = \"x '\"\n");
    assert_eq!(e.key, "console.rules[0].browser");
    let e = parse("[[console.rules]]\nou = \"a/[\"\nbrowser = \"x\"\n");
    assert_eq!(e.key, "console.rules[0].ou");
    let e = parse("[console]\nmulti_session = true\nlogout_first = true\n");
    assert_eq!((e.key.as_str(), e.line), ("console.logout_first", 3));
    let e = parse("[console]\nvia = \"carrier-pigeon\"\n");
    assert_eq!((e.key.as_str(), e.line), ("console.via", 2));
}

/// The README's example configuration passes the console checks, and its rule matches.
#[test]
fn the_readme_example_console_settings_are_valid() {
    let readme = include_str!("../../../README.md");
    let start = readme.find("```toml\nprofile").expect("the example") + "```toml\n".len();
    let len = readme[start..].find("```").expect("its end");
    let c = config(&readme[start..start + len]);
    assert!(c.console.logout_first && !c.console.multi_session);
    let prod = account("payments-prod", &[]);
    let path = ["Workloads".to_string(), "Prod".to_string()];
    let choice = browser_for(
        &c.console,
        &AccountContext {
            account: &prod,
            path: &path,
            role: "Admin",
            production: true,
        },
    );
    assert_eq!(
        choice.command.unwrap().argv("U"),
        ["google-chrome", "--profile-directory=Prod", "U"]
    );
    assert_eq!(choice.container.unwrap().name, "payments-prod");
}
