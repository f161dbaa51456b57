"""The document title: 「ホーム | オンライン市役所」, or the site name alone."""

from django import template
from django.template.base import NodeList, Parser, Token
from django.template.context import Context
from django.utils.html import conditional_escape

register = template.Library()


class PageTitleNode(template.Node):
    child_nodelists = ("nodelist",)  # so {% block title %} inside is still overridable

    def __init__(self, nodelist: NodeList, site_name: template.base.FilterExpression) -> None:
        self.nodelist = nodelist
        self.site_name = site_name

    def render(self, context: Context) -> str:
        page = self.nodelist.render(context).strip()
        site = conditional_escape(self.site_name.resolve(context))
        return f"{page} | {site}" if page else str(site)


@register.tag("page_title")
def page_title(parser: Parser, token: Token) -> PageTitleNode:
    """{% page_title SITE_NAME %}{% block title %}{% endblock %}{% endpage_title %}"""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("page_title takes the site name")
    nodelist = parser.parse(("endpage_title",))
    parser.delete_first_token()
    return PageTitleNode(nodelist, parser.compile_filter(bits[1]))
