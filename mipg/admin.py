from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from mipg.models import Dimension, Entity, InstitutionalPlan, Policy, Unit, User


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_es", "name_en", "order"]
    search_fields = ["code", "name_es", "name_en"]


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_es", "dimension", "leader"]
    list_filter = ["dimension"]
    search_fields = ["code", "name_es", "name_en", "leader"]
    list_select_related = ["dimension"]


@admin.register(InstitutionalPlan)
class InstitutionalPlanAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "policy", "order"]
    list_filter = ["policy"]
    search_fields = ["code", "name"]
    list_select_related = ["policy"]


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "parent", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]


@admin.register(Entity)
class EntityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "nit", "semaforo_red_below", "semaforo_green_from"]
    search_fields = ["name", "nit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Dependencias"), {"fields": ["units"]}),)
    filter_horizontal = [*BaseUserAdmin.filter_horizontal, "units"]
    list_filter = [*BaseUserAdmin.list_filter, "units"]
