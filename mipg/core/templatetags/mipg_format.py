"""Colombian formatting for money, percentages, plain numbers and the semáforo: one format
everywhere on the pages ("66,67 %", "$ 1.234.567", "1.500", "2,5"). Exports keep numbers
as numbers and never go through these filters."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy

register = template.Library()


@register.filter
def money(value, decimals=0):
    """1234567.5 → "$ 1.234.568" (es-CO separators, no decimals by default)."""
    return _formatted(value, decimals, "$ {}")


@register.filter
def percent(value, decimals=2):
    """Decimal percentage → "72,45 %" (always two decimals, so that a column of
    percentages lines up); None → "—". Only thresholds set in whole numbers pass 0
    ("60 %")."""
    return _formatted(value, decimals, "{} %")


NUMBER_MAX_DECIMALS = 4  # the stored precision of indicator values (evaluation.models)


@register.filter
def number(value):
    """A plain number — an indicator value, a target, a baseline, a product quantity — with
    only the decimals it has, at most four (rounded half up): 3.00 → "3", 2.50 → "2,5",
    1500 → "1.500", 66.666666 → "66,6667"; None → "—"."""
    if value in (None, ""):
        return "—"
    amount = plain(
        Decimal(value).quantize(Decimal(1).scaleb(-NUMBER_MAX_DECIMALS), rounding=ROUND_HALF_UP)
    )
    decimals = max(-amount.as_tuple().exponent, 0)
    return number_format(amount, decimals, use_l10n=True, force_grouping=True)


def plain(value):
    """A Decimal without trailing zeros (10.5000 → 10.5, 100.0000 → 100); None stays None.
    For values that stay numbers: form fields, chart data."""
    if value is None:
        return None
    value = value.normalize()
    return value.quantize(Decimal(1)) if value.as_tuple().exponent > 0 else value


@register.filter
def measured(value, unit=""):
    """An indicator value in its unit of measure: in "%" like every percentage ("99,40 %"),
    in any other unit the plain number before it ("12,5 trámites"); None → "—"."""
    unit = (unit or "").strip()
    if unit == "%":
        return percent(value)
    text = number(value)
    return f"{text} {unit}" if unit and value not in (None, "") else text


def quantity_progress_text(delivered, target, unit, progress):
    """A progress driven by a product quantity, as shown everywhere: "3 de 4 capacitaciones
    (75,00 %)"; the progress alone ("75,00 %") without a quantity or a target."""
    if delivered is None or target is None:
        return percent(progress)
    return gettext("%(delivered)s de %(target)s %(unit)s (%(progress)s)") % {
        "delivered": number(delivered),
        "target": number(target),
        "unit": unit,
        "progress": percent(progress),
    }


def _formatted(value, decimals, pattern):
    """``value`` rounded half up to ``decimals`` places with es-CO separators, put in
    ``pattern``; None or "" → "—"."""
    if value in (None, ""):
        return "—"
    amount = Decimal(value).quantize(Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_UP)
    return pattern.format(number_format(amount, int(decimals), use_l10n=True, force_grouping=True))


SEMAFORO_CLASSES = {
    "verde": "text-bg-success",
    "amarillo": "text-bg-warning",
    "rojo": "text-bg-danger",
    "sin_meta": "text-bg-secondary",
    "sin_reporte": "text-bg-light border",
    "sin_linea_base": "text-bg-dark",
}
SEMAFORO_LABELS = {
    "verde": gettext_lazy("Verde"),
    "amarillo": gettext_lazy("Amarillo"),
    "rojo": gettext_lazy("Rojo"),
    "sin_meta": gettext_lazy("Sin meta"),
    "sin_reporte": gettext_lazy("Sin reporte"),
    "sin_linea_base": gettext_lazy("Sin línea base"),
}


@register.simple_tag
def semaforo_badge(state):
    """A badge with the colour and its name in text (never colour alone)."""
    if not state:
        return "—"
    key = str(state)
    return format_html(
        '<span class="badge {}">{}</span>',
        SEMAFORO_CLASSES.get(key, "text-bg-light"),
        SEMAFORO_LABELS.get(key, key),
    )
