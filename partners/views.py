from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ema.access import allowed, can_act_on_referrals, can_export, can_manage_partners
from ema.concurrency import StaleEditError
from ema.exports import export_response
from ema.forms import add_service_errors, form_status
from ema.http import AuthenticatedHttpRequest
from ema.submissions import once_for, one_time_submission
from partners import selectors, services
from partners.access import (
    organisation_for_user,
    partner_link_for_user,
    referral_for_user,
)
from partners.concertation.selectors import organisation_commitments
from partners.forms import (
    AgreementFormSet,
    ContactFormSet,
    MembershipForm,
    OrganisationFilterForm,
    OrganisationForm,
    PartnerLinkForm,
    ReferralConsentForm,
    ReferralFilterForm,
    ReferralForm,
    ServiceFormSet,
    StatusForm,
)
from partners.models import Organisation, Referral
from residents.models import Household, Resident

PER_PAGE = 25


def organisation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = selectors.directory_search(
        user=request.user,
        q=filters.get("q", ""),
        kind=filters.get("kind", ""),
        site=filters.get("site"),
    )
    page = Paginator(organisations, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partners/organisation_list.html",
        {
            "form": form,
            "page_obj": page,
            "query": query.urlencode(),
            "can_manage": can_manage_partners(request.user),
            "ending_soon": selectors.agreements_ending_soon(),
        },
    )


def organisation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = organisation_for_user(request.user, pk)
    visible = Referral.objects.visible_to(request.user)
    return render(
        request,
        "partners/organisation_detail.html",
        {
            "organisation": organisation,
            **selectors.organisation_page(organisation=organisation, user=request.user),
            "figures": selectors.partner_figures(organisation=organisation, referrals=visible),
            "joint_activities": selectors.joint_activities(
                organisation=organisation, user=request.user
            ),
            "commitments": organisation_commitments(
                organisation_id=organisation.pk, today=timezone.localdate()
            ),
            "can_manage": can_manage_partners(request.user),
        },
    )


@one_time_submission()
def organisation_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_manage_partners(request.user):
        raise PermissionDenied
    return _organisation_form(request, Organisation())


def organisation_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _organisation_form(request, organisation_for_user(request.user, pk, write=True))


def _organisation_form(
    request: AuthenticatedHttpRequest, organisation: Organisation
) -> HttpResponse:
    data = request.POST or None
    form = OrganisationForm(data, instance=organisation)
    formsets = [
        ServiceFormSet(data, instance=organisation, prefix="services"),
        ContactFormSet(data, instance=organisation, prefix="contacts"),
        AgreementFormSet(data, instance=organisation, prefix="agreements"),
    ]
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in formsets):
        with once_for(form, by=request.user) as claim:
            claim.made(
                services.organisation_save(
                    organisation=form.instance, sites=form.cleaned_data["sites"], formsets=formsets
                )
            )
        messages.success(request, _("The partner was saved."))
        return redirect(form.instance)
    return render(
        request,
        "partners/organisation_form.html",
        {
            "form": form,
            "sections": list(
                zip((_("Services"), _("Contacts"), _("Agreements")), formsets, strict=True)
            ),
            "organisation": organisation,
        },
        status=form_status(request),
    )


@one_time_submission()
def membership_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    committee = organisation_for_user(request.user, pk, write=True)
    if committee.kind != Organisation.Kind.TENANT_COMMITTEE:
        raise Http404
    form = MembershipForm(request.POST or None, user=request.user, committee=committee)
    if request.method == "POST" and form.is_valid():
        try:
            with once_for(form, by=request.user) as claim:
                claim.made(services.membership_save(membership=form.instance))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The membership was recorded."))
            return redirect(committee)
    return render(
        request,
        "partners/membership_form.html",
        {"form": form, "committee": committee},
        status=form_status(request),
    )


def referral_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReferralFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    queue = selectors.referral_queue_page(
        user=request.user,
        organisation=filters.get("organisation"),
        site=filters.get("site"),
        responsible=filters.get("responsible"),
        page_number=request.GET.get("page"),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partners/referral_queue.html",
        {
            "form": form,
            "groups": queue.groups,
            "sections": [(key, rows, queue.totals[key]) for key, rows in queue.groups.items()],
            "page_obj": queue.page,
            "query": query.urlencode(),
            "can_export": can_export(request.user),
        },
    )


@one_time_submission()
def referral_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_act_on_referrals(request.user):
        raise PermissionDenied
    household = None
    if request.GET.get("household", "").isdigit():
        household = get_object_or_404(
            Household.objects.visible_to(request.user), pk=int(request.GET["household"])
        )
    referral = Referral()
    if request.GET.get("organisation", "").isdigit():
        referral.organisation = get_object_or_404(
            Organisation.objects.filter(is_active=True), pk=int(request.GET["organisation"])
        )
    if request.GET.get("resident", "").isdigit():
        resident = get_object_or_404(
            Resident.objects.visible_to(request.user), pk=int(request.GET["resident"])
        )
        referral.resident, household = resident, resident.household
    return _referral_form(request, referral, household=household)


def referral_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = referral_for_user(request.user, pk, write=True)
    if not referral.is_open:
        messages.info(request, _("This referral is closed: its details no longer change."))
        return redirect(referral)
    return _referral_form(request, referral, household=referral.household)


