"""The load test's simulated people, for locust (run by `make loadtest`, see bench.loadtest).

Each simulated person logs in through the real login form (and, for the direction, the
two-factor page with a code computed from their device's key), then works with think times
of 1 to 5 seconds, far busier than a real person:

- intervenants (most users): "Ma journée", the quick log (form, then save), their list of
  interventions with a filter, a household page, their follow-ups;
- coordinators: the referral queue, the filtered list over every site, a referral, the
  dashboard's referral figures;
- the direction: the dashboard for the last fiscal year over every site and for this month,
  the annual report as a page and as a workbook.

The plan (accounts, ids to visit) is the JSON file named by BENCH_PLAN, which
bench.loadplan writes from the data set.
"""

import itertools
import json
import os
import random
from html.parser import HTMLParser

from django_otp.oath import totp
from locust import HttpUser, between, events, task

with open(os.environ["BENCH_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
URLS = PLAN["urls"]
INTERVENANTS = itertools.cycle(PLAN["intervenants"])
COORDINATORS = itertools.cycle(PLAN["coordinators"])
DIRECTORS = iter(PLAN["directors"])  # one account each: a code cannot be used twice
LOGIN_STEPS = {"login form", "login", "login second factor"}
work_times: list[float] = []  # milliseconds of every request but the logins


@events.request.add_listener
def _record(name, response_time, **kwargs) -> None:
    if name not in LOGIN_STEPS:
        work_times.append(response_time)


@events.test_stop.add_listener
def _save(**kwargs) -> None:
    """The times of the work after logging in, for the steady-state percentiles."""
    if os.environ.get("BENCH_WORK_TIMES"):
        with open(os.environ["BENCH_WORK_TIMES"], "w", encoding="utf-8") as out:
            json.dump(work_times, out)


class Forms(HTMLParser):
    """The POST forms of a page: their action and the names and values of their inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self.inside = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self.inside = True
            self.forms.append((attributes.get("action") or "", {}))
        elif self.inside and tag == "input" and attributes.get("name"):
            self.forms[-1][1][attributes["name"]] = attributes.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def form_with(html: str, field: str) -> tuple[str, dict[str, str]] | None:
    """The action and inputs of the page's POST form that has `field` (the navigation bar
    has a form too: the log-out button)."""
    parser = Forms()
    parser.feed(html)
    return next(((action, fields) for action, fields in parser.forms if field in fields), None)


class Person(HttpUser):
    """Someone of the team: logs in once, then works until the test stops."""

    abstract = True
    wait_time = between(1, 5)
    account: dict

    def on_start(self) -> None:
        self.login()

    def login(self) -> None:
        page = self.client.get(URLS["login"], name="login form")
        _action, fields = form_with(page.text, "username") or ("", {})
        fields |= {"username": self.account["username"], "password": self.account["password"]}
        with self.client.post(
            URLS["login"], data=fields, name="login", catch_response=True
        ) as response:
            if form_with(response.text, "code"):
                self.second_factor(response)
            elif form_with(response.text, "password"):
                response.failure(f"login refused for {self.account['username']}")

    def second_factor(self, page) -> None:
        """The two-factor step: a code from the device's key, as the app would show."""
        action, fields = form_with(page.text, "code")
        code = f"{totp(bytes.fromhex(self.account['totp_key'])):06d}"
        with self.client.post(
            action or page.url, data=fields | {"code": code}, name="login second factor",
            catch_response=True,
        ) as response:  # fmt: skip
            if form_with(response.text, "code"):
                response.failure(f"code refused for {self.account['username']}")

    def page(self, url: str, name: str) -> None:
        """A page that must answer 200 itself, not a redirect to the login."""
        with self.client.get(
            url, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.headers.get('Location', '')}")


class Intervenant(Person):
    """An intervenant on their site."""

    weight = 1

    def on_start(self) -> None:
        self.account = next(INTERVENANTS)
        super().on_start()

    @task(5)
    def my_day(self) -> None:
        self.page(URLS["my_day"], "Ma journée")

    @task(3)
    def quick_log(self) -> None:
        form_page = self.client.get(URLS["quick_log_form"], name="quick log form")
        _action, fields = form_with(form_page.text, "duration_minutes") or ("", {})
        fields |= self.account["quick_log"]
        with self.client.post(
            URLS["quick_log"], data=fields, name="quick log (POST)", allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 302:
                response.failure(f"quick log answered {response.status_code}")

    @task(2)
    def intervention_list(self) -> None:
        self.page(URLS["intervention_list"], "interventions, filtered")

    @task(2)
    def household(self) -> None:
        household = random.choice(self.account["households"])
        self.page(URLS["household"].format(household), "household page")

    @task(1)
    def follow_ups(self) -> None:
        self.page(URLS["follow_ups"], "follow-ups")


class Coordinator(Person):
    """The coordinator, on the referrals of every site."""

    fixed_count = PLAN["mix"]["coordinators"]
    abstract = fixed_count == 0  # locust reads a fixed count of 0 as "no fixed count"

    def on_start(self) -> None:
        self.account = next(COORDINATORS)
        super().on_start()

    @task(5)
    def queue(self) -> None:
        self.page(URLS["referral_queue"], "coordinator's queue")

    @task(2)
    def intervention_list(self) -> None:
        self.page(URLS["intervention_list"], "interventions, filtered")

    @task(2)
    def referral(self) -> None:
        self.page(URLS["referral"].format(random.choice(PLAN["referrals"])), "referral page")

    @task(1)
    def dashboard(self) -> None:
        self.page(URLS["dashboard_month"], "dashboard, this month")


class Director(Person):
    """The director, on the dashboard and the annual report."""

    fixed_count = PLAN["mix"]["directors"]
    abstract = fixed_count == 0

    def on_start(self) -> None:
        self.account = next(DIRECTORS)
        super().on_start()

    @task(3)
    def dashboard_year(self) -> None:
        self.page(URLS["dashboard_year"], "dashboard, fiscal year")

    @task(2)
    def dashboard_month(self) -> None:
        self.page(URLS["dashboard_month"], "dashboard, this month")

    @task(1)
    def report(self) -> None:
        self.page(URLS["annual_report"], "annual report")

    @task(1)
    def report_xlsx(self) -> None:
        self.page(URLS["annual_report_xlsx"], "annual report (XLSX)")
