from decimal import Decimal

from django.utils import translation

from mipg.core.templatetags.mipg_format import (
    money,
    percent,
    quantity,
    quantity_progress_text,
    semaforo_badge,
)


def test_money_uses_colombian_separators_and_no_decimals():
    with translation.override("es-co"):
        assert money(Decimal("1234567.5")) == "$ 1.234.568"
        assert money(Decimal("1234567.5"), 2) == "$ 1.234.567,50"
        assert money(None) == "—"


def test_percent_uses_decimal_comma():
    with translation.override("es-co"):
        assert percent(Decimal("72.45")) == "72,5 %"
        assert percent(Decimal("100"), 0) == "100 %"
        assert percent(None) == "—"


def test_quantity_shows_only_the_decimals_it_has():
    with translation.override("es-co"):
        assert quantity(Decimal("3.00")) == "3"
        assert quantity(Decimal("2.50")) == "2,5"
        assert quantity(Decimal("1500")) == "1.500"
        assert quantity(Decimal("100")) == "100"
        assert quantity(None) == "—"


def test_quantity_progress_text_names_delivered_target_and_unit():
    with translation.override("es-co"):
        text = quantity_progress_text(Decimal("3"), Decimal("4.00"), "capacitaciones", 75)
        plain = quantity_progress_text(None, None, "", Decimal("40"))
    with translation.override("en"):
        english = quantity_progress_text(Decimal("1"), Decimal("3"), "talleres", Decimal("33.33"))
    assert text == "3 de 4 capacitaciones (75,00 %)"
    assert plain == "40,00 %"
    assert english == "1 of 3 talleres (33.33 %)"


def test_semaforo_badge_carries_the_state_in_text():
    with translation.override("es-co"):
        html = semaforo_badge("amarillo")
    assert "Amarillo" in html
    assert "text-bg-warning" in html


def test_semaforo_badge_is_translated_in_english():
    with translation.override("en"):
        html = semaforo_badge("sin_linea_base")
    assert "No baseline" in html
