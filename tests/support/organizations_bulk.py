"""Large organizations for measurements: a bulk route into moto's Organizations backend, and
an index that keeps moto's per-request cost flat as accounts grow.

Seeding 10,000 accounts through the API took hours: on every request moto finds the caller's
account from its access key by scanning the IAM backends of every account it knows
(`moto.iam.models.get_account_id_from`), and each created account has one (FakeAccount
creates its OrganizationAccountAccessRole there), in each of six partitions, which the scan
creates as it goes. A request cost O(accounts) — 60 ms at 10,000 accounts, more than a paced
crawl's 20 requests/s leave — and seeding O(accounts²). `install_account_index` scans only the
accounts whose IAM backends ever held an access key (the only ones where the key can be).

`POST /_orgnav/organizations/bulk` creates OUs and accounts by calling the backend's own
`create_organizational_unit`, `create_account` and `move_account` with the parameters their
API calls carry, so the result is what the API would build, without an HTTP round trip each:

    {"OrganizationalUnits": [{"ParentId": "r-…", "Name": "…", "Tags": [{"Key", "Value"}]}],
     "Accounts": [{"AccountName": "…", "Email": "…", "Tags": […], "ParentId": "ou-…"}]}
    → {"OrganizationalUnits": [ids, in order], "Accounts": [ids, in order]}

OUs are created first, so accounts may be placed in an OU of an earlier request. It acts on the
organization of moto's default account (where orgnav's test credentials land).
"""

import json

ROUTE = "/_orgnav/organizations/bulk"

# Accounts whose IAM backends ever created an access key.
KEYED_ACCOUNTS = set()


def install_account_index() -> None:
    import moto.iam.models as iam

    def remembering(create):
        def wrapped(self, *args, **kwargs):
            KEYED_ACCOUNTS.add(self.account_id)
            return create(self, *args, **kwargs)

        return wrapped

    iam.IAMBackend.create_access_key = remembering(iam.IAMBackend.create_access_key)
    iam.IAMBackend.create_temp_access_key = remembering(
        iam.IAMBackend.create_temp_access_key
    )

    def get_account_id_from(access_key: str) -> str:
        for account_id in list(KEYED_ACCOUNTS):
            # dict.values: the partitions' backends that exist; a missing one holds no key.
            for backend in list(dict.values(iam.iam_backends[account_id])):
                if access_key in backend.access_keys:
                    return account_id
        return iam.DEFAULT_ACCOUNT_ID

    iam.get_account_id_from = get_account_id_from


def bulk(request: dict) -> dict:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.organizations.models import organizations_backends

    backend = organizations_backends[DEFAULT_ACCOUNT_ID]["aws"]
    root = backend.org.root_id
    ous = [
        backend.create_organizational_unit(**ou)["OrganizationalUnit"]["Id"]
        for ou in request.get("OrganizationalUnits", [])
    ]
    accounts = []
    for account in request.get("Accounts", []):
        account = dict(account)
        parent = account.pop("ParentId", root)
        status = backend.create_account(**account)["CreateAccountStatus"]
        if parent != root:
            backend.move_account(
                AccountId=status["AccountId"],
                SourceParentId=root,
                DestinationParentId=parent,
            )
        accounts.append(status["AccountId"])
    return {"OrganizationalUnits": ous, "Accounts": accounts}


def install_route() -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    serve = DomainDispatcherApplication.__call__

    def routed(self, environ, start_response):
        if environ.get("PATH_INFO") != ROUTE or environ.get("REQUEST_METHOD") != "POST":
            return serve(self, environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        try:
            body = json.dumps(bulk(json.loads(environ["wsgi.input"].read(length))))
            status = "200 OK"
        except Exception as e:  # the test shows the reason, not a dropped connection
            body, status = json.dumps({"error": repr(e)}), "400 Bad Request"
        data = body.encode()
        start_response(
            status,
            [("Content-Type", "application/json"), ("Content-Length", str(len(data)))],
        )
        return [data]

    DomainDispatcherApplication.__call__ = routed


def install() -> None:
    install_account_index()
    install_route()
