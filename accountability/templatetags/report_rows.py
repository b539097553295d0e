"""The long lists of a report's page written in Python: at 20,000 actions the page has
30,000 narratives, 1,000 Control Interno comments and 2,000 indicators, and the template
engine spent most of the page's time on them (a node, a lookup and an escape per value).
Each filter gives exactly what the loop it replaced in ``_report_body.html`` gave: every
value localised and escaped the way ``{{ value }}`` does it, the same whitespace."""

import html

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from mipg.core.templatetags.mipg_format import number, percent, semaforo_badge

register = template.Library()


def _shown(value):
    """``value`` as ``{{ value }}`` shows it with autoescaping: localised (an integer gets
    the thousands separator), then escaped. A plain string goes straight to
    ``html.escape``, which Django's ``escape`` calls behind its lazy-string wrapper."""
    if value.__class__ is str:
        return html.escape(value)
    return conditional_escape(str(localize(value)))


@register.filter
def narrative_items(rows):
    """The ``<li>`` of each narrative: action code and name, period, text."""
    return mark_safe(
        "".join(
            f"<li><strong>{_shown(n['action'])} {_shown(n['name'])}</strong> "
            f"({_shown(n['period'])}): {_shown(n['text'])}</li>"
            for n in rows
        )
    )


@register.filter
def comment_items(rows):
    """The ``<li>`` of each Control Interno comment: action code and name, year-semester,
    text."""
    return mark_safe(
        "".join(
            f"<li><strong>{_shown(c['action'])} {_shown(c['name'])}</strong> "
            f"({_shown(c['year'])}-{_shown(c['semester'])}): {_shown(c['text'])}</li>"
            for c in rows
        )
    )


@register.filter
def indicator_rows(rows):
    """The ``<tr>`` of each indicator (code and name, target, executed, semáforo and
    compliance, formula and how it was computed), each between the whitespace the
    template's loop left around it."""
    return mark_safe(
        "".join(
            f'\n        <tr><th scope="row">{_shown(row["code"])} {_shown(row["name"])}</th>'
            f'<td class="text-end">{_shown(number(row["target"]))}</td>'
            f'<td class="text-end">{_shown(number(row["executed"]))}</td>'
            f"<td>{conditional_escape(semaforo_badge(row['state']))} "
            f"{_shown(percent(row['compliance']))}</td>"
            f"<td>{_shown(row['formula'])}"
            f"{': ' + _shown(row['explanation']) if row['explanation'] else ''}</td></tr>\n      "
            for row in rows
        )
    )
