"""Filter pieces shared by the FilterSets of every app."""

import django_filters
from django.utils.text import capfirst
from django.utils.translation import gettext as _


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's OrderingFilter with its choices labelled when the form renders.

    The stock filter builds its labels (and "(descending)") once, at import, in whatever
    language is active then; here they follow the request's language. Give Spanish
    `field_labels` (gettext_lazy) for every field.
    """

    def build_choices(self, fields, labels):
        def choices():
            result = []
            for field, param in fields.items():
                label = capfirst(str(labels.get(field, param.replace("_", " "))))
                result.append((param, label))
                result.append((f"-{param}", _("%(label)s (descendente)") % {"label": label}))
            return result

        return choices
