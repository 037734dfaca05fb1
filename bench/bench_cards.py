"""Cards and check-in at city scale (1,000,000 volunteers).

Usage: .venv/bin/python -m bench.bench_cards [--cards 1000] [--scans 1000] [--soak 60]

- 1,000 cards to PDF (A4 sheets of ten) with `reports.card.render_cards`, beside the floor of
  bare reportlab drawing the same 1,000 QR codes (its own QR widget) and texts;
- scan-to-result p95: `checkin.scan` for random card holders at an activity (verify the
  HMAC, find the volunteer and card, record the check-in, log the scan), beside the bare
  sqlite3 statements of one such scan;
- 20 scans a second sustained for `--soak` seconds, paced by the clock; afterwards every scan
  must have exactly one log row and every volunteer exactly one open record.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sqlite3
import time

from bench.common import OUT, machine, p95, register_path, report, timed


def floor_cards(cards: list) -> float:
    import io

    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from reports.fonts import cjk_font

    font = cjk_font()
    start = time.perf_counter()
    canvas = Canvas(io.BytesIO(), pagesize=A4)
    for i, card in enumerate(cards):
        if i and i % 10 == 0:
            canvas.showPage()
        x, y = 15 * mm + (i % 2) * 95 * mm, 250 * mm - (i % 10 // 2) * 56 * mm
        canvas.setFont(font, 12)
        canvas.drawString(x, y, card.name)
        canvas.drawString(x, y - 6 * mm, card.number)
        canvas.drawString(x, y - 12 * mm, card.center_name)
        widget = QrCodeWidget(card.payload)
        left, bottom, right, top = widget.getBounds()
        drawing = Drawing(25 * mm, 25 * mm,
                          transform=[25 * mm / (right - left), 0, 0, 25 * mm / (top - bottom),
                                     0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, canvas, x + 55 * mm, y - 20 * mm)
    canvas.save()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--volunteers", type=int, default=1_000_000)
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--scans", type=int, default=1000)
    parser.add_argument("--soak", type=int, default=60)
    args = parser.parse_args()
    base = register_path(args.volunteers)
    path = OUT / "cards-bench.sqlite3"
    shutil.copyfile(base, path)
    for side in ("-wal", "-shm"):
        (OUT / f"cards-bench.sqlite3{side}").unlink(missing_ok=True)

    from app.domain.hours import ActivityDraft
    from app.services.cards import checkin
    from app.services.cards import issuing as cards
    from app.services.hours import activities
    from app.store.db import bound, make_database
    from app.store.migrations import migrate
    from reports.card import render_cards

    print(f"cards and check-in on {args.volunteers:,} volunteers ({machine()})")
    soak_people = 20 * args.soak
    with bound(make_database(path)) as db:
        db.connect()
        migrate()
        from app.store.models import Volunteer

        holders = [v.id for v in Volunteer.select(Volunteer.id).where(
            Volunteer.status == "active").order_by(Volunteer.id).limit(
            args.cards + args.scans + soak_people)]
        start = time.perf_counter()
        cards.ensure_cards(holders)
        issued_s = time.perf_counter() - start
        print(f"(issued {len(holders):,} cards in {issued_s:.1f} s)")

        data = cards.card_data(holders[:args.cards])
        render_ms = timed(lambda: render_cards(data, sheet=True))[0]
        report(f"{args.cards:,} cards to PDF (sheets of ten)", render_ms, floor_cards(data),
               10_000)

        now = dt.datetime.now().replace(microsecond=0)
        act = activities.create(ActivityDraft(
            name="基准测试活动", starts_at=now - dt.timedelta(minutes=30),
            ends_at=now + dt.timedelta(hours=3), organizer="孵化中心"))
        payloads = {vid: cards.payload_for(vid) for vid in holders}
        raw = sqlite3.connect(path, isolation_level=None)
        service, floor = [], []
        scan_ids = holders[args.cards:args.cards + args.scans]
        for vid in scan_ids:
            payload = payloads[vid]
            service += timed(lambda p=payload: checkin.scan(p, act.id, "bench"))
            number = payload.split(":")[1]

            def bare(n: str = number, p: str = payload) -> None:
                raw.execute("BEGIN IMMEDIATE")
                v = raw.execute("SELECT id, status FROM volunteer WHERE number = ?",
                                (n,)).fetchone()
                raw.execute("SELECT serial, revoked_at FROM card WHERE volunteer_id = ? "
                            "ORDER BY serial DESC LIMIT 1", (v[0],)).fetchone()
                raw.execute("INSERT INTO scan_log (at, activity_id, station, payload, "
                            "volunteer_id, outcome, reason) VALUES (?, ?, 'floor', ?, ?, "
                            "'floor', '')", (str(now), act.id, p, v[0]))
                raw.execute("ROLLBACK")

            floor += timed(bare)
        report("scan to result (p95)", p95(service), p95(floor), 30)

        soak_ids = holders[args.cards + args.scans:]
        latencies: list[float] = []
        started = time.perf_counter()
        for k, vid in enumerate(soak_ids):
            due = started + k / 20
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            t = time.perf_counter()
            result = checkin.scan(payloads[vid], act.id, "soak")
            latencies.append((time.perf_counter() - t) * 1000)
            assert result.kind == "checked_in", result
        elapsed = time.perf_counter() - started
        logged = raw.execute("SELECT COUNT(*), COUNT(DISTINCT volunteer_id) FROM scan_log "
                             "WHERE station = 'soak'").fetchone()
        open_records = raw.execute(
            "SELECT COUNT(*), COUNT(DISTINCT volunteer_id) FROM service_record WHERE "
            "activity_id = ? AND status = 'open'", (act.id,)).fetchone()
        rate = len(soak_ids) / elapsed
        print(f"{'sustained 20 scans/s for ' + str(args.soak) + ' s':<38} {rate:8.1f} /s   "
              f"p95 {p95(latencies):.1f} ms, max {max(latencies):.1f} ms; "
              f"{logged[0]} logged for {len(soak_ids)} scans ({logged[1]} people), "
              f"{open_records[0] - args.scans} open records "
              f"{'OK' if logged[0] == logged[1] == len(soak_ids) else 'LOST OR DOUBLED'}")
        raw.close()
    for side in ("", "-wal", "-shm"):
        (OUT / f"cards-bench.sqlite3{side}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
