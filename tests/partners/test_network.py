"""The network picture: EMA and its partners in a period, as an SVG and as a table."""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ema.periods import last_twelve_months
from ema.svg import LINE_HEIGHT, WIDTH
from partners.models import Organisation, Referral
from partners.network import (
    LABEL_CHARS,
    LABEL_LINES,
    NODE_MIN_RADIUS,
    Exchange,
    network_layout,
)
from tests.factories import HouseholdFactory, InterventionFactory

URL = reverse("partners:network")
TODAY = timezone.localdate
Kind = Organisation.Kind


def organisation(name: str, kind: str = Kind.COMMUNITY, *, site=None) -> Organisation:
    """A partner; a tenant committee belongs to `site`."""
    committee_site = site if kind == Kind.TENANT_COMMITTEE else None
    return Organisation.objects.create(name=name, kind=kind, committee_site=committee_site)


def referrals(count: int, *, to: Organisation, site, by, on: datetime | None = None) -> None:
    """`count` referrals of one household of the site to a partner, made now or `on`."""
    household = HouseholdFactory(site=site)
    made = [
        Referral.objects.create(
            household=household,
            site=site,
            organisation=to,
            reason="Aide pour une demande de logement.",
            responsible=by,
            created_by=by,
        )
        for _ in range(count)
    ]
    if on is not None:
        # created_at is set on creation; move it for the test.
        Referral.objects.filter(pk__in=[r.pk for r in made]).update(created_at=on)


def joint_activities(count: int, *, with_: Organisation, site, by, on: date | None = None):
    """`count` interventions of the site where the partner was present."""
    interventions = InterventionFactory.create_batch(
        count, site=site, author=by, date=on or TODAY()
    )
    with_.present_at.add(*interventions)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def svg_of(response) -> str:
    match = re.search(r"<svg[^>]*network-picture.*?</svg>", response.content.decode(), re.S)
    assert match, "no network picture on the page"
    return match.group(0)


def nodes_by_name(response) -> dict:
    return {node.exchange.name: node for node in response.context["picture"].nodes}


def test_the_page_draws_a_partner_with_referrals_in_an_accessible_svg(
    client_as, coordination, intervenant_ss, site_ss
):
    rap = organisation("RAP Jeunesse")
    referrals(2, to=rap, site=site_ss, by=intervenant_ss)

    response = client_as(coordination).get(URL)

    assert response.status_code == 200
    svg = svg_of(response)
    assert 'role="img"' in svg
    assert 'aria-labelledby="network-title network-desc"' in svg
    assert '<title id="network-title">' in svg
    assert '<desc id="network-desc">' in svg
    assert "RAP Jeunesse" in svg
    assert "style=" not in response.content.decode()
    assert "<script" not in svg


def test_a_busier_partner_gets_a_larger_circle_and_a_wider_link(
    client_as, coordination, intervenant_ss, site_ss
):
    busy, quiet = organisation("CLSC Ahuntsic", Kind.HEALTH), organisation("Maison des jeunes")
    referrals(6, to=busy, site=site_ss, by=intervenant_ss)
    joint_activities(2, with_=busy, site=site_ss, by=intervenant_ss)
    referrals(1, to=quiet, site=site_ss, by=intervenant_ss)

    nodes = nodes_by_name(client_as(coordination).get(URL))

    assert nodes["CLSC Ahuntsic"].exchange.weight == 8
    assert nodes["Maison des jeunes"].exchange.weight == 1
    assert nodes["CLSC Ahuntsic"].r > nodes["Maison des jeunes"].r
    assert nodes["CLSC Ahuntsic"].link_width > nodes["Maison des jeunes"].link_width
    # The area tells the weight: eight times the exchanges, about eight times the area.
    ratio = (nodes["CLSC Ahuntsic"].r / nodes["Maison des jeunes"].r) ** 2
    assert ratio == pytest.approx(8, rel=0.05)


def test_partners_are_coloured_by_type(client_as, coordination, intervenant_ss, site_ss):
    referrals(1, to=organisation("CLSC Ahuntsic", Kind.HEALTH), site=site_ss, by=intervenant_ss)
    referrals(1, to=organisation("École Saint-Paul", Kind.SCHOOL), site=site_ss, by=intervenant_ss)

    response = client_as(coordination).get(URL)

    nodes = nodes_by_name(response)
    assert nodes["CLSC Ahuntsic"].exchange.colour != nodes["École Saint-Paul"].exchange.colour
    assert f'fill="{nodes["CLSC Ahuntsic"].exchange.colour}"' in svg_of(response)
    legend = [entry.kind for entry in response.context["picture"].legend]
    assert legend == [Kind.HEALTH, Kind.SCHOOL]


