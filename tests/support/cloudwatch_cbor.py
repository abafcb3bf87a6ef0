"""Serves CloudWatch's Smithy RPC v2 CBOR protocol on moto, which speaks only Query/JSON.

The Rust SDK's CloudWatch client (aws-sdk-cloudwatch >= 1.1xx) posts CBOR to
`/service/GraniteServiceVersion20100801/operation/<Operation>`; moto 5.x answers 404 there.
This adaptor decodes the request (with the `cbor2` package, installed next to moto by
scripts/test), calls moto's own CloudWatch backend (so data put through
the Query protocol and through CBOR is the same data), and encodes the answer as AWS does:
`application/cbor`, `smithy-protocol: rpc-v2-cbor`, timestamps as CBOR tag 1 (epoch seconds).
Only the operations orgnav and its tests use are mapped: PutMetricData and GetMetricData.
"""

from datetime import datetime, timezone

import cbor2
from moto.cloudwatch import urls as cloudwatch_urls
from moto.cloudwatch.responses import CloudWatchResponse

PATH = "{0}/service/GraniteServiceVersion20100801/operation/(?P<operation>[A-Za-z]+)$"


def _naive_utc(value):
    """cbor2 reads tag 1 as an aware datetime; moto keeps naive UTC datetimes."""
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    if isinstance(value, list):
        return [_naive_utc(v) for v in value]
    if isinstance(value, dict):
        return {k: _naive_utc(v) for k, v in value.items()}
    return value


def decode(data):
    return _naive_utc(cbor2.loads(data)) if data else {}


def encode(value):
    # Timestamps as tag 1 (epoch seconds), naive ones read as UTC, as AWS writes them.
    return cbor2.dumps(value, datetime_as_timestamp=True, timezone=timezone.utc)


# --- the operations -----------------------------------------------------------------------


def _put_metric_data(backend, params):
    backend.put_metric_data(params.get("Namespace"), params.get("MetricData", []))
    return {}


def _get_metric_data(backend, params):
    results = backend.get_metric_data(
        queries=params.get("MetricDataQueries", []),
        start_time=params["StartTime"],
        end_time=params["EndTime"],
        scan_by=params.get("ScanBy") or "TimestampAscending",
    )
    return {
        "MetricDataResults": [
            {
                "Id": r["id"],
                "Label": r["label"],
                "Timestamps": list(r["timestamps"]),
                "Values": [float(v) for v in r["values"]],
                "StatusCode": r["status_code"],
            }
            for r in results
        ],
        "Messages": [],
    }


OPERATIONS = {"PutMetricData": _put_metric_data, "GetMetricData": _get_metric_data}
HEADERS = {"Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"}


class CborCloudWatchResponse(CloudWatchResponse):
    @classmethod
    def cbor_dispatch(cls, request, full_url, headers):
        self = cls()
        self.setup_class(request, full_url, headers, use_raw_body=True)
        operation = full_url.rstrip("/").rsplit("/", 1)[-1]
        handler = OPERATIONS.get(operation)
        if handler is None:
            body = {"__type": "UnknownOperationException", "message": operation}
            return 404, HEADERS, encode(body)
        try:
            out = handler(self.cloudwatch_backend, decode(self.raw_body))
        except Exception as e:  # moto's validation errors carry an AWS error code
            code = getattr(e, "error_type", None) or getattr(e, "code", None) or type(e).__name__
            body = {"__type": str(code), "message": str(getattr(e, "message", e))}
            return 400, HEADERS, encode(body)
        return 200, HEADERS, encode(out)


def install():
    cloudwatch_urls.url_paths[PATH] = CborCloudWatchResponse.cbor_dispatch
