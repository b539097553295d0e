"""``{% page_query page number %}``: the current query string with ``page``'s parameter
(``mipg.core.web.paginate``'s ``param``, "page" by default) set to ``number``."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, page, number):
    query = context.request.GET.copy()
    query[getattr(page, "param", "page")] = number
    return f"?{query.urlencode()}"
