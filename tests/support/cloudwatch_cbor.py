"""Serves CloudWatch's Smithy RPC v2 CBOR protocol on moto, which speaks only Query/JSON.

The Rust SDK's CloudWatch client (aws-sdk-cloudwatch >= 1.1xx) posts CBOR to
`/service/GraniteServiceVersion20100801/operation/<Operation>`; moto 5.x answers 404 there.
This adaptor decodes the request, calls moto's own CloudWatch backend (so data put through
the Query protocol and through CBOR is the same data), and encodes the answer as AWS does:
`application/cbor`, `smithy-protocol: rpc-v2-cbor`, timestamps as CBOR tag 1 (epoch seconds).
Only the operations orgnav and its tests use are mapped: PutMetricData and GetMetricData.
"""

import struct
from datetime import datetime, timezone

from moto.cloudwatch import urls as cloudwatch_urls
from moto.cloudwatch.responses import CloudWatchResponse

PATH = "{0}/service/GraniteServiceVersion20100801/operation/(?P<operation>[A-Za-z]+)$"
BREAK = object()


# --- a minimal CBOR codec (RFC 8949): what Smithy RPC v2 uses, nothing more ---------------


def _argument(data, i, info):
    if info < 24:
        return info, i
    size = {24: 1, 25: 2, 26: 4, 27: 8}.get(info)
    if size is None:
        return None, i  # indefinite length
    return int.from_bytes(data[i : i + size], "big"), i + size


def _item(data, i):
    head = data[i]
    i += 1
    major, info = head >> 5, head & 31
    if major == 7:
        if info == 20:
            return False, i
        if info == 21:
            return True, i
        if info in (22, 23):
            return None, i
        if info == 25:
            return struct.unpack(">e", data[i : i + 2])[0], i + 2
        if info == 26:
            return struct.unpack(">f", data[i : i + 4])[0], i + 4
        if info == 27:
            return struct.unpack(">d", data[i : i + 8])[0], i + 8
        if info == 31:
            return BREAK, i
        raise ValueError(f"unsupported simple value {info}")
    arg, i = _argument(data, i, info)
    if major == 0:
        return arg, i
    if major == 1:
        return -1 - arg, i
    if major in (2, 3):
        if arg is None:
            chunks = []
            while True:
                chunk, i = _item(data, i)
                if chunk is BREAK:
                    break
                chunks.append(chunk)
            return ("" if major == 3 else b"").join(chunks), i
        raw = bytes(data[i : i + arg])
        return (raw.decode("utf-8") if major == 3 else raw), i + arg
    if major == 4:
        out = []
        while arg is None or len(out) < arg:
            v, i = _item(data, i)
            if v is BREAK:
                break
            out.append(v)
        return out, i
    if major == 5:
        out = {}
        while arg is None or len(out) < arg:
            k, i = _item(data, i)
            if k is BREAK:
                break
            out[k], i = _item(data, i)
        return out, i
    if major == 6:
        v, i = _item(data, i)
        if arg == 1:
            # moto keeps naive UTC datetimes
            return datetime.fromtimestamp(v, timezone.utc).replace(tzinfo=None), i
        return v, i
    raise ValueError(f"unsupported major type {major}")


def decode(data):
    if not data:
        return {}
    value, _ = _item(bytes(data), 0)
    return value


def _head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise ValueError("integer too large")


def encode(v):
    if v is None:
        return b"\xf6"
    if v is True:
        return b"\xf5"
    if v is False:
        return b"\xf4"
    if isinstance(v, int):
        return _head(0, v) if v >= 0 else _head(1, -1 - v)
    if isinstance(v, float):
        return b"\xfb" + struct.pack(">d", v)
    if isinstance(v, datetime):
        aware = v if v.tzinfo else v.replace(tzinfo=timezone.utc)
        return b"\xc1" + encode(float(aware.timestamp()))
    if isinstance(v, str):
        raw = v.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(v, bytes):
        return _head(2, len(v)) + v
    if isinstance(v, (list, tuple)):
        return _head(4, len(v)) + b"".join(encode(x) for x in v)
    if isinstance(v, dict):
        return _head(5, len(v)) + b"".join(encode(k) + encode(x) for k, x in v.items())
    raise TypeError(f"cannot encode {type(v)}")


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
