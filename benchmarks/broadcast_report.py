"""The report measure_broadcast.py prints: the set-ups, each rate, and the ratios."""

import argparse
import os
import platform
from datetime import date
from typing import Any

from broadcast_clients import BIN, Received, percentile

PERIOD = 4.2  # seconds between one member's comments: under 1 per 2 s and 15 per minute


def ratio(big: float, small: float) -> str:
    """ "n/a" when the smaller figure is zero or missing (nothing delivered)."""
    return f"{big / small:.2f}x" if small and small == small else "n/a"


def summary(setup: dict[str, Any], run: dict[str, Any]) -> dict[str, Any]:
    got: Received = run["received"]
    accepted = run["posted"].statuses.get(201, 0)
    expected = accepted * setup["connected"]
    return {
        "setup": setup["name"],
        "rate": run["rate"],
        "viewers": setup["connected"],
        "sent": sum(run["posted"].statuses.values()) + sum(run["posted"].errors.values()),
        "accepted": accepted,
        "expected": expected,
        "delivered": got.comments,
        "share": got.comments / expected if expected else float("nan"),
        "p50": percentile(got.latency, 50),
        "p99": percentile(got.latency, 99),
        "max": max(got.latency, default=0) / BIN,
        "post_p50": percentile(run["posted"].latency, 50),
        "post_p99": percentile(run["posted"].latency, 99),
        "refused": {k: v for k, v in run["posted"].statuses.items() if k != 201},
        "errors": dict(run["posted"].errors),
        "dropped": got.dropped,
        "server_cpu": run["server_cpu"],
        "client_cpu": run["client_cpu"],
        "machine_busy": run["machine_busy"],
    }


def report(setups: list[dict[str, Any]], args: argparse.Namespace, data: dict[str, Any]) -> str:
    import django

    rates = ",".join(f"{r:g}:{s}" for r, s in args.rates)
    lines = [
        f"Live-comment fan-out — {date.today().isoformat()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, Django {django.get_version()}, uvicorn "
        f"(websockets-sansio, uvloop), loopback, DEBUG=1",
        f"target {args.viewers:,} viewers in {args.client_processes} client processes; "
        f"commenters post one comment every {PERIOD} s each; rates/s:seconds {rates}, each "
        f"followed by {args.drain} s to drain",
        "",
        f"{'set-up':<26}{'procs':>6}{'viewers':>9}{'ramp s':>8}{'settle s':>9}"
        f"{'count msgs':>12}{'RSS idle':>10}{'connected':>10}{'peak MB':>9}",
    ]
    for s in setups:
        lines.append(
            f"{s['name']:<26}{s['processes']:>6}{s['connected']:>9,}{s['ramp']:>8.1f}"
            f"{s['settle']:>9.1f}{s['ramp_received'].others['viewers']:>12,}"
            f"{s['rss_idle']:>10.0f}{s['rss_connected']:>10.0f}{s['rss_peak']:>9.0f}"
        )
        if any(code is not None for code in s["exits"]):
            lines.append(f"    server exit codes before the end: {s['exits']}")
        if s["connect_errors"]:
            lines.append(f"    connect errors: {dict(s['connect_errors'])}")
    lines += [
        "",
        f"{'set-up':<26}{'rate/s':>7}{'posted':>8}{'ok':>7}{'delivered':>12}"
        f"{'expected':>12}{'share':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"
        f"{'POST p50':>9}{'p99':>8}{'server':>8}{'clients':>8}{'busy':>6}",
    ]
    rows = [summary(s, r) for s in setups for r in s["runs"]]
    for r in rows:
        lines.append(
            f"{r['setup']:<26}{r['rate']:>7g}{r['sent']:>8,}{r['accepted']:>7,}"
            f"{r['delivered']:>12,}{r['expected']:>12,}{r['share']:>8.1%}{r['p50']:>9.0f}"
            f"{r['p99']:>9.0f}{r['max']:>9.0f}{r['post_p50']:>9.0f}{r['post_p99']:>8.0f}"
            f"{r['server_cpu']:>8.0%}{r['client_cpu']:>8.0%}{r['machine_busy']:>6.0%}"
        )
        if r["refused"] or r["errors"] or r["dropped"]:
            lines.append(
                f"    refused {r['refused']}, errors {r['errors']}, viewers dropped {r['dropped']}"
            )
    if len(setups) == 2:
        lines += ["", "ratio redis / single"]
        for rate, _ in args.rates:
            a, b = (
                next(r for r in rows if r["setup"] == s["name"] and r["rate"] == rate)
                for s in setups
            )
            lines.append(
                f"  {rate:g}/s: delivered share {ratio(b['share'], a['share'])}, "
                f"p50 {ratio(b['p50'], a['p50'])}, p99 {ratio(b['p99'], a['p99'])}"
            )
    lines += [
        "",
        "server, clients: CPU of the server and of the client processes while the "
        "commenters post (100% = one core); busy: the whole machine (both cores, "
        "other users included).",
        "count msgs: viewer-count messages the viewers received while connecting.",
    ]
    return "\n".join(lines) + "\n"
