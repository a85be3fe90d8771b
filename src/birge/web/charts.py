"""The one chart component: horizontal bars drawn as SVG on the server (no script), each
bar labelled with its figure; a hidden figure is a gap with its marker, never a bar. Every
chart stands next to a table of the same figures."""

from __future__ import annotations

from dataclasses import dataclass

LABEL_WIDTH, BAR_AREA, ROW_HEIGHT, TOP = 220, 340, 26, 22


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    text: str  # what the bar says: "75%", "3", or that the number is hidden
    y: int
    width: float
    suppressed: bool = False  # hidden: no bar is drawn, only the label and the marker


def bar_chart(rows: list[tuple[str, float | None, str]], *, most: float) -> dict:
    """Horizontal bars, `most` filling the whole bar area; a row whose value is hidden
    (None, with a marker for its text) is a gap in the chart, labelled."""
    bars = [
        Bar(
            label=label,
            value=value,
            text=text,
            y=TOP + i * ROW_HEIGHT,
            width=round(BAR_AREA * (value or 0) / most, 1) if most else 0,
            suppressed=value is None,
        )
        for i, (label, value, text) in enumerate(rows)
    ]
    return {
        "bars": bars,
        "left": LABEL_WIDTH,
        "width": LABEL_WIDTH + BAR_AREA + 60,
        "height": TOP + ROW_HEIGHT * len(bars) + 8,
        "bar_height": ROW_HEIGHT - 8,
    }