def test_a_referral_outside_the_period_is_not_counted(
    client_as, coordination, intervenant_ss, site_ss
):
    rap = organisation("RAP Jeunesse")
    referrals(1, to=rap, site=site_ss, by=intervenant_ss)
    referrals(1, to=rap, site=site_ss, by=intervenant_ss, on=timezone.now() - timedelta(days=400))

    nodes = nodes_by_name(client_as(coordination).get(URL))

    assert nodes["RAP Jeunesse"].exchange.referrals == 1


def test_the_period_runs_from_midnight_to_midnight_in_montreal(
    client_as, coordination, intervenant_ss, site_ss
):
    rap = organisation("RAP Jeunesse")
    start, end = date(2025, 3, 1), date(2025, 3, 31)
    referrals(1, to=rap, site=site_ss, by=intervenant_ss, on=local(start, 0, 5))
    referrals(1, to=rap, site=site_ss, by=intervenant_ss, on=local(end, 23, 30))
    referrals(1, to=rap, site=site_ss, by=intervenant_ss, on=local(end + timedelta(days=1), 0, 5))
    referrals(1, to=rap, site=site_ss, by=intervenant_ss, on=local(start, 0) - timedelta(minutes=5))
    joint_activities(1, with_=rap, site=site_ss, by=intervenant_ss, on=end)
    joint_activities(1, with_=rap, site=site_ss, by=intervenant_ss, on=end + timedelta(days=1))

    response = client_as(coordination).get(
        URL, {"date_from": start.isoformat(), "date_to": end.isoformat()}
    )

    node = nodes_by_name(response)["RAP Jeunesse"]
    assert (node.exchange.referrals, node.exchange.joint_activities) == (2, 1)


def test_the_default_period_is_the_last_twelve_months(client_as, coordination):
    response = client_as(coordination).get(URL)

    picture = response.context["picture"]
    assert (picture.date_from, picture.date_to) == last_twelve_months()
    assert last_twelve_months(date(2025, 6, 15)) == (date(2024, 6, 16), date(2025, 6, 15))
    assert last_twelve_months(date(2024, 2, 29)) == (date(2023, 3, 1), date(2024, 2, 29))


def test_joint_activities_count_the_interventions_where_the_partner_was_present(
    client_as, coordination, intervenant_ss, site_ss
):
    committee = organisation(
        "Comité de locataires Saint-Sulpice", Kind.TENANT_COMMITTEE, site=site_ss
    )
    joint_activities(3, with_=committee, site=site_ss, by=intervenant_ss)
    joint_activities(1, with_=committee, site=site_ss, by=intervenant_ss, on=date(2001, 1, 1))

    node = nodes_by_name(client_as(coordination).get(URL))["Comité de locataires Saint-Sulpice"]

    assert (node.exchange.referrals, node.exchange.joint_activities) == (0, 3)


def test_an_intervenant_of_another_site_does_not_see_the_referrals_of_site_ss_counted(
    client_as, intervenant_ss, intervenant_ag, site_ss, site_ag
):
    rap, clsc = organisation("RAP Jeunesse"), organisation("CLSC Ahuntsic", Kind.HEALTH)
    referrals(4, to=rap, site=site_ss, by=intervenant_ss)
    joint_activities(2, with_=rap, site=site_ss, by=intervenant_ss)
    referrals(1, to=rap, site=site_ag, by=intervenant_ag)
    referrals(2, to=clsc, site=site_ss, by=intervenant_ss)

    seen_by_ag = client_as(intervenant_ag).get(URL)
    seen_by_ss = client_as(intervenant_ss).get(URL)

    assert seen_by_ag.status_code == 200
    ag_nodes = nodes_by_name(seen_by_ag)
    rap_for_ag = ag_nodes["RAP Jeunesse"].exchange
    assert (rap_for_ag.referrals, rap_for_ag.joint_activities) == (1, 0)
    assert "CLSC Ahuntsic" not in ag_nodes
    assert "CLSC Ahuntsic" not in seen_by_ag.content.decode()
    ss_nodes = nodes_by_name(seen_by_ss)
    assert ss_nodes["RAP Jeunesse"].exchange.referrals == 4
    assert ss_nodes["RAP Jeunesse"].exchange.joint_activities == 2


def test_an_intervenant_cannot_choose_a_site_they_are_not_assigned_to(
    client_as, intervenant_ag, intervenant_ss, site_ss, site_ag
):
    referrals(3, to=organisation("RAP Jeunesse"), site=site_ss, by=intervenant_ss)

    response = client_as(intervenant_ag).get(URL, {"site": site_ss.pk})

    assert response.status_code == 200
    assert response.context["form"].errors["site"]
    assert response.context["picture"].nodes == ()


