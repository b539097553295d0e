"""Form fields shared by the forms of every app: numbers typed the Colombian way, checked
strictly, and long free texts with a maximum length."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import fields_for_model
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from mipg.core.models import TEXT_MAX_LENGTH
from mipg.core.templatetags.mipg_format import plain


class DecimalInputField(forms.DecimalField):
    """A DecimalField whose input shows a stored value without trailing zeros (75.0000 →
    75), as the pages show it."""

    def prepare_value(self, value):
        return plain(value) if isinstance(value, Decimal) else value


class LocalizedDecimalField(DecimalInputField):
    """A DecimalField typed in the active language's format (es-CO: `1.234.567,89`).

    Django drops every thousands separator before parsing, wherever it is, so `12.34.56`
    would be stored as 123456. This field first checks the shape of the text: digits with
    at most one decimal separator (`1234567,89`; a lone dot is read as Django reads it), or
    thousands separators every three digits (`1.234.567,89`). Anything else is refused."""

    default_error_messages = {
        "malformed": _(
            "Escriba el número sin separadores fuera de lugar, p. ej. 1.234.567,89 o 1234567,89."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        text = value.strip() if isinstance(value, str) else ""
        # Only digits and separators, badly placed; other junk gets Django's "Ingrese un número".
        if re.fullmatch(r"[+-]?[\d.,]+", text) and not well_formed_number(text):
            raise ValidationError(self.error_messages["malformed"], code="malformed")
        return super().to_python(value)


def well_formed_number(text):
    """True when `text` is a number in the active format: optional sign, digits with at
    most one decimal separator (either kind), or thousands separators every three digits."""
    decimal = re.escape(get_format("DECIMAL_SEPARATOR"))
    thousands = re.escape(get_format("THOUSAND_SEPARATOR"))
    plain = r"[+-]?\d*(?:[.,]\d*)?"
    grouped = rf"[+-]?\d{{1,3}}(?:{thousands}\d{{3}})+(?:{decimal}\d*)?"
    return re.fullmatch(f"{plain}|{grouped}", text) is not None


def long_text_field(label, *, rows=3, **kwargs):
    """An optional free text (description, narrative, comment, reason) of at most
    TEXT_MAX_LENGTH characters, in a textarea."""
    kwargs.setdefault("required", False)
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


def model_form_fields(model, fields, widgets=None):
    """fields_for_model, with the model's TextFields limited to TEXT_MAX_LENGTH characters
    (the database does not limit them) and its decimals shown without trailing zeros."""

    def formfield(db_field, **kwargs):
        if db_field.get_internal_type() == "TextField" and not db_field.choices:
            kwargs.setdefault("max_length", TEXT_MAX_LENGTH)
        if db_field.get_internal_type() == "DecimalField":
            kwargs.setdefault("form_class", DecimalInputField)
        return db_field.formfield(**kwargs)

    return fields_for_model(model, fields=fields, widgets=widgets, formfield_callback=formfield)


class _RowsIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.rows:
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.rows) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.rows)


class RowsChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField over rows the view has read already (``set_rows``, model
    instances in display order): rendering its options and validating the choice read no
    query (a plain ModelChoiceField queries its queryset for each)."""

    iterator = _RowsIterator

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", None)
        super().__init__(**kwargs)
        self.rows = []

    def set_rows(self, rows):
        self.rows = list(rows)
        self.widget.choices = self.choices

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        if isinstance(value, models.Model):
            value = getattr(value, key)
        for row in self.rows:
            if str(getattr(row, key)) == str(value):
                return row
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )
