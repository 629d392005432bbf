from django import template

from offline.selectors import is_at_hand

register = template.Library()


@register.inclusion_tag("offline/includes/at_hand_button.html", takes_context=True)
def at_hand_button(context, resident):
    """Keep a resident at hand (their name on the phone's offline pages), or put them away."""
    request = context["request"]
    return {
        "resident": resident,
        "kept": is_at_hand(user=request.user, resident=resident),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
