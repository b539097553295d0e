"""Counts as correlated subqueries.

``annotate(a=Count("x", distinct=True), b=Count("y", distinct=True))`` joins both tables at
once: each row meets |x| × |y| rows before DISTINCT folds them back, so the query grows
with the product of the two (the square of the data). One subquery per count reads each
table once per row and stays linear, whatever the number of counts.
"""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def count_subquery(queryset, field):
    """COUNT(*) of the rows of ``queryset`` whose ``field`` (a lookup path to the outer
    model) is the outer row, for ``annotate``; 0 when there are none."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def related_count(model, name):
    """``count_subquery`` of the reverse relation ``name`` of ``model`` (e.g.
    ``related_count(ReportingPeriod, "progress_reports")``), without importing the related
    model: a floor may count what the floors above hang on its rows."""
    relation = model._meta.get_field(name)
    return count_subquery(relation.related_model._base_manager.all(), relation.field.name)
