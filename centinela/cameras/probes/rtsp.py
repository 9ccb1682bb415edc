"""The RTSP probe: OPTIONS then DESCRIBE on the stream URL (authenticated when asked), ok when the SDP has a video
track."""

from __future__ import annotations

from centinela.cameras.probes.auth import Authenticator
from centinela.cameras.probes.outcome import RTSP, ProbeFailure, ProbeOutcome, run_probe
from centinela.cameras.probes.wire import (
    MAX_RTSP_BODY,
    USER_AGENT,
    Response,
    Target,
    close_quietly,
    connect_within_policy,
    read_body,
    read_head,
)


async def probe_rtsp(
    url: str,
    username: str | None = None,
    password: str | None = None,
    timeout: float = 5.0,
    *,
    policy=None,
    auth_scheme: str = "",
) -> ProbeOutcome:
    """RTSP OPTIONS then DESCRIBE; ok when DESCRIBE answers 200 with an SDP that has an m=video line. Every request
    goes to the URL's own host (RTSP redirects, 3xx, are a failure, never followed)."""

    async def body():
        target = Target(url, ("rtsp", "rtsps"))
        auth = Authenticator(username, password, auth_scheme)  # never a user:pass@ written in the URL
        reader = writer = None
        cseq = 0

        async def request(method: str, extra: str = "") -> Response:
            nonlocal reader, writer
            reused = writer is not None and not writer.is_closing() and not reader.at_eof()
            if not reused:
                close_quietly(writer)
                reader, writer = await connect_within_policy(target.host, target.port, target.tls, policy)
            try:
                return await exchange(method, extra)
            except (ProbeFailure, ConnectionResetError, BrokenPipeError) as exc:
                # the server closed the connection after its last answer without saying so: ask on a new one
                if not reused or (isinstance(exc, ProbeFailure) and exc.code != "closed_no_answer"):
                    raise
                close_quietly(writer)
                reader, writer = await connect_within_policy(target.host, target.port, target.tls, policy)
                return await exchange(method, extra)

        async def exchange(method: str, extra: str) -> Response:
            nonlocal cseq
            cseq += 1
            head = f"{method} {target.uri} RTSP/1.0\r\nCSeq: {cseq}\r\nUser-Agent: {USER_AGENT}\r\n{extra}"
            authorization = auth.header(method, target.uri)
            if authorization:
                head += f"Authorization: {authorization}\r\n"
            writer.write((head + "\r\n").encode("latin-1"))
            await writer.drain()
            response = await read_head(reader, "RTSP")
            response.body = await read_body(reader, response, MAX_RTSP_BODY, until_eof=False)
            if response.closes:
                close_quietly(writer)
            return response

        async def authenticated(method: str, extra: str = "") -> Response:
            response = await request(method, extra)
            if response.status == 401:
                if not auth.challenge(response):
                    raise ProbeFailure(
                        "unauthorized_no_credentials" if not auth.has_credentials else "unauthorized_unsupported"
                    )
                response = await request(method, extra)
                if response.status == 401:
                    raise ProbeFailure("unauthorized")
            return response

        try:
            options = await authenticated("OPTIONS")
            if options.status >= 500:
                raise ProbeFailure("options_status", status=options.status, reason=options.reason.lower()[:80])
            describe = await authenticated("DESCRIBE", "Accept: application/sdp\r\n")
        finally:
            close_quietly(writer)
        if describe.status != 200:
            raise ProbeFailure("status", status=describe.status, reason=describe.reason.lower()[:80])
        ctype = describe.header("content-type").lower()
        if ctype and "sdp" not in ctype:
            raise ProbeFailure("not_sdp", ctype=ctype[:40])
        sdp = describe.body.decode("utf-8", "replace")
        lines = [line.strip() for line in sdp.splitlines()]
        if not lines or not lines[0].startswith("v="):
            raise ProbeFailure("no_sdp")
        video = [i for i, line in enumerate(lines) if line.startswith("m=video")]
        if not video:
            raise ProbeFailure("no_video")
        codec = ""
        for line in lines[video[0] + 1 :]:
            if line.startswith("m="):
                break
            if line.startswith("a=rtpmap:"):
                codec = line.split(" ", 1)[-1]
                break
        return "rtsp_ok", {"codec": (codec or lines[video[0]][8:])[:80], "auth": auth.scheme or ""}

    return await run_probe(RTSP, timeout, body)
