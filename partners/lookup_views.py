"""The type-ahead searches of the partners' forms (static/js/picker.js): by POST, answering
only rows the user may see, scoped as the form's own field is, so that what is offered is
what the form accepts."""

from django.http import Http404, JsonResponse
from django.views.decorators.http import require_POST

from ema.access import allowed, can_act_on_referrals
from ema.http import AuthenticatedHttpRequest, lookup_response
from partners import selectors
from partners.access import organisation_for_user
from partners.forms import consent_label, intervention_label
from partners.models import Organisation


@require_POST
@allowed(can_act_on_referrals)
def referral_intervention_lookup(request: AuthenticatedHttpRequest) -> JsonResponse:
    """The latest interventions of the household sent as `within`, for a referral's links."""
    household = selectors.referral_household(user=request.user, pk=request.POST.get("within"))
    interventions = selectors.referral_interventions(
        user=request.user, household=household, q=request.POST.get("q", "")
    )
    return lookup_response((row.pk, intervention_label(row)) for row in interventions)


@require_POST
@allowed(can_act_on_referrals)
def referral_consent_lookup(request: AuthenticatedHttpRequest) -> JsonResponse:
    """The consents to share in force of the household sent as `within`."""
    household = selectors.referral_household(user=request.user, pk=request.POST.get("within"))
    consents = selectors.referral_consents(user=request.user, household=household)
    return lookup_response((consent.pk, consent_label(consent)) for consent in consents)


@require_POST
def committee_member_lookup(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    """The residents of the committee's site who may become its members, found by name."""
    committee = organisation_for_user(request.user, pk, write=True)
    if committee.kind != Organisation.Kind.TENANT_COMMITTEE:
        raise Http404
    residents = selectors.committee_residents_to_name(
        user=request.user, committee=committee, q=request.POST.get("q", "")
    )
    return lookup_response((resident.pk, resident.name_and_home) for resident in residents)


@require_POST
@allowed(can_act_on_referrals)
def organisation_lookup(request: AuthenticatedHttpRequest) -> JsonResponse:
    """The active partners found by name, for a referral."""
    organisations = selectors.organisations_to_name(q=request.POST.get("q", ""))
    return lookup_response((row.pk, row.name) for row in organisations)


@require_POST
@allowed(can_act_on_referrals)
def service_lookup(request: AuthenticatedHttpRequest) -> JsonResponse:
    """The services of the partner sent as `within`."""
    services = selectors.services_of(organisation=request.POST.get("within"))
    return lookup_response((service.pk, service.name) for service in services)