def _referral_form(
    request: AuthenticatedHttpRequest, referral: Referral, *, household: Household | None = None
) -> HttpResponse:
    form = ReferralForm(
        request.POST or None, instance=referral, user=request.user, household=household
    )
    status, stale_url = form_status(request), None
    if request.method == "POST" and form.is_valid():
        try:
            with once_for(form, by=request.user) as claim:
                claim.made(
                    services.referral_save(
                        referral=form.instance,
                        by=request.user,
                        themes=form.cleaned_data["themes"],
                        interventions=form.cleaned_data["interventions"],
                        expected_version=form.expected_version,
                    )
                )
        except StaleEditError as error:
            form.show_stale(error)
            status, stale_url = 409, referral.get_absolute_url()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The referral was saved."))
            return redirect(form.instance)
    return render(
        request,
        "partners/referral_form.html",
        {"form": form, "referral": referral, "stale_url": stale_url},
        status=status,
    )


@one_time_submission()
def referral_consent_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record, from a referral's page, a resident's consent to share with its partner; the
    consent is attached to the referral."""
    referral = referral_for_user(request.user, pk, write=True)
    resident = _consenting_resident(request, referral)
    form = ReferralConsentForm(request.POST or None, resident=resident, referral=referral)
    if request.method == "POST" and form.is_valid():
        try:
            with once_for(form, by=request.user) as claim:
                claim.made(
                    services.referral_consent_record(
                        referral=referral, consent=form.instance, by=request.user
                    )
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The consent was recorded and attached to the referral."))
            return redirect(referral)
    return render(
        request,
        "residents/consent_form.html",
        {"form": form, "resident": resident, "cancel_url": referral.get_absolute_url()},
        status=form_status(request),
    )


def _consenting_resident(request: AuthenticatedHttpRequest, referral: Referral) -> Resident:
    """Who gives the consent: the referral's resident, or the member of its household the
    page's link names."""
    if referral.resident is not None:
        return referral.resident
    resident_id = request.GET.get("resident", "")
    if not resident_id.isdigit():
        raise Http404
    return get_object_or_404(referral.household.members.current(), pk=int(resident_id))


def _referral_page(
    request: AuthenticatedHttpRequest,
    referral: Referral,
    *,
    status_form: StatusForm | None = None,
    link_form: PartnerLinkForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """A referral's page, with its forms (fresh, or sent back with their errors)."""
    can_act = can_act_on_referrals(request.user)
    if can_act and referral.is_open:
        status_form = status_form or StatusForm(referral=referral)
    link_problem = services.partner_link_problem(referral)
    if can_act and not link_problem:
        link_form = link_form or PartnerLinkForm(referral=referral)
    return render(
        request,
        "partners/referral_detail.html",
        {
            "referral": referral,
            **selectors.referral_page(referral=referral),
            "can_act": can_act,
            "status_form": status_form,
            "link_form": link_form,
            "consent_problem": services.consent_problem(referral) if referral.is_open else None,
        },
        status=status,
    )


def referral_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _referral_page(request, referral_for_user(request.user, pk))


@require_POST
def referral_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = referral_for_user(request.user, pk, write=True)
    form = StatusForm(request.POST, referral=referral)
    if form.is_valid():
        try:
            services.referral_set_status(
                referral=referral,
                status=form.cleaned_data["status"],
                by=request.user,
                note=form.cleaned_data["note"],
                outcome=form.cleaned_data["outcome"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The referral’s status was changed."))
            return redirect(referral)
    referral.refresh_from_db()
    return _referral_page(request, referral, status_form=form, status=400)


@require_POST
def referral_link_send(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Email a partner's contact a link to answer the referral without an account."""
    referral = referral_for_user(request.user, pk, write=True)
    form = PartnerLinkForm(request.POST, referral=referral)
    if form.is_valid():
        contact = form.cleaned_data["contact"]
        try:
            services.partner_link_send(
                referral=referral,
                contact=contact,
                by=request.user,
                absolute_url=request.build_absolute_uri,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The link was sent to %(email)s.") % {"email": contact.email}
            )
            return redirect(referral)
    return _referral_page(request, referral, link_form=form, status=400)


@require_POST
def partner_link_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    link = partner_link_for_user(request.user, pk)
    services.partner_link_revoke(link=link, by=request.user)
    messages.success(request, _("The link was revoked: it no longer opens."))
    return redirect(link.referral)


@allowed(can_export)
def referral_export(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Every referral the user sees, filtered like the queue, as CSV or XLSX, without
    residents' names (privacy by default)."""
    form = ReferralFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    if selectors.referral_export_count(user=request.user, filters=filters) > (
        settings.EXPORT_IN_BACKGROUND_ROWS
    ):
        # Too long to write while the page waits: a job prepares it (downloads/).
        return redirect(reverse("downloads:prepare_referrals") + "?" + request.GET.urlencode())
    return export_response(
        request,
        selectors.referral_export_table(user=request.user, filters=filters),
        what="referrals",
        fmt="xlsx" if request.GET.get("format") == "xlsx" else "csv",
        filename=f"references-{timezone.localdate():%Y-%m-%d}",
        details={"filters": request.GET.urlencode()},
    )
