"""Every action of the app that changes something, done as a browser does it: open the page,
fill in its form, submit. The CSRF, mass-assignment and log tests all start from here."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from partners.models import Organisation
from residents.imports import example_csv
from tests.factories import PASSWORD, HouseholdFactory, InterventionFactory
from tests.logins import log_in, next_code, totp_device
from tests.security.pages import Form, read_page

NEW_PASSWORD = "une-autre-phrase-secrete-2027"
# Where a logged-in person, or anyone, finds a form with a CSRF token.
TOKEN_PAGES = {True: "accounts:password_change", False: "accounts:login"}


def sign_in(client, users: dict, role: str) -> None:
    """Log in as a role of the world, or as one of two moments of two-factor authentication:
    the direction between its password and its code, an intervenant who turned the app on."""
    if role == "direction_owing_a_code":
        client.force_login(users["direction"])
        totp_device(users["direction"])
    elif role == "intervenant_with_app":
        user = users["intervenant_site"]
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
        session.save()
    elif role != "anonymous":
        log_in(client, users[role])


@dataclass(frozen=True)
class Action:
    """One POST: who may do it, the world object its URL names, the page whose form sends
    it ("" for the action's own page, None for a button with no fields of its own), and what
    the person fills in."""

    id: str
    route: str
    role: str
    target: str | None = None
    page: str | None = ""
    page_target: str | None = None
    fill: Callable[[dict, dict], dict] = field(default=lambda users, objects: {})
    changes: bool = True  # False for a POST that only reads (a type-ahead's search)

    def url(self, objects: dict) -> str:
        return reverse(self.route, args=[objects[self.target].pk] if self.target else [])

    def form(self, client, objects: dict) -> Form:
        """The form as the page shows it (for a bare button: only the CSRF token)."""
        if self.page is None:
            page_url = reverse(TOKEN_PAGES[self.role != "anonymous"])
            response = client.get(page_url)
            assert response.status_code == 200, page_url
            token = next(
                value
                for form in read_page(response, page_url).post_forms()
                for name, value in form.fields
                if name == "csrfmiddlewaretoken"
            )
            return Form(
                method="post", action=self.url(objects), fields=[("csrfmiddlewaretoken", token)]
            )
        if self.page:
            page_target = self.page_target or self.target
            page_url = reverse(self.page, args=[objects[page_target].pk] if page_target else [])
        else:
            page_url = self.url(objects)
        response = client.get(page_url)
        assert response.status_code == 200, f"{page_url} answered {response.status_code}"
        return read_page(response, page_url).form_to(self.route)

    def data(self, client, users: dict, objects: dict, *, token: bool = True, **extra) -> dict:
        """What the person submits: the page's form, filled in, plus `extra` fields."""
        form = self.form(client, objects)
        return form.data({**self.fill(users, objects), **extra}, token=token)


def _search(route: str, fill: Callable[[dict, dict], dict], **where) -> "Action":
    """A type-ahead's search: a bare POST with the CSRF token, that changes nothing."""
    where.setdefault("role", "intervenant_site")
    return Action(route.split(":")[1], route, page=None, fill=fill, changes=False, **where)


def _within(name: str) -> Callable[[dict, dict], dict]:
    """The fields of a search among the rows of a world object (a household's, a partner's)."""
    return lambda users, objects: {"q": "", "within": str(objects[name].pk)}


def _quick_log(users, objects):
    intervention = objects["intervention"]
    return {
        "type": str(intervention.type_id),
        "place": str(intervention.place_id),
        "count_6_12": "2",
    }


def _intervention(users, objects):
    intervention = objects["intervention"]
    return {
        "level": "individual",
        "type": str(intervention.type_id),
        "place": str(intervention.place_id),
        "duration_minutes": "45",
        "summary": "Démarches pour le bail.",
    }


def _activity(users, objects):
    activity = objects["activity"]
    return {
        "name": "Club de lecture",
        "site": str(activity.site_id),
        "season": "Hiver 2027",
        "type": str(activity.type_id),
        "place": str(activity.place_id),
    }


def _household(users, objects):
    return {
        "unit": "200, app. 1",
        "label": "Bélanger",
        "members-0-first_name": "Aline",
        "members-0-last_name": "Bélanger",
        "members-0-date_of_birth": "1980-01-01",
        "members-0-consent_confirmed": "on",
    }


def _referral(users, objects):
    return {
        "household": str(objects["household"].pk),
        "organisation": str(objects["organisation"].pk),
        "reason": "Recherche d'un logement plus grand.",
    }


def _meeting(users, objects):
    return {
        "table_name": "Comité habitation du quartier",
        "held_on": "2026-01-15",
        "partners_present": [str(objects["organisation"].pk)],
        "decisions": "Tournée des logements en février.",
    }


def _share_consent(users, objects):
    return {"purpose": "share", "partner": str(objects["organisation"].pk)}


def _import_file(users, objects):
    content = example_csv(site_name=objects["household"].site.name).encode()
    return {"file": SimpleUploadedFile("menages.csv", content, content_type="text/csv")}


def _enrolment_code(users, objects):
    # The page has just made the unconfirmed device whose QR code it shows.
    device = TOTPDevice.objects.filter(user=users["intervenant_site"], confirmed=False).get()
    return {"code": next_code(device)}


def _supervision_session(users, objects):
    return {
        "kind": "individual",
        "date": timezone.localdate().isoformat(),
        "duration_minutes": "60",
        "supervisor": str(users["coordination"].pk),
        "supervised": [str(users["intervenant_site"].pk)],
        "notes": "Retour sur une intervention de crise.",
    }


def _incident(users, objects):
    today = timezone.localdate().isoformat()
    return {
        "title": "Liste de présence envoyée au mauvais partenaire",
        "information": "Noms de deux ménages.",
        "circumstances": "Un courriel au mauvais destinataire.",
        "started_on": today,
        "aware_on": today,
        "people_count": "2",
        "sensitivity": "Faible.",
        "consequences": "Peu probables.",
        "likelihood": "Faible.",
        "risk": "low",
        "measures": "Le partenaire a supprimé le courriel.",
    }


def _collective_issue(users, objects):
    return {
        "site": str(objects["household"].site_id),
        "title": "Sécurité dans la cour arrière",
        "category": "safety",
        "opened_on": timezone.localdate().isoformat(),
        "description": "Éclairage brisé depuis un mois.",
    }


def _another_household(users, objects):
    """A household of the issue's site not yet affected (the world's is)."""
    return {"households": str(HouseholdFactory(site=objects["household"].site).pk)}


def _another_intervention(users, objects):
    """An intervention of the issue's site not yet linked (the world's is)."""
    site, author = objects["household"].site, users["intervenant_site"]
    return {"interventions": str(InterventionFactory(site=site, author=author).pk)}


def _issue_response(users, objects):
    return {
        "organisation": str(objects["organisation"].pk),
        "received_on": timezone.localdate().isoformat(),
        "answer": "Le comité portera la demande à l’OMHM.",
    }


ACTIONS = [
    # The household search posts, so that a family name never lands in an address.
    Action(
        "household_search",
        "residents:household_list",
        "intervenant_site",
        fill=lambda users, objects: {"q": "Bélanger"},
    ),
    Action("household_create", "residents:household_create", "intervenant_site", fill=_household),
    Action(
        "household_update",
        "residents:household_update",
        "intervenant_site",
        "household",
        fill=lambda users, objects: {"label": "Bélanger-Roy"},
    ),
    Action("household_move_out", "residents:household_move_out", "intervenant_site", "household"),
    Action("household_import", "residents:household_import", "coordination", fill=_import_file),
    Action(
        "household_import_confirm",
        "residents:household_import_confirm",
        "coordination",
        page=None,
        fill=lambda users, objects: {"submission": "aucun-fichier-en-attente"},
    ),
    Action(
        "consent_create",
        "residents:consent_create",
        "intervenant_site",
        "resident",
        fill=lambda users, objects: {
            "purpose": "share",
            "partner": str(objects["organisation"].pk),
        },
    ),
    # A role on a resident's path, recorded by hand (empowerment).
    Action(
        "role_create",
        "empowerment:role_create",
        "intervenant_site",
        "resident",
        fill=lambda users, objects: {"role": "volunteer", "note": "Fête des voisins"},
    ),
    Action(
        "consent_withdraw",
        "residents:consent_withdraw",
        "intervenant_site",
        "consent",
        page="residents:resident_detail",
        page_target="resident",
    ),
    # The type-ahead's searches change nothing, but are POSTs: they carry the CSRF token.
    _search(
        "residents:resident_lookup", lambda users, objects: {"q": objects["resident"].first_name}
    ),
    _search("residents:household_lookup", lambda users, objects: {"q": objects["household"].label}),
    _search("partners:referral_intervention_lookup", _within("household")),
    _search("partners:referral_consent_lookup", _within("household")),
    _search(
        "partners:organisation_lookup",
        lambda users, objects: {"q": objects["organisation"].name},
    ),
    _search("partners:service_lookup", _within("organisation")),
    _search(
        "partners:committee_member_lookup",
        lambda users, objects: {"q": objects["resident"].first_name},
        role="coordination",
        target="committee",
    ),
    Action("quick_log", "interventions:quick_log", "intervenant_site", fill=_quick_log),
    Action(
        "intervention_create",
        "interventions:intervention_create",
        "intervenant_site",
        fill=_intervention,
    ),
    Action(
        "intervention_update",
        "interventions:intervention_update",
        "intervenant_site",
        "intervention",
        fill=lambda users, objects: {"summary": "Présence revue."},
    ),
    Action(
        "intervention_delete",
        "interventions:intervention_delete",
        "intervenant_site",
        "intervention",
    ),
    Action(
        "follow_up_done",
        "interventions:follow_up_done",
        "intervenant_site",
        "intervention",
        page=None,
    ),
    Action("tally_start", "interventions:tally_start", "intervenant_site", fill=_quick_log),
    Action(
        "tally_count",
        "interventions:tally_count",
        "intervenant_site",
        "tally",
        page="interventions:tally_detail",
        fill=lambda users, objects: {"count_6_12": "5"},
    ),
    Action(
        "tally_close",
        "interventions:tally_close",
        "intervenant_site",
        "tally",
        page="interventions:tally_detail",
    ),
    Action(
        "tally_discard",
        "interventions:tally_discard",
        "intervenant_site",
        "tally",
        page="interventions:tally_detail",
    ),
    Action(
        "follow_up_reopen",
        "interventions:follow_up_reopen",
        "intervenant_site",
        "intervention",
        page=None,
    ),
    Action(
        "follow_up_postpone",
        "interventions:follow_up_postpone",
        "intervenant_site",
        "intervention",
        page=None,
        fill=lambda users, objects: {"due": timezone.localdate().isoformat()},
    ),
    Action("activity_create", "interventions:activity_create", "intervenant_site", fill=_activity),
    Action(
        "activity_update",
        "interventions:activity_update",
        "intervenant_site",
        "activity",
        fill=lambda users, objects: {"name": "Devoirs et lecture"},
    ),
    Action(
        "session_create",
        "interventions:session_create",
        "intervenant_site",
        "activity",
        fill=lambda users, objects: {"count_6_12": "3"},
    ),
    Action(
        "organisation_create",
        "partners:organisation_create",
        "coordination",
        fill=lambda users, objects: {
            "name": "Carrefour jeunesse",
            "kind": Organisation.Kind.COMMUNITY,
        },
    ),
    Action(
        "organisation_update",
        "partners:organisation_update",
        "coordination",
        "organisation",
        fill=lambda users, objects: {"address": "10, rue Fleury"},
    ),
    Action(
        "membership_create",
        "partners:membership_create",
        "coordination",
        "committee",
        fill=lambda users, objects: {"resident": str(objects["resident"].pk)},
    ),
    Action("referral_create", "partners:referral_create", "intervenant_site", fill=_referral),
    # A concertation meeting recorded by coordination, its commitments, their follow-up.
    Action("concertation_meeting_create", "partners:meeting_create", "coordination", fill=_meeting),
    Action(
        "concertation_meeting_update",
        "partners:meeting_update",
        "coordination",
        "concertation_meeting",
        fill=lambda users, objects: {"decisions": "Fête de quartier reportée en juillet."},
    ),
    Action(
        "commitment_create",
        "partners:commitment_create",
        "coordination",
        "concertation_meeting",
        page="partners:meeting_detail",
        fill=lambda users, objects: {
            "organisation": str(objects["sent_referral"].organisation_id),
            "what": "Envoyer le calendrier des ateliers.",
            "due_on": "2026-03-01",
        },
    ),
    # An intervenant at the table marks the commitment kept (the button's own value).
    Action(
        "commitment_status",
        "partners:commitment_status",
        "intervenant_site",
        "commitment",
        page=None,
        fill=lambda users, objects: {"status": "kept"},
    ),
    # The consent to share that a draft referral waits for, recorded from its page.
    Action(
        "referral_consent_create",
        "partners:referral_consent_create",
        "intervenant_site",
        "referral",
    ),
    Action(
        "referral_update",
        "partners:referral_update",
        "intervenant_site",
        "referral",
        fill=lambda users, objects: {"reason": "Motif précisé."},
    ),
    Action(
        "referral_status",
        "partners:referral_status",
        "intervenant_site",
        "referral",
        page="partners:referral_detail",
        fill=lambda users, objects: {"status": "cancelled", "note": "Plus nécessaire."},
    ),
    # A partner link, emailed from the referral's page to a contact of its partner.
    Action(
        "referral_link_send",
        "partners:referral_link_send",
        "coordination",
        "sent_referral",
        page="partners:referral_detail",
        fill=lambda users, objects: {"contact": str(objects["partner_link"].contact_id)},
    ),
    Action(
        "partner_link_revoke",
        "partners:partner_link_revoke",
        "coordination",
        "partner_link",
        page="partners:referral_detail",
        page_target="sent_referral",
    ),
    # The partner's answer, from its link, without an account.
    Action(
        "partner_answer",
        "partners:partner_link",
        "anonymous",
        "partner_token",
        fill=lambda users, objects: {"status": "accepted", "note": "Rendez-vous fixé."},
    ),
    Action(
        "dashboard_settings",
        "dashboard_settings",
        "direction",
        fill=lambda users, objects: {"not_reached_months": "9"},
    ),
    Action("incident_create", "incidents:incident_create", "direction", fill=_incident),
    # Clinical support: a session recorded by the person supervised, edited by its supervisor.
    Action(
        "supervision_session_create",
        "support:session_create",
        "intervenant_site",
        fill=_supervision_session,
    ),
    Action(
        "supervision_session_update",
        "support:session_update",
        "coordination",
        "supervision_session",
        fill=lambda users, objects: {"notes": "Notes revues après la séance."},
    ),
    Action(
        "work_plan_update",
        "support:work_plan_update",
        "direction",
        "team_member",
        fill=lambda users, objects: {"hours_per_week": "28"},
    ),
    Action(
        "workload_thresholds",
        "support:thresholds",
        "direction",
        fill=lambda users, objects: {"evening_hours": "10"},
    ),
    Action(
        "incident_update",
        "incidents:incident_update",
        "direction",
        "incident",
        fill=lambda users, objects: {"title": "Courriel au mauvais destinataire"},
    ),
    Action(
        "journal_entry_create",
        "evaluation:entry_create",
        "intervenant_site",
        fill=lambda users, objects: {
            "kind": "decision",
            "title": "Ateliers déplacés au soir",
            "rationale": "Moins de parents l’après-midi.",
            "figures": "participation",
        },
    ),
    Action(
        "journal_entry_update",
        "evaluation:entry_update",
        "intervenant_site",
        "journal_entry",
        fill=lambda users, objects: {"title": "Ateliers du mardi au soir"},
    ),
    # A site's collective issues, and the actions of an issue's page.
    Action(
        "collective_issue_create",
        "collective:issue_create",
        "intervenant_site",
        fill=_collective_issue,
    ),
    Action(
        "collective_issue_update",
        "collective:issue_update",
        "intervenant_site",
        "collective_issue",
        fill=lambda users, objects: {"title": "Punaises de lit : bâtiments 2 et 3"},
    ),
    Action(
        "collective_issue_status",
        "collective:issue_status",
        "intervenant_site",
        "collective_issue",
        page="collective:issue_detail",
        fill=lambda users, objects: {"status": "mobilising", "note": "Pétition lancée."},
    ),
    Action(
        "collective_issue_households_add",
        "collective:issue_households_add",
        "intervenant_site",
        "collective_issue",
        page="collective:issue_detail",
        fill=_another_household,
    ),
    Action(
        "collective_issue_household_remove",
        "collective:issue_household_remove",
        "intervenant_site",
        "collective_issue",
        page="collective:issue_detail",
    ),
    Action(
        "collective_issue_interventions_link",
        "collective:issue_interventions_link",
        "intervenant_site",
        "collective_issue",
        page="collective:issue_detail",
        fill=_another_intervention,
    ),
    Action(
        "collective_issue_intervention_unlink",
        "collective:issue_intervention_unlink",
        "intervenant_site",
        "collective_issue",
        page="collective:issue_detail",
    ),
    _search(
        "collective:issue_intervention_lookup",
        lambda users, objects: {"q": ""},
        target="collective_issue",
    ),
    Action(
        "collective_issue_response_create",
        "collective:issue_response_create",
        "intervenant_site",
        "collective_issue",
        fill=_issue_response,
    ),
    # The Django admin, for one of the reference lists it edits.
    Action(
        "admin_theme_add",
        "admin:interventions_theme_add",
        "admin",
        fill=lambda users, objects: {"name": "Sécurité alimentaire"},
    ),
    Action(
        "set_language_anonymous",
        "set_language",
        "anonymous",
        page="accounts:login",
        fill=lambda users, objects: {"language": "en"},
    ),
    Action(
        "set_language",
        "set_language",
        "intervenant_site",
        page="interventions:my_day",
        fill=lambda users, objects: {"language": "en"},
    ),
    Action(
        "login",
        "accounts:login",
        "anonymous",
        fill=lambda users, objects: {
            "username": users["intervenant_site"].username,
            "password": PASSWORD,
        },
    ),
    Action(
        "two_factor_verify",
        "accounts:two_factor_verify",
        "direction_owing_a_code",
        fill=lambda users, objects: {"code": next_code(totp_device(users["direction"]))},
    ),
    Action(
        "two_factor_enrol", "accounts:two_factor_enrol", "intervenant_site", fill=_enrolment_code
    ),
    Action(
        "two_factor_recovery_codes",
        "accounts:two_factor_recovery_codes",
        "direction",
        page="accounts:two_factor",
    ),
    Action(
        "two_factor_disable",
        "accounts:two_factor_disable",
        "intervenant_with_app",
        page="accounts:two_factor",
    ),
    Action("logout", "accounts:logout", "intervenant_site", page="interventions:my_day"),
    Action(
        "password_change",
        "accounts:password_change",
        "intervenant_site",
        fill=lambda users, objects: {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    ),
    # Team meetings: a meeting, its agenda's items, their actions (follow-ups of their owners).
    Action(
        "meeting_create",
        "team:meeting_create",
        "intervenant_site",
        fill=lambda users, objects: {
            "held_on": timezone.localdate().isoformat(),
            "participants": [str(users["intervenant_site"].pk), str(users["coordination"].pk)],
        },
    ),
    Action(
        "meeting_update",
        "team:meeting_update",
        "intervenant_site",
        "meeting",
        fill=lambda users, objects: {"held_on": timezone.localdate().isoformat()},
    ),
    Action(
        "item_create",
        "team:item_create",
        "intervenant_site",
        "meeting",
        fill=lambda users, objects: {
            "kind": "case",
            "title": "Retour sur une famille",
            "household": str(objects["household"].pk),
            "said": "La famille a trouvé une place en halte-garderie.",
        },
    ),
    Action(
        "item_update",
        "team:item_update",
        "intervenant_site",
        "agenda_item",
        fill=lambda users, objects: {"decisions": "Revoir la famille dans un mois."},
    ),
    Action(
        "item_delete",
        "team:item_delete",
        "intervenant_site",
        "agenda_item",
        page="team:meeting_detail",
        page_target="meeting",
    ),
    Action(
        "action_create",
        "team:action_create",
        "intervenant_site",
        "agenda_item",
        fill=lambda users, objects: {
            "owner": str(users["intervenant_site"].pk),
            "what": "Rappeler la mère",
            "due_on": timezone.localdate().isoformat(),
        },
    ),
    Action(
        "action_update",
        "team:action_update",
        "intervenant_site",
        "meeting_action",
        fill=lambda users, objects: {"what": "Rappeler la mère vendredi"},
    ),
    Action(
        "action_delete",
        "team:action_delete",
        "intervenant_site",
        "meeting_action",
        page="team:meeting_detail",
        page_target="meeting",
    ),
    Action(
        "action_done",
        "team:action_done",
        "intervenant_site",
        "meeting_action",
        page="team:meeting_detail",
        page_target="meeting",
    ),
    Action("action_reopen", "team:action_reopen", "intervenant_site", "meeting_action", page=None),
    # A resident kept at hand: their name goes to the phone's offline pages.
    Action(
        "at_hand_add",
        "offline:at_hand_add",
        "intervenant_site",
        "resident",
        page="residents:resident_detail",
    ),
    Action("at_hand_remove", "offline:at_hand_remove", "intervenant_site", "resident", page=None),
    # Which digests one receives by email.
    Action(
        "digest_choices",
        "reminders:choices",
        "coordination",
        fill=lambda users, objects: {"daily": "", "weekly": "on"},
    ),
    # The direction confirms the anonymisation of the files due (none in this world).
    Action("retention_confirm", "privacy:retention_confirm", "direction", page=None),
    # A big export prepared by a job.
    Action("prepare_file", "downloads:prepare_interventions", "coordination"),
    Action("prepare_referrals_file", "downloads:prepare_referrals", "coordination"),
    Action("prepare_annual_report", "downloads:prepare_annual_report", "direction"),
]
ACTIONS_BY_ID = {action.id: action for action in ACTIONS}


def database_state() -> dict:
    """Every row of every table (but the fixed ones), to tell whether a request wrote."""
    fixed = {ContentType, Permission}
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
        if model not in fixed
    }
