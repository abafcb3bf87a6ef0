//! A large, flat organization for crawl measurements: `accounts` accounts spread over
//! `accounts / 10` OUs under the root (every tenth account stays at the root), each account and
//! OU tagged. Seeded either through the Organizations API, or in bulk through the launcher's
//! route into moto's backend (`organizations_bulk.py`: the same backend calls, no round trip
//! per item), which makes 10,000 accounts take seconds.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;

use aws_sdk_organizations::Client;
use aws_sdk_organizations::types::Tag;
use orgnav::model::{Org, Tags};
use serde_json::{Value, json};
use tokio::task::JoinSet;

use super::Moto;

/// What was created: parent and tags per account and OU ID.
#[derive(Debug, Default, PartialEq)]
pub struct Shape {
    pub accounts: BTreeMap<String, (String, Tags)>,
    pub ous: BTreeMap<String, (String, Tags)>,
}

impl Shape {
    /// What `org` holds, without the root and the management account (moto creates that one
    /// with the organization, untagged, at the root).
    pub fn of(org: &Org) -> Self {
        let root = &org.root_id;
        let management = org.management_account_id.as_deref();
        Self {
            accounts: org
                .accounts
                .iter()
                .filter(|a| Some(a.id.as_str()) != management)
                .map(|a| (a.id.clone(), (a.parent_id.clone(), a.tags.clone())))
                .collect(),
            ous: org
                .ous
                .iter()
                .filter(|o| &o.id != root)
                .map(|o| (o.id.clone(), (o.parent_id.clone().unwrap(), o.tags.clone())))
                .collect(),
        }
    }
}

/// The n-th OU's name and tag.
fn ou_spec(n: usize) -> (String, (String, String)) {
    (
        format!("unit-{n}"),
        ("CostCentre".into(), format!("cc-{n}")),
    )
}

/// The n-th account's name, email, tag, and OU index (None: at the root).
fn account_spec(n: usize, ous: usize) -> (String, String, (String, String), Option<usize>) {
    let ou = (n % 10 != 9).then_some(n % ous);
    let tag = ("Team".to_string(), format!("team-{}", n % 7));
    (
        format!("acct-{n}"),
        format!("acct-{n}@example.com"),
        tag,
        ou,
    )
}

fn ou_count(accounts: usize) -> usize {
    (accounts / 10).max(1)
}

fn sdk_tag((k, v): &(String, String)) -> Tag {
    Tag::builder().key(k).value(v).build().unwrap()
}

fn tags_of(pair: (String, String)) -> Tags {
    [pair].into_iter().collect()
}

/// Through the API: one `CreateOrganizationalUnit` per OU, `CreateAccount` (and `MoveAccount`)
/// per account, eight accounts at a time.
pub async fn seed_via_api(client: &Client, accounts: usize) -> Shape {
    let (_, root) = super::seed::new_organization(client).await;
    let mut shape = Shape::default();
    let mut ou_ids = Vec::new();
    for n in 0..ou_count(accounts) {
        let (name, tag) = ou_spec(n);
        let out = client
            .create_organizational_unit()
            .parent_id(&root)
            .name(name)
            .tags(sdk_tag(&tag))
            .send()
            .await
            .unwrap();
        let id = out.organizational_unit().unwrap().id().unwrap().to_string();
        shape.ous.insert(id.clone(), (root.clone(), tags_of(tag)));
        ou_ids.push(id);
    }
    let mut tasks = JoinSet::new();
    for n in 0..accounts {
        let (client, root) = (client.clone(), root.clone());
        let (name, email, tag, ou) = account_spec(n, ou_ids.len());
        let parent = ou.map_or(root.clone(), |i| ou_ids[i].clone());
        tasks.spawn(async move {
            let out = client
                .create_account()
                .account_name(name)
                .email(email)
                .tags(sdk_tag(&tag))
                .send()
                .await
                .unwrap();
            let id = out.create_account_status().unwrap().account_id().unwrap();
            if parent != root {
                client
                    .move_account()
                    .account_id(id)
                    .source_parent_id(&root)
                    .destination_parent_id(&parent)
                    .send()
                    .await
                    .unwrap();
            }
            (id.to_string(), (parent, tags_of(tag)))
        });
        if tasks.len() >= 8 {
            let (id, entry) = tasks.join_next().await.unwrap().unwrap();
            shape.accounts.insert(id, entry);
        }
    }
    while let Some(joined) = tasks.join_next().await {
        let (id, entry) = joined.unwrap();
        shape.accounts.insert(id, entry);
    }
    shape
}

/// The same organization through the launcher's bulk route: two requests after
/// `CreateOrganization`.
pub async fn seed_in_bulk(moto: &Moto, client: &Client, accounts: usize) -> Shape {
    let (_, root) = super::seed::new_organization(client).await;
    let wire_tag = |(k, v): &(String, String)| json!([{"Key": k, "Value": v}]);
    let ous: Vec<_> = (0..ou_count(accounts)).map(ou_spec).collect();
    let request = json!({"OrganizationalUnits": ous.iter().map(|(name, tag)| json!({
        "ParentId": root, "Name": name, "Tags": wire_tag(tag)
    })).collect::<Vec<_>>()});
    let ou_ids = ids(&post_bulk(moto.port, &request), "OrganizationalUnits");
    let mut shape = Shape::default();
    for (id, (_, tag)) in ou_ids.iter().zip(ous) {
        shape.ous.insert(id.clone(), (root.clone(), tags_of(tag)));
    }
    let specs: Vec<_> = (0..accounts)
        .map(|n| account_spec(n, ou_ids.len()))
        .collect();
    let parent = |ou: &Option<usize>| ou.map_or(root.clone(), |i| ou_ids[i].clone());
    let request = json!({"Accounts": specs.iter().map(|(name, email, tag, ou)| json!({
        "AccountName": name, "Email": email, "Tags": wire_tag(tag), "ParentId": parent(ou)
    })).collect::<Vec<_>>()});
    let account_ids = ids(&post_bulk(moto.port, &request), "Accounts");
    for (id, (_, _, tag, ou)) in account_ids.into_iter().zip(specs) {
        shape.accounts.insert(id, (parent(&ou), tags_of(tag)));
    }
    shape
}

/// The measurements' organization: `ORGNAV_MEASURE_ACCOUNTS` accounts (default 2,000), seeded
/// in bulk; says on stderr how long that took.
pub async fn seed_for_measurement(moto: &Moto) -> Shape {
    let accounts: usize = std::env::var("ORGNAV_MEASURE_ACCOUNTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000);
    let started = std::time::Instant::now();
    let seeded = seed_in_bulk(moto, &moto.organizations().await, accounts).await;
    eprintln!(
        "seeded {accounts} accounts, {} OUs in moto in {:.0} s",
        seeded.ous.len(),
        started.elapsed().as_secs_f64()
    );
    seeded
}

fn ids(answer: &Value, key: &str) -> Vec<String> {
    answer[key]
        .as_array()
        .unwrap_or_else(|| panic!("bulk seed answered {answer}"))
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// One request to the launcher's bulk route (plain HTTP/1.1 on loopback).
fn post_bulk(port: u16, request: &Value) -> Value {
    let body = request.to_string();
    let mut conn = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        conn,
        "POST /_orgnav/organizations/bulk HTTP/1.1\r\nHost: 127.0.0.1\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    let (_, json) = answer.split_once("\r\n\r\n").unwrap();
    serde_json::from_str(json).unwrap_or_else(|e| panic!("bulk seed answered {answer:?}: {e}"))
}
