"""Colombian formatting for money, percentages and the semáforo."""

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
def percent(value, decimals=1):
    """Decimal percentage → "72,5 %"; None → "—"."""
    return _formatted(value, decimals, "{} %")


@register.filter
def quantity(value):
    """A product quantity with only the decimals it has: 3.00 → "3", 2.50 → "2,5",
    1500 → "1.500"; None → "—"."""
    if value in (None, ""):
        return "—"
    text = f"{Decimal(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    decimals = len(text.partition(".")[2])
    return number_format(Decimal(text), decimals, use_l10n=True, force_grouping=True)


def quantity_progress_text(delivered, target, unit, progress):
    """A progress driven by a product quantity, as shown everywhere: "3 de 4 capacitaciones
    (75,00 %)"; the progress alone ("75,00 %") without a quantity or a target."""
    if delivered is None or target is None:
        return percent(progress, 2)
    return gettext("%(delivered)s de %(target)s %(unit)s (%(progress)s)") % {
        "delivered": quantity(delivered),
        "target": quantity(target),
        "unit": unit,
        "progress": percent(progress, 2),
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
