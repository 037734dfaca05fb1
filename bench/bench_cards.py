"""Cards and check-in at city scale (1,000,000 volunteers).

Usage: .venv/bin/python -m bench.bench_cards [--cards 1000] [--scans 1000] [--soak 60]

- 1,000 cards to PDF (A4 sheets of ten) with `reports.card.render_cards`, beside the floor of
  bare reportlab drawing the same sheets: the same texts, band, placeholder, crop marks and
  the same QR symbols by the same `reports.qr.draw_qr`;
- scan-to-result p95: `checkin.scan` for random card holders at an activity (verify the
  HMAC, find the volunteer and card, record the check-in, log the scan), beside the very
  statements that scan ran, replayed bare (sqlite3, the register's pragmas) and rolled back;
- 20 scans a second sustained for `--soak` seconds, paced by the clock; afterwards every scan
  must have exactly one log row and every volunteer exactly one open record.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import time

from bench.common import (
    OUT,
    bare_connection,
    captured,
    machine,
    p95,
    register_path,
    report,
    run_bare,
    timed,
)


def floor_cards(cards: list) -> float:
    """The same drawing bare: the same A4 sheets of ten with crop marks, header band, photo
    placeholder, the same texts at the same places and the same QR symbols drawn by the same
    `reports.qr.draw_qr`, on a compressed reportlab canvas — without the renderer's fitting,
    clipping and layout logic."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from reports import card as layout
    from reports.fonts import cjk_font
    from reports.qr import draw_qr

    font = cjk_font()
    page_h = layout.PAGE_H
    start = time.perf_counter()
    canvas = Canvas(io.BytesIO(), pagesize=A4, pageCompression=1)
    for i, card in enumerate(cards):
        slot = i % layout.PER_SHEET
        if slot == 0:
            for x1, y1, x2, y2 in layout.crop_marks():
                canvas.line(x1 * mm, (page_h - y1) * mm, x2 * mm, (page_h - y2) * mm)
        ox, oy = layout.sheet_origins()[slot]

        def at(box: layout.Box, ox: float = ox, oy: float = oy) -> tuple[float, float]:
            return (ox + box.x) * mm, (page_h - oy - box.y - box.h) * mm

        canvas.setFillColorRGB(*layout.BAND_RGB)
        canvas.rect(*at(layout.BAND), layout.BAND.w * mm, layout.BAND.h * mm, stroke=0, fill=1)
        canvas.setFillGray(1)
        canvas.setFont(font, 10.5)
        canvas.drawString(*at(layout.CENTER), card.center_name)
        canvas.setFont(font, 7.0)
        canvas.drawString(*at(layout.SUBTITLE_BOX), layout.SUBTITLE)
        canvas.setFillGray(0.93)
        canvas.rect(*at(layout.PHOTO), layout.PHOTO.w * mm, layout.PHOTO.h * mm, stroke=1,
                    fill=1)
        canvas.setFillGray(0)
        canvas.setFont(font, 10.0)
        canvas.drawString(*at(layout.PHOTO), layout.PHOTO_PLACEHOLDER)
        canvas.setFont(font, 15.0)
        canvas.drawString(*at(layout.NAME), card.name)
        canvas.setFont(font, 8.5)
        canvas.drawString(*at(layout.NUMBER), f"编号  {card.number}")
        canvas.drawString(*at(layout.STARS), f"星级  {layout.stars_text(card.star_level)}")
        canvas.drawString(*at(layout.ISSUED), f"发证  {layout.cn_date(card.issued_on)}")
        qx, qy = at(layout.QR)
        draw_qr(canvas, card.payload, qx, qy + layout.QR.h * mm, layout.QR.w * mm, border=2)
        canvas.setFont(font, 6.5)
        canvas.drawString(*at(layout.QR_LABEL), layout.QR_CAPTION)
        canvas.setFont(font, 6.0)
        canvas.drawString(*at(layout.FOOTER), layout.NOTICE)
        if slot == layout.PER_SHEET - 1 or i == len(cards) - 1:
            canvas.showPage()
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
        raw = bare_connection(path)
        service, floor = [], []
        scan_ids = holders[args.cards:args.cards + args.scans]
        for vid in scan_ids:
            payload = payloads[vid]
            # The floor replays the very statements the scan ran (captured from peewee's
            # log), bare with the register's pragmas, in a transaction rolled back after.
            sql: list[tuple[str, tuple]] = []
            # (capturing costs the service a few microseconds of logging per statement)
            service += timed(lambda p=payload, out=sql: out.extend(
                captured(lambda: checkin.scan(p, act.id, "bench"))))

            def bare(s: list[tuple[str, tuple]] = sql) -> None:
                raw.execute("BEGIN IMMEDIATE")
                run_bare(raw, [st for st in s if not st[0].startswith(
                    ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"))])
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
