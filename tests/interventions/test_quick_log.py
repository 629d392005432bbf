"""The quick log: an intervention logged from a phone in a few taps, today, on my site."""

import html
from datetime import time, timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from ema.accounts.models import Role
from interventions.models import Intervention, Level, Place
from tests.factories import (
    ConsentedResidentFactory,
    HouseholdFactory,
    InterventionTypeFactory,
    PlaceFactory,
    ResidentFactory,
    UserFactory,
)
from tests.helpers import french, once
from tests.security.pages import read_page

URL = reverse("interventions:quick_log")


class BrowserForm(HTMLParser):
    """What a browser would submit from the page's form that holds `marker`, untouched:
    name -> (value, is_hidden, is_required)."""

    def __init__(self, marker: str):
        super().__init__()
        self.marker = marker
        self.forms: list[dict] = []
        self.current: dict | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = {}
            self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag == "input" and attrs.get("name"):
            hidden = attrs.get("type") == "hidden"
            self.current[attrs["name"]] = [attrs.get("value") or "", hidden, "required" in attrs]
        elif tag == "select":
            self.select = attrs["name"]
            self.current[self.select] = [None, False, "required" in attrs]
        elif tag == "option" and self.select:
            field = self.current[self.select]
            # A browser submits the selected option, or the first one if none is selected.
            if field[0] is None or "selected" in attrs:
                field[0] = attrs.get("value") or ""
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.current[self.textarea] = ["", False, "required" in attrs]

    def handle_data(self, data):
        if self.current is not None and self.textarea:
            self.current[self.textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.current = None

    def fields(self, html: str) -> dict:
        self.feed(html)
        return next(form for form in self.forms if self.marker in form)


@pytest.fixture
def place(db):
    return PlaceFactory(name="Cour arrière")


@pytest.fixture
def presence(db):
    # Seeded by the reference-lists migration, at the collective level.
    return InterventionTypeFactory(name="Présence informelle")


def quick_post(type_, place, **values):
    data = {"type": type_.pk, "place": place.pk, "duration_minutes": "30", **once()}
    data.update(values)
    return data


class TestQuickLogForm:
    def test_a_type_chosen_on_my_day_is_hidden_and_my_only_site_is_preselected(
        self, client_as, intervenant_ss, site_ss, presence, place
    ):
        response = client_as(intervenant_ss).get(URL, {"type": presence.pk})
        assert response.status_code == 200
        form = response.context["form"]
        assert form["type"].is_hidden
        assert form["type"].value() == presence.pk
        assert form["site"].is_hidden
        assert form["site"].value() == site_ss.pk
        assert response.context["preset_type"] == presence

    def test_without_a_preset_type_the_type_is_chosen_in_a_list(
        self, client_as, intervenant_ss, site_ss, presence, place
    ):
        form = client_as(intervenant_ss).get(URL).context["form"]
        assert not form["type"].is_hidden

    def test_an_intervenant_of_two_sites_chooses_the_site(
        self, client_as, site_ss, site_ag, presence, place
    ):
        both = UserFactory(username="deux.sites", role=Role.INTERVENANT, sites=[site_ss, site_ag])
        form = client_as(both).get(URL, {"type": presence.pk}).context["form"]
        assert not form["site"].is_hidden
        assert {site.pk for site in form.fields["site"].queryset} == {site_ss.pk, site_ag.pk}

    def test_a_newcomer_is_offered_the_first_place_of_the_list_and_an_hour(
        self, client_as, intervenant_ss, site_ss, presence, place
    ):
        form = client_as(intervenant_ss).get(URL, {"type": presence.pk}).context["form"]
        assert form["place"].value() == Place.objects.active().first().pk
        assert form["duration_minutes"].value() == 60

    def test_logging_takes_at_most_six_typed_inputs(
        self, client_as, intervenant_ss, site_ss, presence, place
    ):
        client = client_as(intervenant_ss)
        response = client.get(URL, {"type": presence.pk})
        fields = BrowserForm("duration_minutes").fields(response.content.decode())
        visible = {name for name, (_, hidden, _) in fields.items() if not hidden}
        must_fill = {
            name for name, (value, hidden, required) in fields.items() if required and not value
        }
        assert not must_fill, "every required input has a default"
        typed = {"count_6_12": "5", "count_26_64": "2"}
        assert set(typed) <= visible
        assert len(must_fill | set(typed)) <= 6

        data = {name: value for name, (value, _, _) in fields.items()}
        data.update(typed)
        response = client.post(f"{URL}?type={presence.pk}", data)
        assert response.status_code == 302
        intervention = Intervention.objects.get()
        assert (intervention.count_6_12, intervention.count_26_64) == (5, 2)
        assert intervention.total_headcount == 7
        assert intervention.duration_minutes == 60
        assert intervention.place == Place.objects.active().first()
        assert intervention.site == site_ss


class TestQuickLogSave:
    def test_saves_one_intervention_today_at_the_types_level_by_me_on_my_site(
        self, client_as, intervenant_ss, site_ss, place
    ):
        homework = InterventionTypeFactory(name="Club de lecture", default_level=Level.GROUP)
        response = client_as(intervenant_ss).post(
            URL,
            quick_post(homework, place, site=site_ss.pk, count_6_12="6", count_26_64="1"),
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("interventions:my_day")
        intervention = Intervention.objects.get()
        assert intervention.date == timezone.localdate()
        assert intervention.start_time is not None
        assert intervention.level == Level.GROUP
        assert intervention.type == homework
        assert intervention.author == intervenant_ss
        assert intervention.site == site_ss
        assert intervention.place == place
        assert intervention.duration_minutes == 30
        assert (intervention.count_6_12, intervention.count_26_64) == (6, 1)
        assert intervention.count_0_5 == intervention.count_65_plus == 0

    def test_the_usual_place_is_the_one_i_log_most(
        self, client_as, intervenant_ss, site_ss, presence, place
    ):
        hall = PlaceFactory(name="Hall d'entrée")
        client = client_as(intervenant_ss)
        for _ in range(2):
            client.post(URL, quick_post(presence, hall, site=site_ss.pk, count_13_17="1"))
        form = client.get(URL).context["form"]
        assert form["place"].value() == hall.pk


class TestQuickLogBadInput:
    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("duration_minutes", "0"),
            ("duration_minutes", "721"),
            ("count_6_12", "-1"),
        ],
        ids=["no-duration", "over-12-hours", "negative-headcount"],
    )
    def test_is_refused_next_to_the_field_nothing_saved_typed_values_kept(
        self, client_as, intervenant_ss, site_ss, presence, place, field, value
    ):
        data = quick_post(
            presence, place, site=site_ss.pk, count_26_64="2", summary="Jeux de ballon"
        )
        data[field] = value
        response = client_as(intervenant_ss).post(URL, data)
        assert response.status_code == 400
        form = response.context["form"]
        assert field in form.errors
        assert not Intervention.objects.exists()
        assert form["summary"].value() == "Jeux de ballon"
        assert form["count_26_64"].value() == "2"
        assert form[field].value() == value

    def test_twelve_hours_is_the_longest_accepted(
        self, client_as, intervenant_ss, site_ss, presence, place
    ):
        response = client_as(intervenant_ss).post(
            URL,
            quick_post(presence, place, site=site_ss.pk, duration_minutes="720", count_6_12="1"),
        )
        assert response.status_code == 302
        assert Intervention.objects.get().duration_minutes == 720

    def test_an_intervenant_cannot_log_on_another_site(
        self, client_as, intervenant_ss, site_ss, site_ag, presence, place
    ):
        response = client_as(intervenant_ss).post(
            URL, quick_post(presence, place, site=site_ag.pk, count_6_12="2")
        )
        assert response.status_code == 400
        assert "site" in response.context["form"].errors
        assert not Intervention.objects.exists()

    def test_an_inactive_type_cannot_be_logged(self, client_as, intervenant_ss, site_ss, place):
        retired = InterventionTypeFactory(name="Ancien type", is_active=False)
        response = client_as(intervenant_ss).post(
            URL, quick_post(retired, place, site=site_ss.pk, count_6_12="2")
        )
        assert response.status_code == 400
        assert "type" in response.context["form"].errors
        assert not Intervention.objects.exists()

    def test_a_malformed_preset_type_is_ignored(
        self, client_as, intervenant_ss, site_ss, presence, place
    ):
        response = client_as(intervenant_ss).get(URL, {"type": "abc"})
        assert response.status_code == 200
        assert not response.context["form"]["type"].is_hidden


