"""Reports, citizen questions and commitments are shown read-only: every write goes
through accountability.services (the staff pages), which check the moderation permission,
the states and the reasons, so the admin applies the same rule by writing nothing."""

from django.contrib import admin

from accountability.models import AccountabilityReport, CitizenQuestion, Commitment
from mipg.core.admin import ReadOnlyAdmin


@admin.register(AccountabilityReport)
class AccountabilityReportAdmin(ReadOnlyAdmin):
    list_display = ["title", "plan", "kind", "status", "created_at", "published_at"]
    list_filter = ["kind", "status", "plan"]
    search_fields = ["title", "summary"]
    list_select_related = ["plan"]
    filter_horizontal = ["periods"]
    readonly_fields = ["sha256", "generated_at", "published_at"]


@admin.register(CitizenQuestion)
class CitizenQuestionAdmin(ReadOnlyAdmin):
    list_display = ["question", "status", "topic_code", "created_at", "answered_at"]
    list_filter = ["status", "plan"]
    search_fields = ["question", "answer"]
    list_select_related = ["plan", "report"]


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    list_display = ["description", "unit", "due_date", "status", "report"]
    list_filter = ["status", "unit"]
    search_fields = ["description"]
    list_select_related = ["unit", "report"]
