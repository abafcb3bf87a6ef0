"""Starts a moto server on 127.0.0.1 (a free port) for orgnav's integration tests.

Prints "PORT <n>" once the server accepts connections, then serves until its stdin closes,
so the server never outlives the test process that started it.
"""

import os
import sys

from moto.moto_server.threaded_moto_server import ThreadedMotoServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cloudwatch_cbor  # noqa: E402  (all three need the path above)
import organizations_bulk  # noqa: E402
import servicequotas_ext  # noqa: E402


def add_latency(ms: float) -> None:
    """Benchmarks: every request waits `ms` first, like a round trip to AWS would."""
    import time

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    serve = DomainDispatcherApplication.__call__

    def delayed(self, environ, start_response):
        time.sleep(ms / 1000)
        return serve(self, environ, start_response)

    DomainDispatcherApplication.__call__ = delayed


def main() -> None:
    servicequotas_ext.install()
    cloudwatch_cbor.install()
    organizations_bulk.install()
    latency = float(os.environ.get("ORGNAV_MOTO_LATENCY_MS") or 0)
    if latency > 0:
        add_latency(latency)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    _, port = server.get_host_and_port()
    print(f"PORT {port}", flush=True)
    try:
        sys.stdin.read()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
