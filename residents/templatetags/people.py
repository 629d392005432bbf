"""Names on pages, only for those who may open the file (residents.access)."""

from operator import attrgetter

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext

from residents.access import PeopleShown, can_open_household, can_open_resident, people_shown

register = template.Library()


def _someone_else() -> str:
    return format_html(
        '<span class="text-body-secondary">{}</span>', gettext("a person from another site")
    )


@register.simple_tag(takes_context=True)
def person(context, resident, link: bool = True):
    """A resident's name (a link to their file), or "a person from another site" for whoever
    may not open that file."""
    if not can_open_resident(context["request"].user, resident):
        return _someone_else()
    if not link:
        return resident.full_name
    return format_html('<a href="{}">{}</a>', resident.get_absolute_url(), resident.full_name)


@register.simple_tag(takes_context=True)
def household_name(context, household, link: bool = True):
    """A household's name and unit (a link to its file), or a neutral mention."""
    if not can_open_household(context["request"].user, household):
        return format_html(
            '<span class="text-body-secondary">{}</span>',
            gettext("a household of another site"),
        )
    if not link:
        return household.display_name
    return format_html('<a href="{}">{}</a>', household.get_absolute_url(), household.display_name)


@register.simple_tag
def others(people) -> str:
    """How many people of a list (residents.access.PeopleShown) are from another site."""
    return render_to_string("residents/includes/others.html", {"count": people.others})


@register.simple_tag(takes_context=True)
def people_seen(context, rows) -> PeopleShown:
    """Rows that name a resident (participations...) split into those the reader may see by
    name and a count of the others: `{% people_seen rows as people %}`."""
    return people_shown(context["request"].user, rows, resident=attrgetter("resident"))
