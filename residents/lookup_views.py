"""What a type-ahead asks for as the person types: a few names, of the sites they may see.

A POST, so that no name typed travels in an address that proxies and browsers keep (the
reason residents/searches.py keeps list searches in the session)."""

from django.http import JsonResponse
from django.views.decorators.http import require_POST

from ema.http import AuthenticatedHttpRequest, lookup_response
from residents import selectors


@require_POST
def resident_lookup(request: AuthenticatedHttpRequest) -> JsonResponse:
    # A form may ask for the members of the household it names (`within`).
    residents = selectors.residents_to_name(
        user=request.user, q=request.POST.get("q", ""), household=request.POST.get("within")
    )
    return lookup_response([(resident.pk, resident.name_and_home) for resident in residents])


@require_POST
def household_lookup(request: AuthenticatedHttpRequest) -> JsonResponse:
    households = selectors.households_to_name(user=request.user, q=request.POST.get("q", ""))
    return lookup_response([(household.pk, household.name_and_unit) for household in households])
