"""Slow clients cannot hold the server's connections: header and body deadlines, and a cap
per client address, against a real waitress server on loopback."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import requests


@pytest.fixture
def app_config():
    return {"HEADER_TIMEOUT": 1.0, "READ_TIMEOUT": 2.0, "IDLE_TIMEOUT": 5.0,
            "CONNECTION_LIMIT": 60, "CLIENT_CONNECTIONS": 55}


def _connect(base: str) -> socket.socket:
    host, port = base.rsplit("/", 1)[1].split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    """Whether the server closes the connection within ``seconds`` (nothing is answered)."""
    sock.settimeout(seconds)
    try:
        return sock.recv(1024) == b""
    except (socket.timeout, TimeoutError):
        return False
    except ConnectionError:
        return True


def test_fifty_slow_clients_do_not_delay_a_normal_request(live_server):
    slow = [_connect(live_server) for _ in range(50)]
    stop = threading.Event()

    def drip() -> None:  # one header line every 0.3 s, never the end of the headers
        for s in slow:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        n = 0
        while not stop.is_set():
            for s in slow:
                try:
                    s.sendall(b"X-Slow-%d: 1\r\n" % n)
                except OSError:
                    pass
            n += 1
            stop.wait(0.3)

    dripping = threading.Thread(target=drip, daemon=True)
    dripping.start()
    try:
        for _ in range(3):
            started = time.monotonic()
            assert requests.get(live_server + "/health", timeout=10).status_code == 200
            assert time.monotonic() - started < 1.0
            time.sleep(0.4)
        # past the header deadline (1 s here) the slow connections are closed
        time.sleep(1.5)
        assert all(_closed_within(s, 2.0) for s in slow)
    finally:
        stop.set()
        dripping.join()
        for s in slow:
            s.close()


def test_a_body_that_never_arrives_is_cut_off(live_server):
    s = _connect(live_server)
    s.sendall(b"POST /api/validate HTTP/1.1\r\nHost: x\r\nContent-Type: text/turtle\r\n"
              b"Content-Length: 100000\r\n\r\n")
    started = time.monotonic()
    for _ in range(20):  # a byte every 0.2 s: never idle, never done
        try:
            s.sendall(b"#")
        except OSError:
            break
        time.sleep(0.2)
        if time.monotonic() - started > 3.5:
            break
    assert _closed_within(s, 2.0)
    assert time.monotonic() - started < 6
    s.close()


@pytest.mark.parametrize("app_config", [{"CLIENT_CONNECTIONS": 3, "HEADER_TIMEOUT": 30.0}])
def test_connections_per_client_are_capped(live_server, app_config):
    held = [_connect(live_server) for _ in range(3)]
    for s in held:
        s.sendall(b"GET /health HTTP/1.1\r\n")
    time.sleep(0.2)
    extra = _connect(live_server)
    extra.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
    assert _closed_within(extra, 3.0)
    extra.close()
    for s in held:
        s.close()
    time.sleep(0.3)
    assert requests.get(live_server + "/health", timeout=10).status_code == 200
