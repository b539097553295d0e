from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accountability.models import AccountabilityReport, CitizenQuestion
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
class CitizenQuestionAdmin(SimpleHistoryAdmin):
    list_display = ["question", "author_name", "status", "created_at", "answered_at"]
    list_filter = ["status", "plan"]
    search_fields = ["question", "answer", "author_name", "author_email"]
    list_select_related = ["plan", "report"]
