"""The camera health monitor: one asyncio event loop that claims due devices from the database, probes them over
real protocols with bounded concurrency and per-device timeouts, and records the results, driving each device's
state machine (flap damping), outages, automatic tickets and alerts. Run by `manage.py monitor_cameras`.

Design:
- State lives in the database (Device health fields), so a restart loses nothing. A device is claimed for one
  probe (claimed_by/claimed_until) with `SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL and a compare-and-set
  UPDATE elsewhere (SQLite), so two monitors never probe the same device in the same round; a crashed monitor's
  claims expire and its devices are picked up again.
- The ORM never runs on the event loop: every database step is one call in the monitor's database thread
  (sync_to_async, thread-sensitive), done per batch; network I/O of alerts runs in worker threads.
- Flap damping: offline after `fail_after` consecutive failed rounds, online again after `recover_after` successes.
  While a change is being confirmed the device is re-probed sooner (interval / fail_after, at least 2 s) so the
  offline alert comes within two intervals plus the probe timeout.
- Retention of ProbeResult rows: every failed probe is kept, but a successful one only once per device every
  `success_every_s` (15 min by default) and at each change of health; prune_probe_results() drops old rows.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from centinela.cameras import alerts, probe_messages
from centinela.cameras.models import (
    MONITORED_STATES,
    Device,
    Lifecycle,
    MaintenanceTicket,
    Outage,
    ProbeResult,
)
from centinela.cameras.netpolicy import NetworkPolicy
from centinela.cameras.probes import CREDENTIAL_FAILURES, STRENGTH, DeviceSpec, ProbeOutcome, probe_device
from centinela.cameras.services import OPEN_TICKET, change_lifecycle, local_time_text
from centinela.lib import crypto

log = logging.getLogger("centinela.cameras.monitor")

HEARTBEAT_FILE = "monitor_heartbeat.json"
Health = Device.Health
DOWN = (Health.OFFLINE, Health.REJECTED)  # not answering, or answering but refusing the stored credentials


def credentials_refused(outcomes) -> bool:
    """Whether a failed round failed on credentials (the strongest configured probe was refused them, or they
    cannot be decrypted), not on the network: the device's state is then "rejected", its alert "rejected"."""
    outcomes = [o for o in outcomes if not o.ok]
    if not outcomes:
        return False
    strongest = min(outcomes, key=lambda o: STRENGTH.index(o.kind) if o.kind in STRENGTH else len(STRENGTH))
    return getattr(strongest, "code", "") in CREDENTIAL_FAILURES


def network_policy() -> NetworkPolicy:
    """The networks and ports the administrator lets the monitor connect to (settings; docs/settings.md)."""
    return NetworkPolicy.parse(settings.CAMERA_ALLOWED_NETWORKS, settings.CAMERA_ALLOWED_PORTS)


ProbeFn = Callable[[Any], Awaitable[list]]


def default_probe(timeout: float = 10.0) -> ProbeFn:
    """probes.probe_device with its own timeouts inside ours, so the monitor's per-device timeout always wins."""
    inner = max(1.0, timeout * 0.8)

    async def probe(spec: DeviceSpec):
        return await probe_device(spec, timeout=inner, tcp_timeout=min(3.0, inner))

    return probe


# --- the state machine --------------------------------------------------------------------------------------------


def device_up(outcomes) -> bool:
    """A device is reachable when its strongest configured probe works (RTSP > HTTP snapshot > ONVIF > TCP; see
    probes.device_state), or when it is only "degraded" (stream broken, snapshot fine)."""
    return verdict(outcomes)[0] != "down"


def strongest_kind(outcomes) -> str:
    kinds = [o.kind for o in outcomes]
    return min(kinds, key=lambda k: STRENGTH.index(k) if k in STRENGTH else len(STRENGTH)) if kinds else ""


def verdict(outcomes) -> tuple[str, str]:
    """("up" | "degraded" | "down", detail) for one round of outcomes, the detail in the site's language."""
    return probe_messages.state_text(list(outcomes))


