"""The partner's page: a referral answered through a link, without an EMA account. The token
is the only key; the page shows the reference, the date and what the consent allows to share,
never a name or an address."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ema.access import role_not_required, two_factor_not_required
from ema.forms import add_service_errors
from partners import services
from partners.access import partner_link_for_token
from partners.forms import PartnerAnswerForm
from partners.links import within_budget
from partners.models import PartnerLink


def _private(response: HttpResponse) -> HttpResponse:
    # The token is in the address: no other site learns it through a Referer, and no search
    # engine keeps the page. (Not "no-referrer": the form's POST would carry `Origin: null`,
    # which the CSRF check refuses.)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _why_closed(link: PartnerLink) -> str:
    if link.revoked_at is not None:
        return _("EMA withdrew this link.")
    if not link.referral.is_open:
        return _("This referral is closed: there is nothing more to answer. Thank you.")
    return _("This link has expired.")


@login_not_required
@role_not_required
@two_factor_not_required
@require_http_methods(["GET", "POST"])
@never_cache
def partner_link(request: HttpRequest, token: str) -> HttpResponse:
    if not within_budget(request, token):
        return _private(render(request, "partners/partner_link_busy.html", status=429))
    link = partner_link_for_token(token)
    if not link.is_working:
        return _private(
            render(
                request,
                "partners/partner_link_closed.html",
                {"link": link, "why": _why_closed(link)},
                status=410,
            )
        )
    referral = link.referral
    form = PartnerAnswerForm(request.POST or None, answers=services.partner_answers(referral))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.partner_link_answer(link=link, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Thank you: your answer was sent to EMA."))
                return _private(redirect(request.path))
        status = 400
    else:
        services.partner_link_open(link=link)
    return _private(
        render(
            request,
            "partners/partner_link.html",
            {
                "link": link,
                "referral": referral,
                "form": form,
                # What the consent allows to share: nothing once it is withdrawn.
                "shared": (
                    referral.information_shared if not services.consent_problem(referral) else ""
                ),
                "hide_navigation": True,
            },
            status=status,
        )
    )