def test_a_person_without_a_role_cannot_log(client_as, outsider, presence, place):
    assert client_as(outsider).get(URL).status_code == 403


class TestOneRuleForEveryForm:
    """Who an intervention names or counts is the model's rule: the quick log and the full
    form agree on it, so that what one saves the other saves again unchanged."""

    def test_an_informal_presence_with_nobody_counted_is_refused_in_french(
        self, client_as, intervenant_ss, site_ss, presence, place
    ):
        response = client_as(intervenant_ss).post(URL, quick_post(presence, place, site=site_ss.pk))
        assert response.status_code == 400
        text = " ".join(response.content.decode().split())
        assert french(
            "A group or collective intervention names participants or counts them."
        ) in html.unescape(text)
        assert not Intervention.objects.exists()

    def test_what_the_quick_log_saves_the_full_form_saves_again_unchanged(
        self, client_as, intervenant_ss, site_ss, presence, place
    ):
        client = client_as(intervenant_ss)
        saved = client.post(URL, quick_post(presence, place, site=site_ss.pk, count_6_12="3"))
        assert saved.status_code == 302
        intervention = Intervention.objects.get()
        url = reverse("interventions:intervention_update", args=[intervention.pk])
        page = client.get(url)
        form = read_page(page, url).form_to("interventions:intervention_update")

        response = client.post(url, form.data())

        assert response.status_code == 302
        intervention.refresh_from_db()
        assert (intervention.count_6_12, intervention.version) == (3, 2)


