from django.contrib import admin

from management.models import (
    BudgetAllocation,
    BudgetExecution,
    FundingSource,
    ProgressEvidence,
    ProgressReport,
)
from mipg.core.admin import ReadOnlyAdmin, ReadOnlyInline


@admin.register(FundingSource)
class FundingSourceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name"]


class BudgetExecutionInline(ReadOnlyInline):
    model = BudgetExecution


@admin.register(BudgetAllocation)
class BudgetAllocationAdmin(ReadOnlyAdmin):
    list_display = ["rubro", "action", "source", "year", "appropriation"]
    list_filter = ["year", "source", "action__goal__objective__plan"]
    search_fields = ["rubro", "bpin", "action__code", "action__name"]
    list_select_related = ["action", "source"]
    raw_id_fields = ["action"]
    inlines = [BudgetExecutionInline]


@admin.register(BudgetExecution)
class BudgetExecutionAdmin(ReadOnlyAdmin):
    list_display = ["document_number", "stage", "amount", "date", "allocation"]
    list_filter = ["stage", "allocation__year", "allocation__source"]
    search_fields = ["document_number", "description", "allocation__rubro"]
    list_select_related = ["allocation__action", "allocation__source"]
    raw_id_fields = ["allocation"]


class ProgressEvidenceInline(ReadOnlyInline):
    model = ProgressEvidence
    raw_id_fields = ["uploaded_by"]


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["action", "period", "progress", "status", "submitted_by", "reviewed_by"]
    list_filter = ["status", "period__plan", "period", "action__unit"]
    search_fields = ["action__code", "action__name", "narrative"]
    list_select_related = ["action", "period", "submitted_by", "reviewed_by"]
    raw_id_fields = ["action", "created_by", "submitted_by", "reviewed_by"]
    inlines = [ProgressEvidenceInline]
