"""The admin site keeps reference data, units, the entity's settings, users and API tokens,
and unlocks users locked out of the login (django-axes).

No back door (MIPG.md §5): figures, plan items and workflow state (plans, objectives,
goals, actions, periods, ratings, indicators and targets, progress reports, measurements,
evidence, budget allocations and executions, accountability reports) are written only
through the services (staff pages and the API), which check roles, units, states, locked
periods and reasons. Their admins derive from `ReadOnlyAdmin`: they show rows and history
to whoever may view them, and refuse every add, change, delete and history revert, also to
superusers.
"""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from mipg.core.api.tokens import issue_key, revoke_api_token
from mipg.core.models import ApiToken, Dimension, Entity, InstitutionalPlan, Policy, Unit, User


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """An admin that only shows: no add, change or delete, and no revert from the history
    (simple_history's history form saves on POST with the view permission alone)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        raise PermissionDenied

    def delete_model(self, request, obj):
        raise PermissionDenied


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
    fieldsets = [
        (None, {"fields": ["name", "nit"]}),
        (
            _("Reglas de seguimiento"),
            {
                "fields": [
                    "semaforo_red_below",
                    "semaforo_green_from",
                    "maintenance_tolerance_percent",
                    "evidence_required_to_submit",
                    "report_days_before_period",
                ]
            },
        ),
        (
            _("Identidad en el portal ciudadano"),
            {
                "fields": [
                    "logo",
                    "primary_color",
                    "address",
                    "phone",
                    "email",
                    "office_hours",
                    "website",
                ]
            },
        ),
    ]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Dependencias"), {"fields": ["units"]}),)
    filter_horizontal = [*BaseUserAdmin.filter_horizontal, "units"]
    list_filter = [*BaseUserAdmin.list_filter, "units"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens of any user. Adding one shows its key once; only the hash is stored."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        return ["user", "name"] if obj is None else ["user", "name", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is None else ["user", *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        key = issue_key(obj)
        super().save_model(request, obj, form, change)
        self.message_user(
            request,
            _("Clave del token «%(name)s»: %(key)s — cópiela ahora, no se volverá a mostrar.")
            % {"name": obj.name, "key": key},
            messages.WARNING,
        )

    @admin.action(description=_("Revocar los tokens seleccionados"))
    def revoke(self, request, queryset):
        revoked = 0
        for token in queryset.select_related("user").filter(revoked_at__isnull=True):
            revoke_api_token(token, by=request.user)
            revoked += 1
        self.message_user(request, _("%(count)s token(s) revocado(s).") % {"count": revoked})


# Login lockout (django-axes). Deleting an access attempt unlocks that user name and IP (as
# `manage.py axes_reset_username` does); the access logs are audit records, read-only.
class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    def has_change_permission(self, request, obj=None):
        return False


class AccessLogAdmin(axes_admin.AccessLogAdmin):
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AccessFailureLogAdmin(axes_admin.AccessFailureLogAdmin):
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for _model, _model_admin in [
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
]:
    admin.site.unregister(_model)
    admin.site.register(_model, _model_admin)