def test_the_site_filter_counts_only_that_site(
    client_as, coordination, intervenant_ss, intervenant_ag, site_ss, site_ag
):
    rap = organisation("RAP Jeunesse")
    referrals(3, to=rap, site=site_ss, by=intervenant_ss)
    referrals(1, to=rap, site=site_ag, by=intervenant_ag)
    joint_activities(1, with_=rap, site=site_ss, by=intervenant_ss)

    response = client_as(coordination).get(URL, {"site": site_ag.pk})

    node = nodes_by_name(response)["RAP Jeunesse"]
    assert (node.exchange.referrals, node.exchange.joint_activities) == (1, 0)
    assert response.context["picture"].site == site_ag


def test_partners_without_exchange_in_the_period_are_left_out(
    client_as, coordination, intervenant_ss, site_ss
):
    organisation("Bibliothèque d'Ahuntsic", Kind.MUNICIPAL)
    referrals(1, to=organisation("RAP Jeunesse"), site=site_ss, by=intervenant_ss)

    response = client_as(coordination).get(URL)

    assert list(nodes_by_name(response)) == ["RAP Jeunesse"]
    assert "Bibliothèque" not in response.content.decode()


def test_an_empty_period_says_so_without_a_picture(client_as, direction):
    response = client_as(direction).get(URL)

    assert response.status_code == 200
    assert "network-picture" not in response.content.decode()
    assert response.context["picture"].nodes == ()


def test_the_accessible_table_holds_the_same_numbers_as_the_picture(
    client_as, direction, intervenant_ss, site_ss, assert_contains_row
):
    rap, clsc = organisation("RAP Jeunesse"), organisation("CLSC Ahuntsic", Kind.HEALTH)
    referrals(3, to=rap, site=site_ss, by=intervenant_ss)
    joint_activities(1, with_=rap, site=site_ss, by=intervenant_ss)
    referrals(1, to=clsc, site=site_ss, by=intervenant_ss)
    joint_activities(5, with_=clsc, site=site_ss, by=intervenant_ss)

    client = client_as(direction)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(URL)

    picture = response.context["picture"]
    assert [row.name for row in picture.rows] == ["CLSC Ahuntsic", "RAP Jeunesse"]
    for node in picture.nodes:
        assert_contains_row(response, node.exchange)
    assert_contains_row(response, None, totals=(4, 6, 10))


@pytest.fixture
def assert_contains_row():
    from django.test import SimpleTestCase

    def check(response, exchange, totals=None):
        if exchange:
            kept, open_, late = (
                exchange.commitments.kept,
                exchange.commitments.open,
                exchange.commitments.late,
            )
            cells = (exchange.referrals, exchange.joint_activities, kept, open_, late)
            cells += (exchange.weight,)
        else:
            cells = totals if len(totals) == 6 else (*totals[:2], 0, 0, 0, totals[2])
        labels = [
            "Referrals",
            "Joint activities",
            "Commitments kept",
            "Commitments open",
            "Commitments late",
            "Total",
        ]
        row_cells = "".join(
            f'<td data-label="{label}" class="text-end">{value}</td>'
            for label, value in zip(labels, cells, strict=True)
        )
        if exchange:
            url = reverse("partners:organisation_detail", args=[exchange.organisation_id])
            head = (
                f'<th scope="row"><a href="{url}">{exchange.name}</a></th>'
                f'<td data-label="Type"><svg class="network-swatch" width="12" height="12" '
                f'viewBox="0 0 12 12" aria-hidden="true" focusable="false"><circle cx="6" '
                f'cy="6" r="5.5" fill="{exchange.colour}" stroke="#343a40" stroke-width="1"/>'
                f"</svg>{exchange.kind_label}</td>"
            )
        else:
            head = '<th scope="row" colspan="2">All partners</th>'
        SimpleTestCase().assertContains(response, f"<tr>{head}{row_cells}</tr>", html=True)

    return check


def test_numbers_in_the_svg_use_a_decimal_point_in_french(
    client_as, coordination, intervenant_ss, site_ss
):
    for index, name in enumerate(["RAP Jeunesse", "CLSC Ahuntsic", "Maison des jeunes"]):
        referrals(index + 1, to=organisation(name), site=site_ss, by=intervenant_ss)

    response = client_as(coordination).get(URL)

    assert response["Content-Language"] == "fr-ca"
    svg = svg_of(response)
    numbers = re.findall(r'\s(?:x|y|x1|y1|x2|y2|cx|cy|r|stroke-width)="([^"]*)"', svg)
    assert len(numbers) > 20
    for number in numbers:
        float(number)  # "12,5" would fail here and in the browser


