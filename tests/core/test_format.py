from decimal import Decimal

from django.utils import translation

from mipg.core.templatetags.mipg_format import money, percent, semaforo_badge


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


def test_semaforo_badge_carries_the_state_in_text():
    with translation.override("es-co"):
        html = semaforo_badge("amarillo")
    assert "Amarillo" in html
    assert "text-bg-warning" in html


def test_semaforo_badge_is_translated_in_english():
    with translation.override("en"):
        html = semaforo_badge("sin_linea_base")
    assert "No baseline" in html
