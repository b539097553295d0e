from django.contrib import admin

from mipg.core.admin import ReadOnlyAdmin
from planning.models import Action, ActionRating, Goal, Objective, ReportingPeriod, StrategicPlan


@admin.register(StrategicPlan)
class StrategicPlanAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "start_year", "end_year", "status", "parent"]
    list_filter = ["kind", "status", "start_year"]
    search_fields = ["name", "description"]
    list_select_related = ["parent"]


@admin.register(Objective)
class ObjectiveAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "plan", "weight", "archived"]
    list_filter = ["plan", "policies__dimension", "policies", "archived"]
    search_fields = ["code", "name"]
    filter_horizontal = ["policies"]
    list_select_related = ["plan"]


@admin.register(Goal)
class GoalAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "objective", "unit", "weight", "archived"]
    list_filter = ["objective__plan", "unit", "archived"]
    search_fields = ["code", "name", "product"]
    list_select_related = ["objective", "unit"]


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "goal", "unit", "start_date", "end_date", "weight", "archived"]
    list_filter = ["goal__objective__plan", "unit", "institutional_plans", "archived"]
    search_fields = ["code", "name", "deliverable"]
    filter_horizontal = ["institutional_plans"]
    list_select_related = ["goal", "unit"]
    raw_id_fields = ["responsible"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ReadOnlyAdmin):
    list_display = ["label", "plan", "start_date", "end_date", "due_date", "locked"]
    list_filter = ["plan", "locked"]
    search_fields = ["label"]
    list_select_related = ["plan"]


@admin.register(ActionRating)
class ActionRatingAdmin(ReadOnlyAdmin):
    list_display = ["action", "year", "semester", "rating", "rated_by"]
    list_filter = ["year", "semester", "rating"]
    search_fields = ["action__code", "action__name", "comment"]
    list_select_related = ["action", "rated_by"]
