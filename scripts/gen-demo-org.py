#!/usr/bin/env python3
"""Generate the fictional demo organization used by `orgnav --demo`.

Writes `assets/demo-org.json` (relative to the repository root, located from this
file's path) in the cache's own snapshot format, so it deserializes straight into
`model::org::Snapshot`. The output is deterministic: ids, join dates and emails come
from a fixed seed and the declaration order below, so reruns are byte-identical.

    python3 scripts/gen-demo-org.py

Stdlib only (Python 3.11+).
"""

from __future__ import annotations

import json
import random
import string
from datetime import datetime, timedelta, timezone
from pathlib import Path

SEED = 42
ORG_ID = "o-demo4x7k2p9q"
ROOT_ID = "r-demo"
FETCHED_AT = "2026-11-20T08:00:00Z"
EMAIL_DOMAIN = "example.com"

# Join dates are spread over this window (UTC, whole seconds).
JOIN_START = datetime(2019, 2, 1, tzinfo=timezone.utc)
JOIN_END = datetime(2026, 10, 31, tzinfo=timezone.utc)

# Per business unit: owner and cost center used for default account tags.
TEAMS = {
    "platform": ("platform-team@example.com", "CC-1001"),
    "security": ("secops@example.com", "CC-1007"),
    "network": ("netops@example.com", "CC-1003"),
    "payments": ("payments-team@example.com", "CC-1042"),
    "identity": ("identity-team@example.com", "CC-1055"),
    "search": ("search-team@example.com", "CC-1061"),
    "data": ("data-platform@example.com", "CC-1078"),
    "finance": ("Finance Ops", "CC-0001"),
}


def acct(name, env=None, team=None, *, slug=None, status="ACTIVE", tags=None,
         env_key="Environment", notags=False):
    """Declare an account.

    env      value of the environment tag (None: no environment tag)
    team     key into TEAMS for Owner/CostCenter (None: no Owner/CostCenter)
    slug     ASCII part of the email address (defaults to the name)
    tags     extra tags merged over the defaults
    env_key  "Environment" or the sloppy lowercase "env"
    notags   no tags at all
    """
    t = {}
    if not notags:
        if env is not None:
            t[env_key] = env
        if team is not None:
            owner, cc = TEAMS[team]
            t["Owner"] = owner
            t["CostCenter"] = cc
        t.update(tags or {})
    return {"name": name, "slug": slug or name, "status": status, "tags": t}


def ou(name, children=(), accounts=(), tags=None):
    return {"name": name, "children": list(children), "accounts": list(accounts),
            "tags": dict(tags or {})}


# --------------------------------------------------------------------------------------
# The organization, declared top-down. Order here is the order in the output.
# --------------------------------------------------------------------------------------

ROOT_ACCOUNTS = [
    acct("acme-management", "prod", "finance", slug="management",
         tags={"Purpose": "organization-management"}),
    acct("billing-consolidated", "production", "finance"),
    acct("legacy-main", notags=True),
]

