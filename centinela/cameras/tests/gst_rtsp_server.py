"""A real RTSP peer for the probe tests: GStreamer's RTSP server serving a JPEG test stream on loopback.

The server half runs under Debian's python3 (it has PyGObject), not the project's venv:
    /usr/bin/python3 gst_rtsp_server.py --port 0 --path /test --auth digest --user admin --password secreto
prints "READY <port>" once it listens and serves until killed or until its stdin closes (so a crashed test never
leaves it behind). The tests use `gst_rtsp_server(...)` below, which starts it as a subprocess."""

import argparse
import contextlib
import os
import subprocess
import sys
import threading

SYSTEM_PYTHON = "/usr/bin/python3"
PIPELINE = (
    "( videotestsrc is-live=true ! video/x-raw,format=I420,width=320,height=240,framerate=5/1 ! jpegenc "
    "! rtpjpegpay name=pay0 pt=26 )"
)
CHECK = (
    "import gi; gi.require_version('Gst', '1.0'); gi.require_version('GstRtspServer', '1.0'); "
    "from gi.repository import Gst, GstRtspServer; Gst.init(None); "
    "assert all(Gst.ElementFactory.find(e) for e in ('videotestsrc', 'jpegenc', 'rtpjpegpay'))"
)


def unavailable_reason() -> str | None:
    """Why GStreamer's RTSP server cannot run here, or None when it can."""
    if not os.path.exists(SYSTEM_PYTHON):
        return f"{SYSTEM_PYTHON} is missing"
    try:
        done = subprocess.run([SYSTEM_PYTHON, "-c", CHECK], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"cannot run {SYSTEM_PYTHON}: {exc}"
    if done.returncode != 0:
        return (
            "GStreamer's RTSP server is not installed (apt-get install gir1.2-gst-rtsp-server-1.0 "
            "gstreamer1.0-plugins-base gstreamer1.0-plugins-good python3-gi): "
            + (done.stderr.strip().splitlines() or ["?"])[-1]
        )
    return None


@contextlib.contextmanager
def gst_rtsp_server(auth="none", user="admin", password="secreto", path="/test", start_timeout=20.0):
    """Start the server on a free loopback port; yields the port. Stopped (and reaped) on exit."""
    proc = subprocess.Popen(
        [
            SYSTEM_PYTHON,
            os.path.abspath(__file__),
            "--port",
            "0",
            "--path",
            path,
            "--auth",
            auth,
            "--user",
            user,
            "--password",
            password,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(start_timeout)
    try:
        if not line or not line[0].startswith("READY "):
            proc.kill()
            raise RuntimeError(f"GStreamer RTSP server did not start: {line[:1]} {proc.stderr.read()[-500:]}")
        yield int(line[0].split()[1])
    finally:
        try:
            proc.stdin.close()
        except OSError:
            pass
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        for stream in (proc.stdout, proc.stderr):
            stream.close()


def main():
    import gi

    gi.require_version("Gst", "1.0")
    gi.require_version("GstRtsp", "1.0")
    gi.require_version("GstRtspServer", "1.0")
    from gi.repository import GLib, Gst, GstRtsp, GstRtspServer

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--path", default="/test")
    parser.add_argument("--auth", choices=["none", "basic", "digest"], default="none")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="secreto")
    args = parser.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(PIPELINE)
    # not shared: a shared media being torn down after one DESCRIBE answers the next with 503 now and then
    factory.set_shared(False)

    if args.auth != "none":
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string("media.factory.role", "user")
        if args.auth == "basic":
            auth.set_supported_methods(GstRtsp.RTSPAuthMethod.BASIC)
            auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, args.password), token)
        else:
            auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
            auth.add_digest(args.user, args.password, token)
        server.set_auth(auth)
        factory.add_role_from_structure(
            Gst.Structure.new_from_string(
                "user, media.factory.access=(boolean)true, media.factory.construct=(boolean)true"
            )
        )

    server.get_mount_points().add_factory(args.path, factory)
    loop = GLib.MainLoop()
    if server.attach(None) == 0:
        print("ERROR could not listen", flush=True)
        sys.exit(1)
    print(f"READY {server.get_bound_port()}", flush=True)

    def watch_stdin():  # the parent test went away: stop
        try:
            sys.stdin.read()
        finally:
            GLib.idle_add(loop.quit)

    threading.Thread(target=watch_stdin, daemon=True).start()
    loop.run()


if __name__ == "__main__":
    main()
