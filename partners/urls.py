from django.urls import path, register_converter

from partners import link_views, lookup_views, network_views, views
from partners.concertation import views as concertation_views
from partners.links import TokenConverter

register_converter(TokenConverter, "partner_token")

app_name = "partners"

urlpatterns = [
    path("partenaires/", views.organisation_list, name="organisation_list"),
    path("partenaires/nouveau/", views.organisation_create, name="organisation_create"),
    path("partenaires/recherche/", lookup_views.organisation_lookup, name="organisation_lookup"),
    path("partenaires/services/", lookup_views.service_lookup, name="service_lookup"),
    path("partenaires/reseau/", network_views.network, name="network"),
    path("partenaires/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("partenaires/<int:pk>/modifier/", views.organisation_update, name="organisation_update"),
    path("partenaires/<int:pk>/membres/", views.membership_create, name="membership_create"),
    path(
        "partenaires/<int:pk>/membres/recherche/",
        lookup_views.committee_member_lookup,
        name="committee_member_lookup",
    ),
    path("concertation/", concertation_views.meeting_list, name="meeting_list"),
    path("concertation/nouvelle/", concertation_views.meeting_create, name="meeting_create"),
    path("concertation/<int:pk>/", concertation_views.meeting_detail, name="meeting_detail"),
    path(
        "concertation/<int:pk>/modifier/",
        concertation_views.meeting_update,
        name="meeting_update",
    ),
    path(
        "concertation/<int:pk>/engagements/",
        concertation_views.commitment_create,
        name="commitment_create",
    ),
    path(
        "concertation/engagements/",
        concertation_views.commitment_list,
        name="commitment_list",
    ),
    path(
        "concertation/engagements/<int:pk>/suivi/",
        concertation_views.commitment_status,
        name="commitment_status",
    ),
    path("references/", views.referral_queue, name="referral_queue"),
    path("references/nouvelle/", views.referral_create, name="referral_create"),
    path(
        "references/interventions/",
        lookup_views.referral_intervention_lookup,
        name="referral_intervention_lookup",
    ),
    path(
        "references/consentements/",
        lookup_views.referral_consent_lookup,
        name="referral_consent_lookup",
    ),
    path("references/export/", views.referral_export, name="referral_export"),
    path("references/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("references/<int:pk>/modifier/", views.referral_update, name="referral_update"),
    path("references/<int:pk>/statut/", views.referral_status, name="referral_status"),
    path("references/<int:pk>/liens/", views.referral_link_send, name="referral_link_send"),
    path(
        "references/liens/<int:pk>/revoquer/",
        views.partner_link_revoke,
        name="partner_link_revoke",
    ),
    # The partner's page, without an account: the token is the key (partners/link_views.py).
    path("lien/<partner_token:token>/", link_views.partner_link, name="partner_link"),
    path(
        "references/<int:pk>/consentement/",
        views.referral_consent_create,
        name="referral_consent_create",
    ),
]
