"""Charts drawn on the server as SVG, for the pages and the PDF reports alike.

Each chart is a Vega-Lite specification built with altair and turned into SVG by
vl-convert (no browser, no JavaScript on the page): the choice and its reasons are in
``docs/charts.md``. A ``Chart`` carries its title, a text alternative and the table of
the numbers it draws, so a page shows the figure, says it in words and keeps the data
readable without the picture (screen readers, print, copy into a spreadsheet).

The SVG uses presentation attributes only (no ``<style>``, no ``<script>``), so it can be
placed inline under a Content-Security-Policy without 'unsafe-inline'. Rendering costs
tens of milliseconds, so the SVG is cached by the hash of its specification: the same
numbers never render twice, and new numbers always give a new key.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal

import altair as alt
import vl_convert
from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import mark_safe

CACHE_SECONDS = 24 * 60 * 60
# Metric-compatible fonts: the text is measured on the server with the first one, and a
# browser that lacks it falls back to one of the same widths (labels are not clipped).
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
# es-CO: 1.234.567,5 and "$ 1.234.567"
LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["$ ", ""]}
PLANNED_COLOR = "#6c757d"
EXECUTED_COLOR = "#0d6efd"
# Semáforo colours, darker than Bootstrap's so that text on them keeps its contrast.
BAND_COLORS = {"rojo": "#f5c2c7", "amarillo": "#ffe69c", "verde": "#a3cfbb"}
SERIES_COLORS = [PLANNED_COLOR, EXECUTED_COLOR, "#198754", "#fd7e14", "#6f42c1", "#d63384"]
WIDTH = 560
# Part of every cache key: bump it when a chart's specification changes in the code.
SPEC_VERSION = 1
ARIA_ATTRIBUTES = re.compile(r' (?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"')


@dataclass(frozen=True)
class Chart:
    """A chart ready for a page: ``svg`` (safe markup), ``title``, ``description`` (its
    text alternative) and ``table`` (header and rows of formatted numbers)."""

    title: str
    description: str
    headers: tuple
    rows: tuple
    svg: str


def _number(value):
    return None if value is None else float(Decimal(value))


def _render(build, *, inputs, description):
    """SVG markup, as an image with a name, of the Vega-Lite specification that `build()`
    returns. Cached by the hash of `inputs` (everything the drawing depends on), so a
    cached chart costs neither altair nor vl-convert."""
    body = json.dumps([SPEC_VERSION, inputs], sort_keys=True, default=str)
    key = "chart:" + hashlib.sha256(body.encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = vl_convert.vegalite_to_svg(build(), format_locale=LOCALE)
        # Responsive: keep the viewBox, drop the fixed size of the root element.
        svg = re.sub(r'^<svg([^>]*?) width="[\d.]+" height="[\d.]+"', r"<svg\1", svg, count=1)
        # One image with one name: the marks' own ARIA roles would make each a graphic
        # without a name (the numbers are in the table that goes with the chart).
        svg = ARIA_ATTRIBUTES.sub("", svg)
        cache.set(key, svg, CACHE_SECONDS)
    label = escape(description)
    return mark_safe(  # noqa: S308 - vl-convert's SVG with an escaped label
        svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1).replace(
            'class="marks"', 'class="marks chart-svg"', 1
        )
    )


def _spec(chart, *, title):
    config = {
        "font": FONT,
        "aria": False,  # the root is one image with a name; the table gives the numbers
        "view": {"stroke": None},
        "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 220},
        "legend": {"orient": "bottom", "labelFontSize": 12, "title": None},
        "title": {"fontSize": 15, "anchor": "start"},
    }
    # altair checks a specification against the Vega-Lite schema in to_dict(), which costs
    # more than drawing it; the tests draw every chart, so the pages skip that check.
    spec = chart.properties(title=title, width=WIDTH).to_dict(validate=False)
    spec["config"] = config
    return spec


def _percent_axis(title, max_value):
    top = max(100.0, max_value or 0.0)
    return alt.X(
        "value:Q", title=title, scale=alt.Scale(domain=[0, top]), axis=alt.Axis(format=",.0f")
    )


def _chart(build, *, inputs, title, description, labels, series, formatter):
    """The Chart drawn by `build` with its data table: a row per label, a column per
    series, each value written by `formatter`."""
    rows = tuple(
        (label, *(formatter(numbers[i]) for _name, numbers in series))
        for i, label in enumerate(labels)
    )
    return Chart(
        title=title,
        description=description,
        headers=("", *(name for name, _numbers in series)),
        rows=rows,
        svg=_render(build, inputs=inputs, description=description),
    )


def _series_color(names):
    """One colour per series, in the order given (planned grey, executed blue, …)."""
    return alt.Color(
        "series:N", sort=names, scale=alt.Scale(domain=names, range=SERIES_COLORS[: len(names)])
    )


def _bars(categories, series, *, value_title, stacked):
    values = [
        {"category": category, "series": name, "value": _number(value), "order": index}
        for name, numbers in series
        for index, (category, value) in enumerate(zip(categories, numbers, strict=True))
        if value is not None
    ]
    series_names = [name for name, _numbers in series]
    top = max((v["value"] for v in values), default=0.0)
    if value_title == "%":
        x = _percent_axis(value_title, top)
    else:
        x = alt.X("value:Q", title=value_title, axis=alt.Axis(format="$,.0f"))
    encoding = {
        "y": alt.Y("category:N", title=None, sort=list(categories)),
        "x": x,
        "color": _series_color(series_names),
    }
    if stacked:
        for v in values:
            v["series_index"] = series_names.index(v["series"])
        encoding["order"] = alt.Order("series_index:Q")
    else:
        encoding["yOffset"] = alt.YOffset("series:N", sort=series_names)
    step = 22 if stacked or len(series_names) == 1 else 14
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(**encoding)
        .properties(height=alt.Step(step))
    )
    return chart


def grouped_bars(
    *,
    title,
    description,
    categories,
    series,
    value_title="%",
    formatter=str,
    stacked=False,
    names=None,
):
    """Horizontal bars, one group per category and one bar per series (`stacked`: one bar
    per category made of the series' segments).

    `series` is [(name, [value per category])], values Decimal or None (no bar);
    `formatter` writes a value for the data table (e.g. the ``percent`` filter); `names`
    the categories' full names in that table when the axis shows short ones (codes)."""

    def build():
        return _spec(
            _bars(categories, series, value_title=value_title, stacked=stacked), title=title
        )

    return _chart(
        build,
        inputs=("bars", title, categories, series, value_title, stacked),
        title=title,
        description=description,
        labels=names or categories,
        series=series,
        formatter=formatter,
    )


def _lines(labels, series, *, bands, value_title):
    values = [
        {"label": label, "series": name, "value": _number(value), "order": index}
        for name, numbers in series
        for index, (label, value) in enumerate(zip(labels, numbers, strict=True))
        if value is not None
    ]
    names = [name for name, _numbers in series]
    top = max([v["value"] for v in values] + [float(high) for _s, _l, high in bands], default=100.0)
    y_scale = alt.Scale(domain=[0, max(top, 1.0)])
    x = alt.X("label:N", title=None, sort=list(labels), axis=alt.Axis(labelAngle=0))
    layer = (
        alt.Chart(alt.Data(values=values))
        .mark_line(point=True, strokeWidth=2)
        .properties(height=220)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=value_title, scale=y_scale),
            color=_series_color(names),
        )
    )
    if bands:
        band_values = [
            {"state": state, "low": float(low), "high": float(high)} for state, low, high in bands
        ]
        states = [b["state"] for b in band_values]
        band_layer = (
            alt.Chart(alt.Data(values=band_values))
            .mark_rect(opacity=0.6)
            .encode(
                y=alt.Y("low:Q", scale=y_scale),
                y2="high:Q",
                fill=alt.Fill(
                    "state:N",
                    scale=alt.Scale(domain=states, range=[BAND_COLORS[s] for s in states]),
                    legend=None,
                ),
            )
        )
        layer = alt.layer(band_layer, layer)
    return layer


def lines(*, title, description, labels, series, bands=(), value_title="%", formatter=str):
    """Lines over the periods `labels`, one per series [(name, [value per label])], with
    optional horizontal `bands` [(state, low, high)] behind them (the semáforo)."""

    def build():
        return _spec(_lines(labels, series, bands=bands, value_title=value_title), title=title)

    return _chart(
        build,
        inputs=("lines", title, labels, series, bands, value_title),
        title=title,
        description=description,
        labels=labels,
        series=series,
        formatter=formatter,
    )
