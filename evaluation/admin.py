from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evaluation.models import Indicator, IndicatorTarget, Measurement, MeasurementEvidence


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "type", "level", "accumulation", "polarity", "unit"]
    list_filter = ["type", "level", "accumulation", "polarity", "frequency", "unit", "archived"]
    search_fields = ["code", "name", "formula"]
    list_select_related = ["unit"]
    raw_id_fields = ["goal", "objective", "responsible"]
    inlines = [IndicatorTargetInline]


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "period", "value"]
    list_filter = ["period__plan", "period"]
    search_fields = ["indicator__code", "indicator__name"]
    list_select_related = ["indicator", "period"]


class MeasurementEvidenceInline(admin.TabularInline):
    model = MeasurementEvidence
    extra = 0
    raw_id_fields = ["uploaded_by"]


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "period", "value", "status", "submitted_by", "reviewed_by"]
    list_filter = ["status", "period__plan", "period", "indicator__unit"]
    search_fields = ["indicator__code", "indicator__name", "narrative"]
    list_select_related = ["indicator", "period", "submitted_by", "reviewed_by"]
    raw_id_fields = ["indicator", "created_by", "submitted_by", "reviewed_by"]
    inlines = [MeasurementEvidenceInline]
