"""The CJK font every printout embeds, registered with reportlab once per process.

WenQuanYi Micro Hei is TrueType (glyf outlines), so reportlab can subset and embed it;
Noto CJK (.ttc with CFF outlines) does not load, and the STSong-Light CID font is not embedded
(readers without Chinese fonts would show boxes).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "YilianCJK"
# The application's own copy first (the PyInstaller bundle ships one in
# _internal/resources/fonts/, see build.spec), then the system's.
_CANDIDATES = (
    Path(__file__).resolve().parent.parent / "resources" / "fonts" / "wqy-microhei.ttc",
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),
)


class FontMissingError(RuntimeError):
    """No embeddable CJK font is installed."""


# Chinese punctuation that may not begin a line (禁则): reportlab's list lacks these, so a
# wrapped paragraph could start a line with "，". Extended once, for every report alike.
_CANNOT_START = "，；：！？》〉…%％·、。）」』】"


def _extend_line_break_rules() -> None:
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    extra = "".join(ch for ch in _CANNOT_START if ch not in textsplit.ALL_CANNOT_START)
    textsplit.ALL_CANNOT_START += extra
    paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START


@cache
def cjk_font() -> str:
    """Register the CJK font (once) and return its reportlab name."""
    _extend_line_break_rules()
    pdfmetrics.registerFont(TTFont(FONT, str(font_path()), subfontIndex=0))
    return FONT


def font_path() -> Path:
    """The font file printouts embed (logged and shown by the bundle's smoke run)."""
    for path in _CANDIDATES:
        if path.is_file():
            return path
    raise FontMissingError(
        "找不到中文字体（文泉驿微米黑）。"
        "请安装 fonts-wqy-microhei：apt-get install fonts-wqy-microhei")