def step(health: str, failures: int, successes: int, up: bool, fail_after: int, recover_after: int):
    """One round of the state machine -> (health, failures, successes, event) with event 'offline', 'online'
    (back from offline), 'first_online' (from unknown) or None. Pure, so it is tested on its own."""
    if up:
        failures, successes = 0, successes + 1
        if health == Health.UNKNOWN:
            return Health.ONLINE, failures, successes, "first_online"
        if health in DOWN and successes >= recover_after:
            return Health.ONLINE, failures, successes, "online"
        return health, failures, successes, None
    failures, successes = failures + 1, 0
    if health not in DOWN and failures >= fail_after:
        return Health.OFFLINE, failures, successes, "offline"
    return health, failures, successes, None


@dataclass
class Claimed:
    pk: int
    code: str
    interval_s: int
    health: str
    failures: int
    successes: int
    spec: Any


@dataclass
class Result:
    claimed: Claimed
    at: datetime
    outcomes: list
    elapsed_ms: float


@dataclass
class Stats:
    probed: int = 0
    offline_events: int = 0
    online_events: int = 0
    alerts_sent: int = 0
    seconds: float = 0.0
    events: list = field(default_factory=list)


def _latency(outcomes, up: bool) -> float | None:
    ok = [o.latency_ms for o in outcomes if o.ok and o.latency_ms is not None]
    return ok[0] if up and ok else None


