//! Deterministic synthetic organizations for benchmarks and scale tests (no randomness crate:
//! a fixed linear congruential sequence is enough to vary names and shapes).

use super::org::{Account, AccountStatus, Org, Ou, Tags};

const SERVICES: &[&str] = &[
    "payments",
    "identity",
    "search",
    "ledger",
    "checkout",
    "catalog",
    "shipping",
    "analytics",
    "billing",
    "notifications",
    "ml-platform",
    "data-lake",
    "edge",
    "auth",
    "inventory",
    "pricing",
    "reviews",
    "media",
];
const ENVS: &[&str] = &["prod", "staging", "dev", "sandbox", "qa"];

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }
}

/// An organization with `accounts` accounts spread over `ous` OUs up to five levels deep.
pub fn org(accounts: usize, ous: usize) -> Org {
    let mut rng = Lcg(42);
    let mut all_ous = vec![Ou {
        id: "r-synt".into(),
        name: "Root".into(),
        parent_id: None,
        tags: Tags::new(),
        incomplete: None,
    }];
    let mut depth = vec![0usize];
    for i in 0..ous {
        // Parents are chosen among earlier OUs no deeper than level 4, so depth stays ≤ 5.
        let parent = loop {
            let p = rng.next() % all_ous.len();
            if depth[p] < 5 {
                break p;
            }
        };
        let name = format!("{} {}", SERVICES[rng.next() % SERVICES.len()], i);
        all_ous.push(Ou {
            id: format!("ou-synt-{i:08}"),
            name,
            parent_id: Some(all_ous[parent].id.clone()),
            tags: Tags::new(),
            incomplete: None,
        });
        depth.push(depth[parent] + 1);
    }
    let accounts = (0..accounts)
        .map(|i| {
            let service = SERVICES[rng.next() % SERVICES.len()];
            let env = ENVS[rng.next() % ENVS.len()];
            let parent = &all_ous[rng.next() % all_ous.len()];
            let mut tags = Tags::new();
            tags.insert("Environment".into(), env.into());
            tags.insert("Owner".into(), format!("team-{service}"));
            tags.insert("CostCenter".into(), format!("CC-{}", 1000 + i % 97));
            Account {
                id: format!("{:012}", 100_000_000_000u64 + i as u64 * 7919),
                name: format!("{service}-{env}-{i}"),
                email: format!("aws+{service}-{env}-{i}@example.com"),
                status: if i % 53 == 0 {
                    AccountStatus::Suspended
                } else {
                    AccountStatus::Active
                },
                joined: jiff::Timestamp::from_second(1_500_000_000 + i as i64 * 3600).ok(),
                parent_id: parent.id.clone(),
                tags,
            }
        })
        .collect();
    Org {
        id: "o-synthetic".into(),
        management_account_id: Some("100000000000".into()),
        root_id: "r-synt".into(),
        ous: all_ous,
        accounts,
        tags_loaded: true,
        sso_roles: Default::default(),
        tags_read: Default::default(),
    }
}

/// [`org`] with the awkward cases a listing must survive: names and tags outside ASCII
/// (capitals that lowercase to other lengths), a tag key holding `=`, values with spaces, every
/// status, an account of the root, an OU whose listing was partial, an account whose parent is
/// unknown, and a slash in an OU name.
pub fn odd_org(accounts: usize, ous: usize) -> Org {
    let mut org = org(accounts.max(8), ous.max(3));
    let odd_names = [
        "Zürich-PROD",
        "İstanbul-dev",
        "東京-prod-ログ",
        "ÅNGSTRÖM sandbox",
    ];
    for (a, name) in org.accounts.iter_mut().zip(odd_names) {
        a.name = name.into();
    }
    let statuses = [
        AccountStatus::PendingActivation,
        AccountStatus::PendingClosure,
        AccountStatus::Closed,
        AccountStatus::Unknown,
    ];
    for (a, status) in org.accounts.iter_mut().skip(4).zip(statuses) {
        a.status = status;
    }
    let a = &mut org.accounts[1];
    a.tags
        .insert("key=with=equals".into(), "a value with spaces".into());
    a.tags.insert("Ünïcode".into(), "Wert ß".into());
    org.accounts[2].tags.clear();
    org.accounts[3].parent_id = org.root_id.clone();
    org.accounts[5].parent_id = "ou-gone".into();
    org.ous[1].incomplete = Some("AccessDenied: organizations:ListChildren".into());
    org.ous[2].name = "a/b slashed".into();
    org.ous[2].tags.insert("Team".into(), "Plattform Ä".into());
    org
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Hierarchy;

    #[test]
    fn shape_is_as_asked_and_depth_bounded() {
        let org = org(1000, 50);
        assert_eq!(org.accounts.len(), 1000);
        assert_eq!(org.ous.len(), 51);
        let h = Hierarchy::new(org);
        assert_eq!(h.total_accounts(h.root()), 1000);
        assert!((0..h.ou_count()).all(|i| h.ou_path(i).len() <= 5));
    }
}
