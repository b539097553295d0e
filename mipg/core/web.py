"""Small pieces shared by the HTML views of every app."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from mipg.core.trace import trace_up

PAGE_SIZE = 25


def apply_service_errors(form, error: ValidationError):
    """Show a service's ValidationError on the form: beside the field it names when the
    form has that field, at the top of the form otherwise."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target if field != NON_FIELD_ERRORS else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def paginate(request, queryset, per_page=PAGE_SIZE, *, param="page"):
    """A page of `queryset` from ?page= (``param``: another name, for a page with several
    paginated lists); out-of-range pages give the last page. The page keeps ``param`` for
    templates/includes/pagination.html."""
    page = Paginator(queryset, per_page).get_page(request.GET.get(param))
    page.param = param
    return page


class UrlPattern:
    """The URL ``name`` for any last argument, reversed once: long lists build their rows'
    links by formatting a string instead of resolving the URLconf per row.
    ``UrlPattern("planning:goal-edit")(7)`` == ``reverse("planning:goal-edit", args=[7])``;
    ``fixed`` are the arguments before the last one."""

    PLACEHOLDER = "2147483646"

    def __init__(self, name, *fixed):
        url = reverse(name, args=[*fixed, int(self.PLACEHOLDER)])
        self.head, _placeholder, self.tail = url.rpartition(self.PLACEHOLDER)

    def __call__(self, pk):
        return f"{self.head}{pk}{self.tail}"


def _url(obj):
    try:
        return obj.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return None


def crumbs_for(obj, *, last=None):
    """Breadcrumbs that follow the traceability chain: plan → objective → goal → action
    (→ the item), as a list of (label, url) for templates/includes/breadcrumbs.html."""
    trace = trace_up(obj)
    crumbs = [(_("Planes"), reverse("planning:plan-list"))]
    for plan in reversed(trace.plan_ancestors):
        crumbs.append((str(plan), _url(plan)))
    for node in (trace.plan, trace.objective, trace.goal, trace.action, trace.indicator):
        if node is not None and (not crumbs or crumbs[-1][0] != str(node)):
            crumbs.append((f"{capfirst(node._meta.verbose_name)}: {node}", _url(node)))
    if trace.item not in (trace.plan, trace.objective, trace.goal, trace.action, trace.indicator):
        crumbs.append((str(trace.item), _url(trace.item)))
    if last:
        crumbs.append((last, None))
    return crumbs