@pytest.fixture
def support(db):
    return InterventionTypeFactory(name="Soutien individuel", default_level=Level.INDIVIDUAL)


def consented(site, **fields):
    """A resident of `site` whose consent to keep a file dates from last month."""
    return ConsentedResidentFactory(
        household=HouseholdFactory(site=site),
        consent__given_on=timezone.localdate() - timedelta(days=30),
        **fields,
    )


class TestNamingSomeone:
    def test_an_individual_type_offers_to_name_the_person_and_a_presence_does_not(
        self, client_as, intervenant_ss, support, presence, place
    ):
        client = client_as(intervenant_ss)
        assert client.get(URL, {"type": support.pk}).context["form"].names_people
        assert not client.get(URL, {"type": presence.pk}).context["form"].names_people

    def test_the_person_met_and_a_follow_up_are_saved_in_one_go(
        self, client_as, intervenant_ss, site_ss, support, place
    ):
        resident = consented(site_ss)
        due = timezone.localdate() + timedelta(days=7)
        response = client_as(intervenant_ss).post(
            URL,
            quick_post(
                support, place, site=site_ss.pk, participants=[resident.pk], follow_up_due=due
            ),
        )
        assert response.status_code == 302
        logged = Intervention.objects.get()
        assert [p.resident for p in logged.participations.all()] == [resident]
        assert (logged.follow_up_due, logged.follow_up_by) == (due, intervenant_ss)

    def test_someone_of_another_site_cannot_be_named(
        self, client_as, intervenant_ss, site_ss, site_ag, support, place
    ):
        stranger = consented(site_ag)
        response = client_as(intervenant_ss).post(
            URL, quick_post(support, place, site=site_ss.pk, participants=[stranger.pk])
        )
        assert response.status_code == 400
        assert not Intervention.objects.exists()

    def test_the_page_holds_only_the_person_chosen_not_every_resident(
        self, client_as, intervenant_ss, site_ss, support, place
    ):
        chosen = consented(site_ss, first_name="Ginette")
        for _ in range(30):
            consented(site_ss)
        response = client_as(intervenant_ss).get(URL, {"resident": chosen.pk})
        body = response.content.decode()
        assert body.count("<option") < 30
        assert "Ginette" in body
        assert 'data-picker="' in body


