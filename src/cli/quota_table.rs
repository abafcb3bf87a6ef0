//! How `quotas` reads in a terminal and a pipe: the table of quota rows, and the warnings when
//! a `--service` or `--quota` filter matched nothing.

use std::collections::HashSet;

use super::table::{Column, Look, Paint, Table};
use crate::config::QuotasConfig;
use crate::quotas::format::{Level, bar, level, percent, usage_of};
use crate::quotas::{AccountQuotas, QuotaQuery, SweepRow};

/// Production account IDs, marked in the sweep.
pub type ProductionIds = HashSet<String>;

const ACCOUNT: Column = Column::shrinkable("ACCOUNT", 2);
const QUOTA_COLUMNS: [Column; 9] = [
    Column::fixed("REGION"),
    Column::shrinkable("SERVICE", 0),
    Column::shrinkable("QUOTA", 1),
    Column::fixed("CODE"),
    Column::right("USAGE"),
    Column::droppable("USED"),
    Column::right("%"),
    Column::fixed("LEVEL"),
    Column::fixed("NOTE"),
];

/// One row per quota, with the account's name and ID first when `with_account` (a sweep).
pub fn table(
    rows: &[SweepRow],
    config: &QuotasConfig,
    with_account: bool,
    production: &ProductionIds,
    look: &Look,
) -> String {
    let mut columns = Vec::with_capacity(11);
    if with_account {
        // The ID is never cut; on a narrow terminal it may go, unless a name is ambiguous.
        let id = if names_are_unique(rows) {
            Column::droppable("ID")
        } else {
            Column::fixed("ID")
        };
        columns.extend([ACCOUNT, id]);
    }
    columns.extend(QUOTA_COLUMNS);
    let mut table = Table::new(&columns);
    for r in rows {
        let q = &r.quota;
        let (mark, paint) = match level(q.utilization, config) {
            Level::Critical => ("CRIT", Paint::Critical),
            Level::Warn => ("WARN", Paint::Warn),
            _ => ("", Paint::Plain),
        };
        let mut cells = Vec::with_capacity(columns.len());
        if with_account {
            let name = if production.contains(&r.account_id) {
                Paint::Production
            } else {
                Paint::Plain
            };
            cells.push((r.account_name.clone(), name));
            cells.push((r.account_id.clone(), Paint::Plain));
        }
        let plain = |s: String| (s, Paint::Plain);
        cells.extend([
            plain(q.region.clone()),
            plain(q.service_code.clone()),
            plain(q.quota_name.clone()),
            plain(q.quota_code.clone()),
            plain(usage_of(q.usage, q.value)),
            (bar(q.utilization, 10), paint),
            plain(percent(q.utilization)),
            (mark.to_string(), paint),
            plain(if q.adjustable { "" } else { "fixed" }.to_string()),
        ]);
        table.push(cells);
    }
    table.render(look)
}

/// Whether every account name in `rows` names one account.
fn names_are_unique(rows: &[SweepRow]) -> bool {
    let mut ids: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    rows.iter()
        .all(|r| *ids.entry(&r.account_name).or_insert(&r.account_id) == r.account_id)
}

/// What a filter matched nothing of: service codes Service Quotas lists no quota for (in
/// every account and region that was read), and `--quota` codes found in none of them.
#[derive(Debug, Default, PartialEq)]
pub struct Unmatched {
    pub services: Vec<String>,
    pub codes: Vec<String>,
}

/// Judged only from reads that succeeded: a failed read says nothing about a service.
/// With `--quota` the listing is already narrowed to those codes, so a service without rows
/// may still exist: then only the codes are judged.
pub fn unmatched(query: &QuotaQuery, results: &[AccountQuotas]) -> Unmatched {
    let read: Vec<_> = results
        .iter()
        .filter_map(|r| r.result.as_ref().ok())
        .flatten()
        .collect();
    if results.iter().all(|r| r.result.is_err()) {
        return Unmatched::default();
    }
    let services = if query.codes.is_empty() {
        (query.services.iter())
            .filter(|s| !read.iter().any(|q| q.service_code.eq_ignore_ascii_case(s)))
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    let codes = (query.codes.iter())
        .filter(|c| !read.iter().any(|q| q.quota_code.eq_ignore_ascii_case(c)))
        .cloned()
        .collect();
    Unmatched { services, codes }
}

/// Every `--service` asked for is unknown: there is nothing to print but the error.
pub fn only_unknown_services(query: &QuotaQuery, results: &[AccountQuotas]) -> bool {
    !query.services.is_empty() && unmatched(query, results).services.len() == query.services.len()
}

/// Warns on stderr about what matched nothing; 2 when a service code is unknown (a typo is
/// a usage error), else 0.
pub fn warn_unmatched(query: &QuotaQuery, results: &[AccountQuotas]) -> u8 {
    let Unmatched { services, codes } = unmatched(query, results);
    for s in &services {
        crate::note!(
            "orgnav: unknown service code `{s}`: Service Quotas lists no quota for it \
             (codes are like ec2, lambda, vpc: `aws service-quotas list-services`)"
        );
    }
    for c in &codes {
        crate::note!(
            "orgnav: warning: no quota matched `{c}` in {}",
            query.services.join(", ")
        );
    }
    if services.is_empty() { 0 } else { 2 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quotas::demo::demo_quotas;

    fn query(services: &[&str], codes: &[&str]) -> QuotaQuery {
        QuotaQuery {
            services: services.iter().map(|s| s.to_string()).collect(),
            codes: codes.iter().map(|s| s.to_string()).collect(),
            regions: vec!["us-east-1".into()],
        }
    }

    fn read(q: &QuotaQuery, ok: bool) -> Vec<AccountQuotas> {
        vec![AccountQuotas {
            account_id: "111111111111".into(),
            account_name: "a".into(),
            region: "us-east-1".into(),
            result: if ok {
                Ok(demo_quotas("111111111111", "us-east-1", &q.services))
            } else {
                Err("denied".into())
            },
        }]
    }

    #[test]
    fn unknown_services_and_unmatched_codes() {
        let q = query(&["lambda", "nosuch"], &[]);
        let u = unmatched(&q, &read(&q, true));
        assert_eq!(u.services, vec!["nosuch".to_string()]);
        let q = query(&["lambda"], &["L-XXXX", "l-b99a9384"]);
        let u = unmatched(&q, &read(&q, true));
        assert_eq!(u.codes, vec!["L-XXXX".to_string()]);
        assert!(u.services.is_empty());
    }

    #[test]
    fn failed_reads_judge_nothing() {
        let q = query(&["nosuch"], &["L-XXXX"]);
        assert_eq!(unmatched(&q, &read(&q, false)), Unmatched::default());
    }
}
