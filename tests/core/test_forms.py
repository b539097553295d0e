"""Shared form fields: numbers typed the Colombian way, strictly; long texts limited."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from management.forms import money_field
from mipg.core.forms import long_text_field

MALFORMED = "Escriba el número sin separadores fuera de lugar, p. ej. 1.234.567,89 o 1234567,89."


class MoneyForm(forms.Form):
    amount = money_field("Valor")
    notes = long_text_field("Notas")


def _clean(amount, notes=""):
    with translation.override("es-co"):
        form = MoneyForm({"amount": amount, "notes": notes})
        form.is_valid()
    return form


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1.234.567,89", Decimal("1234567.89")),
        ("1234567,89", Decimal("1234567.89")),
        ("1.234", Decimal("1234")),
        ("12.5", Decimal("12.5")),
        ("-2.500", Decimal("-2500")),
        ("500", Decimal("500")),
    ],
)
def test_money_typed_the_colombian_way_is_read(typed, value):
    assert _clean(typed).cleaned_data["amount"] == value


@pytest.mark.parametrize("typed", ["12.34.56", "1.23.456", "1,234.56", "1.2345,6", "1..234"])
def test_money_with_misplaced_separators_is_refused_in_spanish(typed):
    assert _clean(typed).errors == {"amount": [MALFORMED]}


def test_long_texts_are_limited_to_5000_characters():
    assert _clean("1", "x" * 5000).errors == {}
    assert _clean("1", "x" * 5001).errors == {
        "notes": ["Asegúrese de que este valor tenga como máximo 5000 caracteres (tiene 5001)."]
    }


def test_text_that_is_not_a_number_keeps_djangos_message():
    assert _clean("diez").errors == {"amount": ["Ingrese un número."]}
