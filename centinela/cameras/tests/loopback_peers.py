"""Small real servers on loopback for the probes' security tests: each speaks just enough RTSP or HTTP, answers
with what the test's function says, and records every request it got (to prove what was, or was not, sent)."""

from __future__ import annotations

import socketserver
import threading


class Peer:
    """A TCP server on 127.0.0.x; `answer(request_line, headers, state) -> bytes` writes the reply. `requests`
    lists (request line, headers dict) of everything received; `connections` counts connections."""

    def __init__(self, answer, host: str = "127.0.0.1"):
        self.answer, self.requests, self.connections, self.state = answer, [], 0, {}
        peer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                peer.connections += 1
                while True:
                    line = self.rfile.readline(65536)
                    if not line:
                        return
                    headers = {}
                    while True:
                        h = self.rfile.readline(65536)
                        if h in (b"\r\n", b"\n", b""):
                            break
                        key, _, value = h.decode("latin-1").partition(":")
                        headers[key.strip().lower()] = value.strip()
                    if headers.get("content-length"):
                        self.rfile.read(int(headers["content-length"]))
                    request = line.decode("latin-1").strip()
                    peer.requests.append((request, headers))
                    self.wfile.write(peer.answer(request, headers, peer.state))
                    self.wfile.flush()
                    if headers.get("connection", "").lower() == "close":
                        return

        self.server = socketserver.ThreadingTCPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.host = host
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Peer:
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def authorizations(self) -> list[str]:
        return [h.get("authorization", "") for _r, h in self.requests if h.get("authorization")]


def reply(status: str, *headers: str, body: bytes = b"", protocol: str = "HTTP/1.1", cseq: str | None = None) -> bytes:
    head = [f"{protocol} {status}"]
    if cseq is not None:
        head.append(f"CSeq: {cseq}")
    head += list(headers)
    head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


DIGEST = 'WWW-Authenticate: Digest realm="cam", nonce="abc123", qop="auth", algorithm=MD5'
BASIC = 'WWW-Authenticate: Basic realm="cam"'