class Monitor:
    def __init__(
        self,
        worker: str | None = None,
        *,
        probe: ProbeFn | None = None,
        concurrency: int = 200,
        fail_after: int = 3,
        recover_after: int = 2,
        claim_seconds: int = 120,
        probe_timeout: float = 10.0,
        batch_size: int = 500,
        success_every_s: int = 900,
        jitter: float = 0.05,
        executor=None,
        heartbeat: bool = True,
        retention_days: int = 90,
        policy: NetworkPolicy | None = None,
        behind_after_s: float = 30.0,
    ):
        if fail_after < 1 or recover_after < 1:
            raise ValueError("fail_after and recover_after must be at least 1")
        if claim_seconds < 3 * probe_timeout:
            raise ValueError("claim_seconds must be at least three probe timeouts")
        self.worker = (worker or f"{socket.gethostname()}:{os.getpid()}")[:64]
        self.probe = probe or default_probe(probe_timeout)
        self.concurrency = concurrency
        self.fail_after, self.recover_after = fail_after, recover_after
        self.claim_seconds, self.probe_timeout = claim_seconds, probe_timeout
        self.batch_size, self.success_every_s, self.jitter = batch_size, success_every_s, jitter
        self.heartbeat = heartbeat
        self.retention_days = retention_days
        self.executor = executor
        # where probes may connect: read once at start, so a bad setting stops the monitor at once, loudly
        self.policy = policy if policy is not None else network_policy()
        # schedule lag: how late due probes are claimed (seconds after their next_probe_at), worst since the last
        # heartbeat; "behind" beyond behind_after_s (many peers hanging until their timeout, too many cameras)
        self.behind_after_s = behind_after_s
        self.lag_s = 0.0
        self.behind = False
        self._worst_lag = 0.0
        self.started_at = None
        self._kept_success: dict[int, datetime] = {}
        self._sem: asyncio.Semaphore | None = None
        self.totals = Stats()

    # -- database steps (sync, run in the database thread) -----------------------------------------------------

    async def db(self, fn, *args, **kwargs):
        if self.executor is not None:  # a thread of our own (its own connection): used to run two monitors at once
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self.executor, lambda: fn(*args, **kwargs))
        return await sync_to_async(fn, thread_sensitive=True)(*args, **kwargs)

    def due(self, now, due_by=None):
        return (
            Device.objects.filter(lifecycle__in=MONITORED_STATES)
            .filter(Q(next_probe_at__isnull=True) | Q(next_probe_at__lte=due_by or now))
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        )

    def claim(self, limit: int | None = None, now=None, due_by=None) -> list[Claimed]:
        """Claim up to `limit` due devices for this worker; no other monitor gets them until released or expired.
        `due_by`: only devices due by then (a single round: those due when it began)."""
        now = now or timezone.now()
        limit = limit or self.batch_size
        until = now + timedelta(seconds=self.claim_seconds)
        due = self.due(now, due_by).order_by("next_probe_at", "pk")
        if connection.vendor == "postgresql":
            with transaction.atomic():
                ids = list(due.select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True)[:limit])
                if ids:
                    Device.objects.filter(pk__in=ids).update(claimed_by=self.worker, claimed_until=until)
        else:
            # compare-and-set: the UPDATE only takes rows still unclaimed, so a rival that got there first wins
            candidates = list(due.values_list("pk", flat=True)[:limit])
            if not candidates:
                return []
            Device.objects.filter(pk__in=candidates).filter(
                Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
            ).update(claimed_by=self.worker, claimed_until=until)
            ids = list(
                Device.objects.filter(pk__in=candidates, claimed_by=self.worker, claimed_until=until).values_list(
                    "pk", flat=True
                )
            )
        if not ids:
            return []
        rows = Device.objects.filter(pk__in=ids).values(
            "pk",
            "code",
            "probe_interval_s",
            "health",
            "consecutive_failures",
            "consecutive_successes",
            "stream_url",
            "snapshot_url",
            "onvif_url",
            "host",
            "port",
            "username",
            "password_encrypted",
            "auth_scheme",
            "next_probe_at",
        )
        out = []
        for r in rows:
            due_at = r["next_probe_at"] or self.started_at
            if due_at is not None:
                self._worst_lag = max(self._worst_lag, (now - due_at).total_seconds())
            try:
                password, unreadable = crypto.decrypt(r["password_encrypted"]), False
            except crypto.UnreadableSecret:
                password, unreadable = None, True  # never tried as "": the probes say the key cannot read it
            spec = DeviceSpec(
                **{
                    "stream_url": r["stream_url"],
                    "snapshot_url": r["snapshot_url"],
                    "onvif_url": r["onvif_url"],
                    "host": r["host"],
                    "port": r["port"],
                    "username": r["username"],
                    "password": password or "",
                    "credentials_unreadable": unreadable,
                    "policy": self.policy,
                    "auth_scheme": r["auth_scheme"],
                }
            )
            out.append(
                Claimed(
                    r["pk"],
                    r["code"],
                    r["probe_interval_s"],
                    r["health"],
                    r["consecutive_failures"],
                    r["consecutive_successes"],
                    spec,
                )
            )
        return out

    def measure_lag(self, now=None) -> float:
        """How far behind schedule the monitor is: the worst lag of the probes claimed since the last measure and
        of the oldest due probe still waiting to be claimed. Sets `lag_s` and `behind`, and logs when behind."""
        now = now or timezone.now()
        due = self.due(now)
        oldest = (
            due.filter(next_probe_at__isnull=False)
            .order_by("next_probe_at")
            .values_list("next_probe_at", flat=True)
            .first()
        )
        if self.started_at is not None and due.filter(next_probe_at__isnull=True).exists():
            oldest = min(oldest or self.started_at, self.started_at)  # never probed: due since the monitor started
        waiting = (now - oldest).total_seconds() if oldest else 0.0
        self.lag_s = round(max(self._worst_lag, waiting, 0.0), 1)
        self._worst_lag = 0.0
        was_behind, self.behind = self.behind, self.lag_s > self.behind_after_s
        if self.behind:
            log.warning(
                "monitor %s is behind schedule: due probes start %.0f s late (limit %.0f s); many cameras "
                "may be hanging until their timeout, or there are too many for concurrency %d",
                self.worker,
                self.lag_s,
                self.behind_after_s,
                self.concurrency,
            )
        elif was_behind:
            log.info("monitor %s is on schedule again (lag %.0f s)", self.worker, self.lag_s)
        return self.lag_s

    def release(self, pks) -> None:
        Device.objects.filter(pk__in=list(pks), claimed_by=self.worker).update(claimed_by="", claimed_until=None)

    def _next_probe(self, started, interval: int, confirming: bool):
        """Timed from when the probe *started*, so a probe that runs into its timeout does not push the next one
        back. While a change is being confirmed: interval / fail_after (at least 2 s), no jitter, so `fail_after`
        failures take at most one interval after the first and the alert comes within two intervals plus the
        timeout; otherwise the interval plus a little jitter (at most 5 %, 5 s) that spreads the load."""
        if confirming:
            return started + timedelta(seconds=max(2.0, interval / self.fail_after))
        return started + timedelta(seconds=interval + random.uniform(0, min(self.jitter * interval, 5.0)))

    def apply(self, results: list[Result]) -> Stats:
        """Record a batch of probe results: device health fields, ProbeResult rows (with retention), and for each
        change of state the outage, lifecycle change, ticket and alerts, in one transaction."""
        stats = Stats(probed=len(results))
        if not results:
            return stats
        now = timezone.now()
        devices = Device.objects.in_bulk([r.claimed.pk for r in results])
        rows, changed, events = [], [], []
        for r in results:
            d = devices.get(r.claimed.pk)
            if d is None:
                continue
            state, detail = verdict(r.outcomes)
            up = state != "down"
            previous = d.health
            health, failures, successes, event = step(
                d.health, d.consecutive_failures, d.consecutive_successes, up, self.fail_after, self.recover_after
            )
            if health in DOWN and not up and failures >= self.fail_after:
                # down for good: on credentials ("rejected", a person must enter them again) or on the network
                health = Health.REJECTED if credentials_refused(r.outcomes) else Health.OFFLINE
                if event == "offline" or (previous in DOWN and health != previous):
                    event = "rejected" if health == Health.REJECTED else "offline"
            if any(o.ok and getattr(o, "params", {}).get("auth") == "digest" for o in r.outcomes):
                d.auth_scheme = Device.AuthScheme.DIGEST  # from now on a Basic challenge is refused
            latency, detail = _latency(r.outcomes, up), (detail or "")[:300]
            confirming = (health not in DOWN and failures > 0) or (health in DOWN and successes > 0)
            d.health, d.consecutive_failures, d.consecutive_successes = health, failures, successes
            d.last_probe_at, d.last_latency_ms, d.last_detail = r.at, latency, detail
            if d.monitored_since is None:
                d.monitored_since = r.at
            d.next_probe_at = self._next_probe(r.at, d.probe_interval_s, confirming)
            d.claimed_by, d.claimed_until = "", None
            changed.append(d)
            kept = self._kept_success.get(d.pk)
            # every result is kept while the device is degraded or turning so: the damping below reads them back
            keep_success = (
                event is not None
                or kept is None
                or state == "degraded"
                or d.lifecycle == Lifecycle.DEGRADED
                or (r.at - kept).total_seconds() >= self.success_every_s
            )
            if keep_success and up:
                self._kept_success[d.pk] = r.at
            for o in r.outcomes:
                if not o.ok or keep_success:
                    rows.append(
                        ProbeResult(
                            device=d,
                            at=r.at,
                            kind=str(o.kind)[:5],
                            ok=bool(o.ok),
                            latency_ms=o.latency_ms,
                            detail=probe_messages.outcome_text(o)[:300],
                        )
                    )
            if event:
                events.append((d, event, detail))
            elif (
                health in DOWN
                and not up
                and failures >= self.fail_after
                and d.lifecycle in (Lifecycle.OPERATIONAL, Lifecycle.DEGRADED, Lifecycle.INSTALLED)
            ):
                # a person declared it working (e.g. back from maintenance) but it still does not answer
                events.append((d, "rejected" if health == Health.REJECTED else "offline", detail))
            elif health == Health.ONLINE and (
                (state == "degraded" and d.lifecycle == Lifecycle.OPERATIONAL)
                or (state == "up" and d.lifecycle == Lifecycle.DEGRADED)
            ):
                events.append((d, "check_degraded", (detail, strongest_kind(r.outcomes), state)))
        with transaction.atomic():
            Device.objects.bulk_update(
                changed,
                [
                    "health",
                    "consecutive_failures",
                    "consecutive_successes",
                    "last_probe_at",
                    "last_latency_ms",
                    "last_detail",
                    "next_probe_at",
                    "claimed_by",
                    "claimed_until",
                    "monitored_since",
                    "auth_scheme",
                ],
                batch_size=500,
            )
            ProbeResult.objects.bulk_create(rows, batch_size=1000)
            for d, event, detail in events:
                try:
                    with transaction.atomic():
                        if event == "check_degraded":
                            self.check_degraded(d, *detail, now)
                            continue
                        if event in ("offline", "rejected"):
                            self.went_offline(d, detail, now, event=event)
                            stats.offline_events += 1
                        else:
                            self.came_online(d, now, back=event == "online")
                            stats.online_events += event == "online"
                    stats.events.append((d.code, event))
                except Exception:  # noqa: BLE001 - one device's bookkeeping must not stop the others
                    log.exception("could not record %s for %s", event, d.code)
        return stats

    def check_degraded(self, device: Device, detail: str, kind: str, state: str, now) -> None:
        """operational -> degraded after `fail_after` rounds in a row with the strongest probe failing while a
        weaker one works; back to operational after `recover_after` rounds with it working (from the kept rows)."""
        if state == "degraded":
            need, to, reason = self.fail_after, Lifecycle.DEGRADED, detail
        else:
            need, to, reason = self.recover_after, Lifecycle.OPERATIONAL, _("Answering the monitor's probes.")
        last = list(
            ProbeResult.objects.filter(device=device, kind=kind).order_by("-at").values_list("ok", flat=True)[:need]
        )
        if len(last) == need and all(ok == (state == "up") for ok in last):
            change_lifecycle(None, device, to, reason, at=now)

    def went_offline(self, device: Device, detail: str, now, *, event: str = "offline") -> None:
        reason = detail or _("No answer from the camera.")
        if device.lifecycle in (Lifecycle.OPERATIONAL, Lifecycle.DEGRADED, Lifecycle.INSTALLED):
            change_lifecycle(None, device, Lifecycle.OFFLINE, reason, at=now)
        outage = Outage.objects.filter(device=device, ended_at__isnull=True).first()
        if outage is None:
            outage = Outage.objects.create(device=device, started_at=now, reason=reason[:300])
        ticket = MaintenanceTicket.objects.filter(device=device, status__in=OPEN_TICKET).order_by("-opened_at").first()
        if ticket is None:
            MaintenanceTicket.objects.create(
                device=device,
                status=MaintenanceTicket.Status.DETECTED,
                opened_at=now,
                outage=outage,
                description=_("Detected by the monitor: %(detail)s") % {"detail": reason},
            )
        else:  # a ticket still open from before (tickets are resolved by people): note the new outage on it
            ticket.notes = (
                ticket.notes.rstrip()
                + "\n"
                + _("Offline again at %(time)s: %(detail)s") % {"time": local_time_text(now), "detail": reason}
            ).strip()
            ticket.save(update_fields=["notes"])
        alerts.queue(device, event, at=now)

    def came_online(self, device: Device, now, *, back: bool) -> None:
        if device.lifecycle in (Lifecycle.OFFLINE, Lifecycle.INSTALLED):
            change_lifecycle(None, device, Lifecycle.OPERATIONAL, _("Answering the monitor's probes."), at=now)
        if not back:
            return
        Outage.objects.filter(device=device, ended_at__isnull=True).update(ended_at=now)
        line = _("Back online at %(time)s.") % {"time": local_time_text(now)}
        for ticket in MaintenanceTicket.objects.filter(device=device, status__in=OPEN_TICKET):
            ticket.notes = (ticket.notes.rstrip() + "\n" + line).strip()  # noted, not resolved: a person closes it
            ticket.save(update_fields=["notes"])
        alerts.queue(device, "online", at=now)

    # -- the loop ---------------------------------------------------------------------------------------------

    async def probe_one(self, c: Claimed) -> Result:
        assert self._sem is not None
        async with self._sem:
            at = timezone.now()
            start = time.perf_counter()
            try:
                outcomes = list(await asyncio.wait_for(self.probe(c.spec), self.probe_timeout))
            except TimeoutError:
                outcomes = [ProbeOutcome.of("tcp", False, None, "probe_timeout", seconds=self.probe_timeout)]
            except Exception as exc:  # noqa: BLE001 - a probe bug is a failed probe, never a dead monitor
                log.exception("probe of %s crashed", c.code)
                outcomes = [
                    ProbeOutcome.of("tcp", False, None, "probe_error", error=f"{type(exc).__name__}: {exc}"[:200])
                ]
            return Result(c, at, outcomes, (time.perf_counter() - start) * 1000)

    async def deliver_alerts(self) -> int:
        items = await self.db(alerts.pending)
        if not items:
            return 0
        policy = alerts.webhook_policy(items)
        results = await asyncio.gather(*(asyncio.to_thread(alerts.send, item, policy=policy) for item in items))
        await self.db(alerts.record, [(i.alert_id, e) for i, e in zip(items, results)])
        sent = sum(1 for e in results if not e)
        self.totals.alerts_sent += sent
        return sent

    def _add(self, stats: Stats) -> None:
        t = self.totals
        t.probed += stats.probed
        t.offline_events += stats.offline_events
        t.online_events += stats.online_events
        t.events.extend(stats.events)
        del t.events[:-1000]

    async def run_once(self) -> Stats:
        """Probe every device due now (once each: devices that fall due again while the round runs wait for the
        next round, so a round slower than the shortest interval still ends), record, send alerts, write the
        heartbeat, return."""
        self._sem = asyncio.Semaphore(self.concurrency)
        start = time.perf_counter()
        began = timezone.now()
        self.started_at = self.started_at or began
        total = Stats()
        while True:
            claimed = await self.db(self.claim, due_by=began)
            if not claimed:
                break
            results = await asyncio.gather(*(self.probe_one(c) for c in claimed))
            stats = await self.db(self.apply, list(results))
            self._add(stats)
            total.probed += stats.probed
            total.offline_events += stats.offline_events
            total.online_events += stats.online_events
            total.events += stats.events
        total.alerts_sent = await self.deliver_alerts()
        total.seconds = time.perf_counter() - start
        await self.db(self.measure_lag)
        self.write_heartbeat(total.probed)
        return total

    async def run(
        self,
        stop: asyncio.Event | None = None,
        *,
        poll_s: float = 1.0,
        flush_s: float = 0.5,
        alerts_every_s: float = 2.0,
        heartbeat_every_s: float = 5.0,
    ) -> None:
        """Run until `stop` is set: claim while there is room, probe as tasks, flush results every `flush_s`.
        A database error (SQLite busy, PostgreSQL restarting) is logged and retried, never fatal: a batch that
        could not be written is kept for the next flush, and claims not given back expire by themselves."""
        stop = stop or asyncio.Event()
        self._sem = asyncio.Semaphore(self.concurrency)
        self.started_at = timezone.now()
        room = self.concurrency * 2  # claimed devices waiting for a slot never outlive their claim
        inflight: set[asyncio.Task] = set()
        done: list[Result] = []
        last_flush = last_alerts = last_beat = 0.0
        loop = asyncio.get_running_loop()
        last_prune = last_reconnect = loop.time()
        probed_since_beat = 0
        failed_flushes = 0

        def finished(task: asyncio.Task) -> None:
            inflight.discard(task)
            if not task.cancelled() and task.exception() is None:
                done.append(task.result())

        alert_task: asyncio.Task | None = None
        log.info(
            "monitor %s started; it may connect to %s on ports %s",
            self.worker,
            ", ".join(map(str, self.policy.networks)) or "nothing",
            ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in self.policy.ports) or "none",
        )
        while not stop.is_set():
            claimed, trouble = [], False
            free = room - len(inflight)
            if free > 0:
                try:
                    claimed = await self.db(self.claim, min(free, self.batch_size))
                except Exception:  # noqa: BLE001
                    log.exception("claiming devices failed; retrying")
                    trouble = True
                for c in claimed:
                    task = asyncio.create_task(self.probe_one(c))
                    inflight.add(task)
                    task.add_done_callback(finished)
            now = loop.time()
            if done and (now - last_flush >= flush_s or len(done) >= self.batch_size):
                batch, done[:] = done[:], []
                try:
                    stats = await self.db(self.apply, batch)
                except Exception:  # noqa: BLE001
                    failed_flushes += 1
                    log.exception("recording %d results failed (attempt %d)", len(batch), failed_flushes)
                    if failed_flushes < 5:
                        done[:0] = batch
                    trouble = True
                else:
                    failed_flushes = 0
                    self._add(stats)
                    probed_since_beat += stats.probed
                    if stats.offline_events or stats.online_events:
                        last_alerts = -alerts_every_s  # alerts were queued: send them now, not at the next tick
                last_flush = now
            if now - last_alerts >= alerts_every_s and (alert_task is None or alert_task.done()):
                alert_task = asyncio.create_task(self._alerts_safely())
                last_alerts = now
            if now - last_prune >= 3600:
                try:
                    await self.db(prune_probe_results, self.retention_days)
                except Exception:  # noqa: BLE001
                    log.exception("pruning probe results failed")
                last_prune = now
            if trouble or now - last_reconnect >= 60:
                # a long-running process must drop broken or obsolete connections itself (no request signals)
                await self.db(_close_old_connections)
                last_reconnect = now
            if now - last_beat >= heartbeat_every_s:
                try:
                    await self.db(self.measure_lag)
                except Exception:  # noqa: BLE001
                    log.exception("measuring the schedule lag failed")
                self.write_heartbeat(probed_since_beat)
                probed_since_beat, last_beat = 0, now
            if trouble or len(claimed) < max(1, min(free, self.batch_size)):
                # nothing (more) due, or the database is in trouble: wait a little, or until stopped
                wait = 1.0 if trouble else (min(poll_s, flush_s) if inflight or done else poll_s)
                try:
                    await asyncio.wait_for(stop.wait(), timeout=wait)
                except TimeoutError:
                    pass
        # finish what was started, record it, and give back claims
        if inflight:
            await asyncio.wait(inflight, timeout=self.probe_timeout + 1)
        try:
            if done:
                self._add(await self.db(self.apply, list(done)))
            await self.db(self.release_all)
        except Exception:  # noqa: BLE001
            log.exception("could not record the last results; their claims will expire")
        if alert_task is not None:
            await asyncio.wait([alert_task], timeout=alerts.WEBHOOK_TIMEOUT_S + 1)
        for task in list(inflight):
            task.cancel()
        log.info("monitor %s stopped", self.worker)

    def release_all(self) -> None:
        Device.objects.filter(claimed_by=self.worker).update(claimed_by="", claimed_until=None)

    async def _alerts_safely(self) -> None:
        try:
            await self.deliver_alerts()
        except Exception:  # noqa: BLE001
            log.exception("alert delivery failed")

    # -- heartbeat ---------------------------------------------------------------------------------------------

    def write_heartbeat(self, probed: int = 0) -> None:
        """Tell the dashboard the monitor is alive: VAR_DIR/monitor_heartbeat.json, replaced atomically."""
        if not self.heartbeat:
            return
        path = settings.VAR_DIR / HEARTBEAT_FILE
        data = {
            "at": timezone.now().isoformat(),
            "interval_s": 60,
            "worker": self.worker,
            "pid": os.getpid(),
            "probed": probed,
            "lag_s": self.lag_s,
            "behind": self.behind,
            "totals": {
                "probed": self.totals.probed,
                "offline": self.totals.offline_events,
                "online": self.totals.online_events,
                "alerts": self.totals.alerts_sent,
            },
        }
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            log.warning("could not write the heartbeat to %s", path)


def _close_old_connections() -> None:
    from django.db import close_old_connections

    if not connection.in_atomic_block:  # never inside a transaction (a test's, for one)
        close_old_connections()


def read_heartbeat() -> dict | None:
    try:
        return json.loads((settings.VAR_DIR / HEARTBEAT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def prune_probe_results(days: int = 90, now=None) -> int:
    """Drop probe results older than `days` (outages, tickets and status changes keep the story)."""
    now = now or timezone.now()
    deleted, _detail = ProbeResult.objects.filter(at__lt=now - timedelta(days=days)).delete()
    return deleted


__all__ = ["Monitor", "ProbeOutcome", "default_probe", "device_up", "step", "read_heartbeat", "prune_probe_results"]