@pytest.mark.parametrize("count", [3, 30])
def test_the_query_count_does_not_grow_with_partners(
    client_as, coordination, intervenant_ss, site_ss, count, django_assert_max_num_queries
):
    for index in range(count):
        kind = Kind.values[index % len(Kind.values)]
        partner = organisation(f"Partenaire {index:02d}", kind, site=site_ss)
        referrals(1 + index % 4, to=partner, site=site_ss, by=intervenant_ss)
        joint_activities(1, with_=partner, site=site_ss, by=intervenant_ss)
    client = client_as(intervenant_ss)

    # The session, the user, the sites of the form, then referral counts, joint-activity
    # counts, commitment counts and the partners.
    with django_assert_max_num_queries(7):
        response = client.get(URL)

    assert response.status_code == 200
    assert len(response.context["picture"].nodes) == count


def test_a_bad_period_shows_its_error_and_the_default_period(client_as, coordination):
    client = client_as(coordination)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(URL, {"date_from": "2025-05-01", "date_to": "2025-04-01"})

    assert response.status_code == 200
    assert "The end of the period comes before its start." in response.content.decode()
    picture = response.context["picture"]
    assert (picture.date_from, picture.date_to) == last_twelve_months()


def test_the_page_is_read_only(client_as, coordination):
    assert client_as(coordination).post(URL).status_code == 405


def test_an_account_without_a_role_is_refused(client_as, outsider):
    assert client_as(outsider).get(URL).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def _exchange(pk: int, weight: int, kind: str = Kind.COMMUNITY, name: str = "") -> Exchange:
    return Exchange(
        organisation_id=pk,
        name=name or f"Organisme communautaire numéro {pk}",
        kind=kind,
        kind_label=str(Kind(kind).label),
        referrals=weight,
        joint_activities=0,
    )


def test_the_layout_orders_partners_by_type_then_weight():
    exchanges = [
        _exchange(1, 2, Kind.SCHOOL),
        _exchange(2, 9, Kind.COMMUNITY),
        _exchange(3, 5, Kind.SCHOOL),
        _exchange(4, 1, Kind.COMMUNITY),
        _exchange(5, 0, Kind.OMHM),
    ]

    picture = network_layout(exchanges, date_from=date(2025, 4, 1), date_to=date(2026, 3, 31))

    assert [node.exchange.organisation_id for node in picture.nodes] == [2, 4, 3, 1]
    assert [row.organisation_id for row in picture.rows] == [2, 3, 1, 4]


def test_the_layout_of_thirty_partners_stays_inside_the_picture_without_overlaps():
    exchanges = [
        _exchange(pk, 1 + pk % 7, Kind.values[pk % len(Kind.values)]) for pk in range(1, 31)
    ]

    picture = network_layout(exchanges, date_from=date(2025, 4, 1), date_to=date(2026, 3, 31))

    nodes = picture.nodes
    assert len(nodes) == 30
    assert picture.width == WIDTH
    for node in nodes:
        assert node.r >= NODE_MIN_RADIUS
        assert node.r <= node.x <= picture.width - node.r
        assert node.r <= node.y <= picture.height - node.r
        assert 1 <= len(node.label) <= LABEL_LINES
        assert all(len(line.text) <= LABEL_CHARS for line in node.label)
        # Labels point away from EMA, towards the picture's edge, and stay inside it.
        assert node.label_anchor == ("start" if node.x > picture.centre_x else "end")
        assert all(0 < line.y < picture.height for line in node.label)
        distance = ((node.x - picture.centre_x) ** 2 + (node.y - picture.centre_y) ** 2) ** 0.5
        assert distance > picture.centre_r + node.r
    for index, a in enumerate(nodes):
        for b in nodes[index + 1 :]:
            gap = ((a.x - b.x) ** 2 + (a.y - b.y) ** 2) ** 0.5
            assert gap > a.r + b.r
            if a.label_anchor == b.label_anchor:
                # Two labels of a column never share a line.
                assert abs(a.y - b.y) >= (len(a.label) + len(b.label)) / 2 * LINE_HEIGHT


def test_a_long_name_keeps_the_part_that_tells_it_apart_on_a_third_line():
    exchanges = [
        _exchange(1, 3, Kind.TENANT_COMMITTEE, "Comité de locataires Saint-Sulpice"),
        _exchange(2, 2, Kind.TENANT_COMMITTEE, "Comité de locataires André-Grasset"),
    ]

    picture = network_layout(exchanges, date_from=date(2025, 4, 1), date_to=date(2026, 3, 31))

    labels = [[line.text for line in node.label] for node in picture.nodes]
    assert labels == [
        ["Comité de", "locataires", "Saint-Sulpice"],
        ["Comité de", "locataires", "André-Grasset"],
    ]