class TestWhen:
    def test_yesterday_at_the_time_given(self, client_as, intervenant_ss, site_ss, presence, place):
        client_as(intervenant_ss).post(
            URL,
            quick_post(
                presence, place, site=site_ss.pk, day="yesterday", start_time="21:15", count_13_17=4
            ),
        )
        logged = Intervention.objects.get()
        assert logged.date == timezone.localdate() - timedelta(days=1)
        assert logged.start_time == time(21, 15)

    def test_earlier_today(self, client_as, intervenant_ss, site_ss, presence, place):
        earlier = (
            (timezone.localtime() - timedelta(hours=2)).time().replace(second=0, microsecond=0)
        )
        client_as(intervenant_ss).post(
            URL,
            quick_post(
                presence,
                place,
                site=site_ss.pk,
                day="today",
                start_time=earlier.strftime("%H:%M"),
                count_13_17=4,
            ),
        )
        logged = Intervention.objects.get()
        assert logged.start_time == earlier

    def test_a_time_still_to_come_today_is_refused_in_french(
        self, client_as, intervenant_ss, site_ss, presence, place
    ):
        later = timezone.localtime() + timedelta(hours=1)
        if later.date() != timezone.localdate():
            pytest.skip("an hour from now is tomorrow")
        response = client_as(intervenant_ss).post(
            URL,
            quick_post(
                presence,
                place,
                site=site_ss.pk,
                day="today",
                start_time=later.strftime("%H:%M"),
                count_13_17=4,
            ),
        )
        assert response.status_code == 400
        assert french("This time has not come yet today.") in html.unescape(
            response.content.decode()
        )
        assert not Intervention.objects.exists()


class TestFromAPersonsPage:
    def test_the_resident_is_named_and_the_save_returns_to_their_page(
        self, client_as, intervenant_ss, site_ss, support, place
    ):
        resident = consented(site_ss)
        client = client_as(intervenant_ss)
        form = client.get(URL, {"resident": resident.pk}).context["form"]
        assert form["participants"].value() == [resident.pk]
        response = client.post(
            f"{URL}?resident={resident.pk}",
            quick_post(support, place, site=site_ss.pk, participants=[resident.pk]),
        )
        assert response["Location"] == resident.get_absolute_url()

    def test_someone_the_user_may_not_open_is_not_found(
        self, client_as, intervenant_ss, site_ag, support
    ):
        stranger = consented(site_ag)
        client = client_as(intervenant_ss)
        assert client.get(URL, {"resident": stranger.pk}).status_code == 404
        assert client.get(URL, {"household": stranger.household_id}).status_code == 404
        assert client.get(URL, {"resident": "abc"}).status_code == 404

    def test_a_households_members_are_offered_to_tick_those_without_consent_greyed(
        self, client_as, intervenant_ss, site_ss, support, place
    ):
        mother = consented(site_ss, first_name="Nadia")
        ResidentFactory(household=mother.household, first_name="Yanis")  # no consent
        response = client_as(intervenant_ss).get(URL, {"household": mother.household_id})
        body = html.unescape(response.content.decode())
        assert 'type="checkbox"' in body
        assert "Nadia" in body
        assert french("%(name)s (to count)") % {"name": "Yanis"} in body
        assert "disabled" in body
