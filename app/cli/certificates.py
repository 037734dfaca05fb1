"""`yilian` subcommands for certificates and merging (wired into app.cli.main).

    yilian [--db DB] certificate --volunteer NO [--from DATE] [--to DATE] --out FILE.pdf
    yilian [--db DB] verify-certificate PAYLOAD [--public-key FILE.pem]
    yilian [--db DB] certificate-key --out FILE.pem
    yilian [--db DB] verify-page --out verify.html [--also-key OLD.pem ...]
    yilian [--db DB] merge KEEP_NO OTHER_NO --reason TEXT

verify-certificate with --public-key needs no register at all: that is how a school or an
employer checks a certificate. Exit codes: 0 done / valid, 1 refused (bad input, not
found), 2 the certificate is not valid, 3 a file that could not be written (app.cli.main).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from app.cli.common import SharedVerbs, open_db
from app.domain.errors import NotFoundError, ValidationError
from app.domain.signing import CertificateInvalidError

INVALID = 2


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”应写成 YYYY-MM-DD") from None


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def cmd_certificate(args: argparse.Namespace) -> int:
    from app.services.hours import certificates
    from app.services.volunteers import registration as volunteers

    open_db(args)
    try:
        volunteer = volunteers.get_by_number(args.volunteer)
        issued = certificates.issue_to_file(volunteer.id, Path(args.out), args.date_from,
                                            args.date_to, remarks=args.remarks)
    except (ValidationError, NotFoundError) as exc:
        return _fail(getattr(exc, "message", str(exc)))
    # A file that cannot be written reaches app.cli.main (exit 3) with no number used up.
    claim = issued.claim
    print(f"已出具证明 {claim.number}：{claim.holder}（{claim.volunteer_number}）"
          f"{claim.period_text} 服务{claim.hours_text}小时，已保存到{args.out}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from app.services.hours import certificates

    pem: bytes | None = None
    try:
        if args.public_key:
            try:
                pem = Path(args.public_key).read_bytes()
            except OSError as exc:
                return _fail(f"无法读取公钥文件{args.public_key}：{exc.strerror}")
        else:

            open_db(args)
        claim = certificates.verify(args.payload, pem)
    except CertificateInvalidError as exc:
        print(f"无效：{exc.message}")
        return INVALID
    print("有效：志愿服务记录证明的签名核验通过")
    print(f"证明编号：{claim.number}")
    print(f"持证人：{claim.holder}")
    print(f"志愿者编号：{claim.volunteer_number}")
    print(f"服务时间：{claim.hours_text}小时")
    print(f"服务期间：{claim.period_text}")
    print(f"出具日期：{claim.issued_on.year}年{claim.issued_on.month}月{claim.issued_on.day}日")
    print(f"密钥标识：{claim.key_id}")
    return 0


def cmd_key(args: argparse.Namespace) -> int:
    from app.domain import signing
    from app.services.hours import certificates

    open_db(args)
    pem = certificates.public_key_pem()
    Path(args.out).write_text(pem, encoding="ascii")
    kid = signing.key_id(signing.load_public_key(pem))
    print(f"证明核验公钥已保存到{args.out}（密钥标识{kid}）；可公开提供给需要核验证明的单位")
    return 0


def cmd_verify_page(args: argparse.Namespace) -> int:
    from app.services.common import settings
    from app.services.hours import verify_page

    extra: list[bytes] = []
    for name in args.also_key or ():
        try:
            extra.append(Path(name).read_bytes())
        except OSError as exc:
            return _fail(f"无法读取公钥文件{name}：{exc.strerror}")
    open_db(args)
    try:
        path = verify_page.write(Path(args.out), extra)
    except CertificateInvalidError as exc:
        return _fail(exc.message)
    # A page that cannot be written reaches app.cli.main: its reason in Chinese, exit 3.
    keys = "、".join(k["id"] for k in verify_page.public_keys(extra))
    print(f"核验页面已保存到{path}（密钥标识{keys}）：把它放到网站上任意位置，"
          "再在设置中填写它的公开地址，此后出具的证明二维码用手机扫码即可核验")
    address = settings.get(settings.CERT_VERIFY_URL)
    if address:
        print(f"当前设置的核验地址：{address}")
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from app.services.volunteers import merge
    from app.services.volunteers import registration as volunteers

    open_db(args)
    try:
        keep = volunteers.get_by_number(args.keep)
        other = volunteers.get_by_number(args.other)
        result = merge.merge(keep.id, other.id, args.reason)
    except (ValidationError, NotFoundError) as exc:
        return _fail(getattr(exc, "message", str(exc)))
    print(f"已将{result.merged_number}合并到{result.kept_number}：移动服务记录"
          f"{result.service_records}条、兑换单{result.redemptions}张、证明"
          f"{result.certificates}份，转入积分{result.points_transferred}分，"
          f"注销志愿者证{result.cards}张；"
          f"累计服务{result.approved_minutes}分钟，积分余额{result.points_balance}")
    return 0


def add_commands(sub: argparse._SubParsersAction, verbs: SharedVerbs) -> None:
    """Add this area's subcommands; each sets `func` and may call `app.cli.common.open_db(args)`."""
    p = sub.add_parser("certificate", help="出具志愿服务记录证明（PDF）")
    p.add_argument("--volunteer", required=True, metavar="NO", help="志愿者编号")
    p.add_argument("--from", dest="date_from", type=_date, metavar="DATE",
                   help="证明期间开始日期 YYYY-MM-DD（默认登记日期）")
    p.add_argument("--to", dest="date_to", type=_date, metavar="DATE",
                   help="证明期间结束日期 YYYY-MM-DD（默认今天）")
    p.add_argument("--remarks", help="其他需要说明的事项")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.set_defaults(func=cmd_certificate)

    p = sub.add_parser("verify-certificate", help="核验证明二维码内容")
    p.add_argument("payload", metavar="PAYLOAD",
                   help="二维码中的文字（签名内容，或“核验地址#签名内容”）")
    p.add_argument("--public-key", metavar="FILE.pem",
                   help="出具单位的公钥（不指定则用本登记簿的密钥）")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("certificate-key", help="导出证明核验公钥")
    p.add_argument("--out", required=True, metavar="FILE.pem")
    p.set_defaults(func=cmd_key)

    p = sub.add_parser("verify-page", help="生成手机扫码核验证明的网页（单个 HTML 文件）")
    p.add_argument("--out", required=True, metavar="FILE.html")
    p.add_argument("--also-key", action="append", metavar="OLD.pem",
                   help="同时信任的其他（旧）公钥文件，可重复")
    p.set_defaults(func=cmd_verify_page)

    p = sub.add_parser("merge", help="合并同一人的两条志愿者记录")
    p.add_argument("keep", metavar="KEEP_NO", help="保留的志愿者编号")
    p.add_argument("other", metavar="OTHER_NO", help="并入并标记为已合并的志愿者编号")
    p.add_argument("--reason", required=True, help="合并原因")
    p.set_defaults(func=cmd_merge)
