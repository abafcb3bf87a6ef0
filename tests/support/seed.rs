//! Seeds an organization through the real Organizations API (on moto) and remembers what it
//! created, so tests compare orgnav's view against the seed rather than hard-coded values.

use std::collections::BTreeMap;

use aws_sdk_organizations::Client;
use aws_sdk_organizations::types::{OrganizationFeatureSet, Tag};

#[derive(Debug, Clone)]
pub struct SeededAccount {
    pub id: String,
    pub name: String,
    pub email: String,
    /// OU names from the root down to the parent (root excluded).
    pub path: Vec<String>,
    pub status: &'static str,
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Default)]
pub struct Seeded {
    pub root_id: String,
    pub org_id: String,
    /// OU path ("A/B") → OU id.
    pub ous: BTreeMap<String, String>,
    pub accounts: Vec<SeededAccount>,
}

impl Seeded {
    pub fn account(&self, name: &str) -> &SeededAccount {
        self.accounts.iter().find(|a| a.name == name).unwrap()
    }
}

fn tag(k: &str, v: &str) -> Tag {
    Tag::builder().key(k).value(v).build().unwrap()
}

impl Seeded {
    async fn add_ou(&mut self, client: &Client, path: &str) -> String {
        if let Some(id) = self.ous.get(path) {
            return id.clone();
        }
        let (parent_path, name) = path.rsplit_once('/').unwrap_or(("", path));
        let parent = if parent_path.is_empty() {
            self.root_id.clone()
        } else {
            Box::pin(self.add_ou(client, parent_path)).await
        };
        let out = client
            .create_organizational_unit()
            .parent_id(parent)
            .name(name)
            .send()
            .await
            .unwrap();
        let id = out.organizational_unit().unwrap().id().unwrap().to_string();
        self.ous.insert(path.to_string(), id.clone());
        id
    }

    async fn add_account(
        &mut self,
        client: &Client,
        name: &str,
        path: &str,
        tags: &[(&str, &str)],
    ) -> String {
        let email = format!(
            "aws+{}-{}@example.com",
            self.accounts.len(),
            name.replace(|c: char| !c.is_ascii_alphanumeric(), "x")
        );
        let out = client
            .create_account()
            .account_name(name)
            .email(&email)
            .set_tags(Some(tags.iter().map(|(k, v)| tag(k, v)).collect()))
            .send()
            .await
            .unwrap();
        let id = out
            .create_account_status()
            .unwrap()
            .account_id()
            .unwrap()
            .to_string();
        if !path.is_empty() {
            let parent = self.add_ou(client, path).await;
            client
                .move_account()
                .account_id(&id)
                .source_parent_id(&self.root_id)
                .destination_parent_id(parent)
                .send()
                .await
                .unwrap();
        }
        self.accounts.push(SeededAccount {
            id: id.clone(),
            name: name.to_string(),
            email,
            path: if path.is_empty() {
                vec![]
            } else {
                path.split('/').map(String::from).collect()
            },
            status: "ACTIVE",
            tags: tags
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        });
        id
    }
}

/// The organization every crawl test reads: nested OUs five deep, accounts at the root,
/// suspended accounts, duplicate names in different OUs, Unicode names, more than 20 children
/// under one parent (accounts and OUs), an empty OU, tags on accounts and OUs.
pub async fn seed_org(client: &Client) -> Seeded {
    let (org_id, root_id) = new_organization(client).await;
    let mut s = Seeded {
        org_id,
        root_id,
        ..Seeded::default()
    };

    s.add_account(client, "root-tools", "", &[("Owner", "platform")])
        .await;
    s.add_account(
        client,
        "ledger-primary",
        "",
        &[("Environment", "production")],
    )
    .await;
    s.add_account(
        client,
        "payments-prod",
        "Workloads/Prod/Payments",
        &[("Environment", "prod"), ("CostCenter", "CC-1042")],
    )
    .await;
    s.add_account(
        client,
        "payments-dev",
        "Workloads/Dev/Payments",
        &[("env", "dev")],
    )
    .await;
    s.add_account(client, "shared-tools", "Workloads/Prod/Payments", &[])
        .await;
    s.add_account(client, "shared-tools", "Workloads/Dev/Payments", &[])
        .await;
    s.add_account(
        client,
        "deep-stream-prod",
        "L1/L2/L3/L4/L5",
        &[("Team", "Streaming")],
    )
    .await;
    s.add_account(client, "数据平台-开发", "Workloads/Dev", &[])
        .await;
    s.add_account(
        client,
        "équipe-données",
        "Workloads/Dev",
        &[("Owner", "Zoé")],
    )
    .await;
    for i in 0..23 {
        s.add_account(client, &format!("sandbox-{i:02}"), "Sandbox", &[])
            .await;
    }
    for i in 0..21 {
        s.add_ou(client, &format!("Many/Team {i:02}")).await;
    }
    s.add_ou(client, "Empty").await;
    for name in ["old-project", "retired-app"] {
        let id = s.add_account(client, name, "Suspended", &[]).await;
        client.close_account().account_id(&id).send().await.unwrap();
        s.accounts.last_mut().unwrap().status = "SUSPENDED";
    }
    let prod = s.ous["Workloads/Prod"].clone();
    client
        .tag_resource()
        .resource_id(prod)
        .tags(tag("Environment", "prod"))
        .send()
        .await
        .unwrap();
    s
}

/// A new organization with all features: (organization ID, root ID).
pub async fn new_organization(client: &Client) -> (String, String) {
    let org = client
        .create_organization()
        .feature_set(OrganizationFeatureSet::All)
        .send()
        .await
        .unwrap();
    let roots = client.list_roots().send().await.unwrap();
    (
        org.organization().unwrap().id().unwrap().to_string(),
        roots.roots()[0].id().unwrap().to_string(),
    )
}