TREE = [
    ou("Security", tags={"Owner": "secops@example.com"}, accounts=[
        acct("log-archive", "prod", "security"),
        acct("audit", "prod", "security"),
        acct("security-tooling", "prod", "security", tags={"Compliance": "SOC2"}),
        acct("incident-response", "prod", "security"),
    ]),
    ou("Infrastructure", tags={"Owner": "platform-team@example.com"}, children=[
        ou("Networking", accounts=[
            acct("network-prod", "prod", "network"),
            acct("network-nonprod", "dev", "network"),
        ]),
        ou("Shared Services", accounts=[
            acct("shared-services", "prod", "platform"),
            acct("ci-cd", "prod", "platform"),
            acct("artifact-registry", "production", "platform"),
            acct("dns-central", "prod", "platform", env_key="env"),
            acct("observability", "prod", "platform"),
            acct("backup-central", "production", "platform"),
        ]),
    ]),
    ou("Workloads", children=[
        ou("Prod", tags={"Environment": "prod"}, children=[
            ou("Payments", tags={"Compliance": "PCI-DSS"}, accounts=[
                acct("payments-prod", "prod", "payments", tags={"Compliance": "PCI-DSS"}),
                acct("ledger-primary", "production", "payments",
                     tags={"Compliance": "PCI-DSS"}),
                acct("決済-本番", "prod", "payments", slug="payments-jp-prod",
                     tags={"Region": "ap-northeast-1"}),
                acct("fraud-detection", "Production", "payments"),
            ]),
            ou("Identity", accounts=[
                acct("identity-prod", "prod", "identity"),
                acct("sso-gateway", "production", "identity"),
            ]),
            ou("Search", accounts=[
                acct("search-prod", "prod", "search"),
                acct("search-indexer-prod", "prod", "search", env_key="env"),
            ]),
            ou("Data Platform", accounts=[
                acct("data-lake-prod", "prod", "data",
                     tags={"DataClassification": "confidential"}),
            ], children=[
                ou("Analytics", accounts=[
                    acct("analytics-prod", "prod", "data"),
                    acct("Zürich-analytics-prod", "prod", "data", slug="zurich-analytics-prod",
                         tags={"Region": "eu-central-2"}),
                ], children=[
                    ou("Streaming", tags={"Tier": "realtime"}, accounts=[
                        acct("streaming-prod", "prod", "data"),
                        acct("kinesis-ingest", "prod", "data", env_key="env"),
                    ]),
                ]),
            ]),
        ]),
        ou("Staging", tags={"Environment": "staging"}, children=[
            ou("Payments", accounts=[
                acct("payments-staging", "staging", "payments"),
                acct("ledger-staging", "staging", "payments"),
            ]),
            ou("Identity", accounts=[
                acct("identity-staging", "staging", "identity"),
            ]),
            ou("Search", accounts=[
                acct("search-staging", "staging", "search"),
                acct("shared-tools", "staging", "search", slug="search-shared-tools-staging"),
            ]),
            ou("Data Platform", accounts=[
                acct("data-lake-staging", "staging", "data"),
                acct("analytics-staging", "staging", "data"),
            ]),
        ]),
        ou("Dev", tags={"Environment": "dev"}, children=[
            ou("Payments", accounts=[
                acct("payments-dev", "dev", "payments"),
                acct("ledger-dev", "dev", "payments", env_key="env"),
            ]),
            ou("Identity", accounts=[
                acct("identity-dev", "dev", "identity"),
                acct("auth-experiments", "dev", "identity"),
            ]),
            ou("Search", accounts=[
                acct("search-dev", "dev", "search"),
                acct("shared-tools", "dev", "search", slug="search-shared-tools-dev"),
            ]),
            ou("Data Platform", accounts=[
                acct("data-lake-dev", "dev", "data"),
                acct("数据平台-开发", "dev", "data", slug="data-platform-cn-dev"),
                acct("équipe-données-dev", "dev", "data", slug="equipe-donnees-dev"),
            ]),
        ]),
    ]),
    ou("Sandbox", tags={"Environment": "sandbox", "AutoCleanup": "true"}, accounts=[
        acct(f"sandbox-{who}", "sandbox", None, tags={"Owner": f"{who}@example.com",
                                                       "CostCenter": "CC-9000"})
        for who in ["alice", "bob", "chen-wei", "dmitri", "eve", "farah", "gustavo",
                    "hana", "ivan", "jules", "kofi", "lucia", "mei"]
    ]),
    ou("Suspended", tags={"Purpose": "quarantine"}, accounts=[
        acct("legacy-reporting", "prod", "data", status="SUSPENDED"),
        acct("marketing-site-old", "prod", None, status="SUSPENDED",
             tags={"Owner": "marketing@example.com"}),
        acct("acquired-startup-prod", notags=True, status="SUSPENDED"),
        acct("poc-ml-training", "dev", "data", env_key="env", status="SUSPENDED"),
        acct("payments-legacy", "production", "payments", status="PENDING_CLOSURE"),
    ]),
    ou("Policy Staging"),
]


def build():
    rng = random.Random(SEED)
    used_ou_ids = set()
    used_account_ids = set()
    alnum = string.ascii_lowercase + string.digits

    def new_ou_id():
        while True:
            oid = "ou-demo-" + "".join(rng.choice(alnum) for _ in range(8))
            if oid not in used_ou_ids:
                used_ou_ids.add(oid)
                return oid

    def new_account_id():
        while True:
            aid = f"{rng.randrange(10**12):012d}"
            if aid not in used_account_ids:
                used_account_ids.add(aid)
                return aid

    span = int((JOIN_END - JOIN_START).total_seconds())

    def joined():
        t = JOIN_START + timedelta(seconds=rng.randrange(span))
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")

    ous = [{"id": ROOT_ID, "name": "Root", "tags": {}}]
    accounts = []

    def emit_accounts(specs, parent_id):
        for spec in specs:
            accounts.append({
                "id": new_account_id(),
                "name": spec["name"],
                "email": f"aws+{spec['slug']}@{EMAIL_DOMAIN}",
                "status": spec["status"],
                "joined": joined(),
                "parent_id": parent_id,
                "tags": dict(sorted(spec["tags"].items())),
            })

    def emit_ou(node, parent_id):
        oid = new_ou_id()
        ous.append({"id": oid, "name": node["name"], "parent_id": parent_id,
                    "tags": dict(sorted(node["tags"].items()))})
        emit_accounts(node["accounts"], oid)
        for child in node["children"]:
            emit_ou(child, oid)

    emit_accounts(ROOT_ACCOUNTS, ROOT_ID)
    for node in TREE:
        emit_ou(node, ROOT_ID)

    # The management account is the oldest one in any real organization.
    mgmt = accounts[0]
    mgmt["joined"] = "2018-06-12T09:30:00Z"

    return {
        "version": 1,
        "fetched_at": FETCHED_AT,
        "org": {
            "id": ORG_ID,
            "management_account_id": mgmt["id"],
            "root_id": ROOT_ID,
            "ous": ous,
            "accounts": accounts,
            "tags_loaded": True,
        },
    }


def main():
    repo = Path(__file__).resolve().parent.parent
    out = repo / "assets" / "demo-org.json"
    snapshot = build()
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        json.dump(snapshot, f, indent=1, ensure_ascii=False)
        f.write("\n")
    org = snapshot["org"]
    print(f"wrote {out.relative_to(repo)}: {len(org['ous'])} OUs (incl. root), "
          f"{len(org['accounts'])} accounts")


if __name__ == "__main__":
    main()
