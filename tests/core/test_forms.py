"""Shared form fields: numbers typed the Colombian way, strictly; long texts limited."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from management.forms import money_field
from mipg.core.forms import (
    DecimalInputField,
    LocalizedDecimalField,
    long_text_field,
    model_form_fields,
)
from planning.models import Action

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


class Figures(forms.Form):
    value = DecimalInputField(max_digits=20, decimal_places=4, required=False)
    amount = LocalizedDecimalField(max_digits=20, decimal_places=4, required=False)


def test_decimal_inputs_show_stored_values_without_trailing_zeros():
    form = Figures(initial={"value": Decimal("243.0000"), "amount": Decimal("4850.5000")})
    with translation.override("es-co"):
        assert form["value"].value() == Decimal("243")
        assert 'value="243"' in str(form["value"])
        assert 'value="4.850,5"' in str(form["amount"])


def test_decimal_inputs_keep_what_was_typed():
    form = Figures(data={"value": "12.50", "amount": "1.234,50"})
    assert 'value="12.50"' in str(form["value"])
    assert 'value="1.234,50"' in str(form["amount"])


def test_model_form_fields_show_weights_without_trailing_zeros():
    fields = model_form_fields(Action, ["weight"])
    assert isinstance(fields["weight"], DecimalInputField)
    assert fields["weight"].prepare_value(Decimal("25.00")) == Decimal("25")
