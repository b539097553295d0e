"""What people type in a spreadsheet cell, read into values: "30 %", 0,3 or 30 for a
weight; dd/mm/aaaa or a real Excel date; "$ 1.234.567,50" for money; catalogue names with
or without accents or capitals. Each reader raises ``CellError`` with a Spanish message."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from mipg.traceability.spreadsheet.layout import normalise

HUNDRED = Decimal("100")
# "1.234.567" or "1.234.567,5": dots group thousands (Colombian style).
THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")
DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%Y-%m-%d")


class CellError(ValueError):
    pass


def blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def text(value):
    if blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


def decimal(value):
    """A number from a numeric cell or from text in Colombian ("1.234,5") or plain ("1234.5")
    style; None when blank."""
    if blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("Escriba un número."))
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    raw = str(value).replace("$", "").replace("%", "").replace("\xa0", "").replace(" ", "")
    if THOUSANDS.match(raw) or "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise CellError(_("«%(value)s» no es un número.") % {"value": value}) from None
    if not number.is_finite():
        raise CellError(_("«%(value)s» no es un número.") % {"value": value})
    return number


def percentage(value, number_format=""):
    """A percentage 0..100: "30 %", 30, 0,3 and a 30 % formatted cell (0.3) all give 30.
    A plain number below 1 is read as a fraction (0,5 = 50 %)."""
    number = decimal(value)
    if number is None:
        return None
    typed_percent = isinstance(value, str) and "%" in value
    if not typed_percent and (
        ("%" in (number_format or "") and not isinstance(value, str)) or 0 < abs(number) < 1
    ):
        number *= HUNDRED
    # Without trailing zeros: 0,005 (0,5 % formatted as a percentage) × 100 is 0.500, which
    # a two-decimal weight field counts as three decimals.
    return number.normalize()


def date(value):
    """A real Excel date, an Excel serial number or dd/mm/aaaa text; None when blank."""
    if blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return from_excel(value).date()
        except (OverflowError, ValueError):  # a serial beyond any calendar (1e308, NaN)
            raise CellError(
                _("«%(value)s» no es una fecha; escríbala como dd/mm/aaaa.") % {"value": value}
            ) from None
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(str(value).strip(), fmt).date()
        except ValueError:
            continue
    raise CellError(_("«%(value)s» no es una fecha; escríbala como dd/mm/aaaa.") % {"value": value})


def year(value):
    number = decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(_("«%(value)s» no es un año.") % {"value": value})
    return int(number)


class Catalogue:
    """Names and codes of a catalogue (units, sources, policies...), found whatever the
    accents, case or spacing; ``label`` is how the export writes an entry."""

    def __init__(self, entries, *, keys, label=str):
        self.label = label
        self.by_key = {}
        self.found = {}  # what was typed → entry: a 20,000-row file repeats a few names
        self.labels = []
        for entry in entries:
            self.labels.append(label(entry))
            for key in keys(entry):
                if blank(key):
                    continue
                self.by_key.setdefault(normalise(key), entry)

    def find(self, value, *, what):
        if blank(value):
            return None
        entry = self.found.get(value)
        if entry is None:
            entry = self.found[value] = self.by_key.get(normalise(value))
        if entry is None:
            raise CellError(
                _("«%(value)s» no está en la lista de %(what)s.") % {"value": value, "what": what}
            )
        return entry

    def find_many(self, value, *, what):
        """Several entries separated by ";" (or line breaks)."""
        if blank(value):
            return []
        parts = [part for part in re.split(r"[;\n]", str(value)) if part.strip()]
        return [self.find(part, what=what) for part in parts]


def choices_catalogue(choices):
    """A catalogue of a model's TextChoices: found by its Spanish label or its value,
    written as the Spanish label."""
    with translation.override("es"):
        labels = {choice: str(choice.label) for choice in choices}
    return Catalogue(
        list(choices),
        keys=lambda choice: (choice.value, labels[choice]),
        label=lambda choice: labels[choice],
    )
