from decimal import Decimal

from django.utils import translation

from mipg.core.templatetags.mipg_format import (
    measured,
    money,
    number,
    percent,
    quantity_progress_text,
    semaforo_badge,
)


def test_money_uses_colombian_separators_and_no_decimals():
    with translation.override("es-co"):
        assert money(Decimal("1234567.5")) == "$ 1.234.568"
        assert money(Decimal("1234567.5"), 2) == "$ 1.234.567,50"
        assert money(None) == "—"


def test_percent_has_two_decimals_and_a_decimal_comma():
    with translation.override("es-co"):
        assert percent(Decimal("72.45")) == "72,45 %"
        # 200/3 = 66.666… rounds half up to 66.67; 0.005 rounds up to 0.01
        assert percent(Decimal(200) / 3) == "66,67 %"
        assert percent(Decimal("0.005")) == "0,01 %"
        assert percent(Decimal("75.0000")) == "75,00 %"
        assert percent(Decimal("1234.5")) == "1.234,50 %"
        assert percent(Decimal("100"), 0) == "100 %"
        assert percent(None) == "—"


def test_number_shows_only_the_decimals_it_has():
    with translation.override("es-co"):
        assert number(Decimal("3.00")) == "3"
        assert number(Decimal("2.50")) == "2,5"
        assert number(Decimal("1500")) == "1.500"
        assert number(Decimal("100")) == "100"
        assert number(Decimal("75.0000")) == "75"
        assert number(Decimal("1234567.1250")) == "1.234.567,125"
        assert number(None) == "—"


def test_number_rounds_half_up_to_the_stored_four_decimals():
    with translation.override("es-co"):
        # 200/3 = 66.66666… → 66.6667; 0.00005 → 0.0001
        assert number(Decimal(200) / 3) == "66,6667"
        assert number(Decimal("0.00005")) == "0,0001"
        assert number(Decimal("0.00004")) == "0"


def test_measured_shows_a_percentage_unit_like_every_percentage():
    with translation.override("es-co"):
        assert measured(Decimal("99.4000"), "%") == "99,40 %"
        assert measured(Decimal("12.5000"), "trámites") == "12,5 trámites"
        assert measured(Decimal("1500"), "") == "1.500"
        assert measured(None, "%") == "—"
        assert measured(None, "trámites") == "—"


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
