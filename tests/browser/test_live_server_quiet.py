"""The browser tests' teardown waits for the live server to finish serving before the database is flushed.

A connection still being served when a test ended once failed CI: the flush met "database table is locked:
django_session" on in-memory SQLite, whose connection the server's threads share with the test."""

import socket
import time
from urllib.parse import urlsplit


def _wait_for(condition, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_a_connection_in_the_middle_of_a_request_keeps_the_server_busy_until_it_ends(site, in_flight):
    address = urlsplit(site.base_url)
    with socket.create_connection((address.hostname, address.port), timeout=5) as sock:
        sock.sendall(b"GET /cuenta/ingresar/ HTTP/1.1\r\nHost: localhost\r\n")  # the headers are not finished
        assert _wait_for(lambda: in_flight.count == 1), "the server never started serving the connection"
        assert in_flight.wait_quiet(timeout=0.3) is False
    assert in_flight.wait_quiet(timeout=5) is True
    assert in_flight.count == 0


def test_a_finished_request_leaves_the_server_quiet(site, in_flight):
    address = urlsplit(site.base_url)
    with socket.create_connection((address.hostname, address.port), timeout=5) as sock:
        sock.sendall(b"GET /cuenta/ingresar/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200")
    assert in_flight.wait_quiet(timeout=5) is True
