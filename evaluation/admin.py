from django.contrib import admin

from evaluation.models import Indicator, IndicatorTarget, Measurement, MeasurementEvidence
from mipg.core.admin import ReadOnlyAdmin, ReadOnlyInline


class IndicatorTargetInline(ReadOnlyInline):
    model = IndicatorTarget


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "type", "level", "accumulation", "polarity", "unit"]
    list_filter = ["type", "level", "accumulation", "polarity", "frequency", "unit", "archived"]
    search_fields = ["code", "name", "formula"]
    list_select_related = ["unit"]
    raw_id_fields = ["goal", "objective", "responsible"]
    inlines = [IndicatorTargetInline]


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "period", "value"]
    list_filter = ["period__plan", "period"]
    search_fields = ["indicator__code", "indicator__name"]
    list_select_related = ["indicator", "period"]


class MeasurementEvidenceInline(ReadOnlyInline):
    model = MeasurementEvidence
    raw_id_fields = ["uploaded_by"]


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "period", "value", "status", "submitted_by", "reviewed_by"]
    list_filter = ["status", "period__plan", "period", "indicator__unit"]
    search_fields = ["indicator__code", "indicator__name", "narrative"]
    list_select_related = ["indicator", "period", "submitted_by", "reviewed_by"]
    raw_id_fields = ["indicator", "created_by", "submitted_by", "reviewed_by"]
    inlines = [MeasurementEvidenceInline]
