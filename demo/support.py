"""Demo clinical support: a year of supervision sessions, monthly and individual for each
intervenant (with the coordinator), every two months in a group (with an external clinical
supervisor), and the coordinator's own with an external psychologist. A colleague whose sessions
stopped shows on the dashboard's workload signals. Deterministic; safe to run again."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from demo.accounts import DEMO_ACCOUNTS, DEMO_TEAM, staff_usernames
from ema.accounts.models import Role, User
from support.models import SupervisionSession, SupervisionTheme, WorkloadThresholds

DAYS = 365
GROUP_SUPERVISOR = "Marc-André Brisson, t.s., superviseur clinique"
COORDINATION_SUPERVISOR = "Dre Hélène Roy, psychologue"
# Sessions stopped three months ago (a long leave of his supervisor's slot, never rebooked).
WITHOUT_RECENT_SUPPORT = "samuel.joseph"
THRESHOLDS = {
    "over_planned_percent": 125,
    "crisis_interventions": 6,
    "evening_hours": 30,
    "weekend_hours": 8,
    "weeks_without_supervision": 6,
}
NOTES = [
    "Retour sur une situation de négligence : ce qui relève de nous, ce qui relève de la DPJ.",
    "Épuisement après une série d’interventions de crise; on convient d’alléger la semaine.",
    "Limites avec une famille qui appelle le soir; proposer des heures de disponibilité.",
    "Deuil d’un jeune du quartier : comment en parler avec le groupe des 13-17.",
    "Préparation d’une rencontre difficile avec un parent; jeu de rôle.",
    "Tension avec un partenaire sur le partage d’information; rappel du consentement.",
    "Bilan des trois derniers mois; objectifs de formation pour l’automne.",
    "Violence conjugale soupçonnée : ressources, sécurité, ce que l’on note au dossier.",
]
GROUP_NOTES = [
    "Discussion de cas : cohabitation difficile dans un bâtiment; regards croisés des sites.",
    "Fatigue de compassion : signes à surveiller, ce qui aide l’équipe.",
    "Présence informelle l’hiver : garder le lien quand les cours sont vides.",
]


@transaction.atomic
def seed_support(*, seed: int = 2018, days: int = DAYS) -> int:
    """Record a year of supervision sessions up to yesterday, unless some exist; how many."""
    if SupervisionSession.objects.exists():
        return 0
    # The direction's thresholds in the demo: evening work is the milieu's ordinary rhythm.
    WorkloadThresholds.objects.update_or_create(pk=1, defaults=THRESHOLDS)
    rng = random.Random(f"{seed}:support")  # noqa: S311 - invented data
    today = timezone.localdate()
    staff = {u.username: u for u in User.objects.filter(username__in=staff_usernames())}
    coordination = next(
        (staff[a.username] for a in DEMO_ACCOUNTS if a.role == Role.COORDINATION), None
    )
    intervenants = [
        staff[name]
        for name in [a.username for a in DEMO_ACCOUNTS if a.role == Role.INTERVENANT]
        + [m.username for m in DEMO_TEAM]
        if name in staff
    ]
    if coordination is None or not intervenants:
        return 0
    themes = list(SupervisionTheme.objects.active())
    sessions: list[tuple[SupervisionSession, list[User]]] = []
    first = today - timedelta(days=days)
    for month in _months(first, today):
        for person in intervenants:
            stopped = person.username == WITHOUT_RECENT_SUPPORT and month > today - timedelta(
                days=100
            )
            if stopped or rng.random() < 0.1:  # now and then a month is missed
                continue
            day = _working_day(month + timedelta(days=rng.randint(3, 24)))
            if day >= today:
                continue
            session = SupervisionSession(
                kind=SupervisionSession.Kind.INDIVIDUAL,
                supervisor=coordination,
                date=day,
                duration_minutes=rng.choice((45, 60, 60, 90)),
                notes=rng.choice(NOTES),
                created_by=coordination,
            )
            sessions.append((session, [person]))
        # The coordinator's own supervision, with a psychologist outside the team.
        day = _working_day(month + timedelta(days=rng.randint(5, 20)))
        if day < today:
            own = SupervisionSession(
                kind=SupervisionSession.Kind.INDIVIDUAL,
                external_supervisor=COORDINATION_SUPERVISOR,
                date=day,
                duration_minutes=60,
                notes=rng.choice(NOTES),
                created_by=coordination,
            )
            sessions.append((own, [coordination]))
        if month.month % 2 == 0:
            day = _working_day(month + timedelta(days=rng.randint(8, 18)))
            if day < today:
                group = [p for p in intervenants if p.username != WITHOUT_RECENT_SUPPORT]
                session = SupervisionSession(
                    kind=SupervisionSession.Kind.GROUP,
                    external_supervisor=GROUP_SUPERVISOR,
                    date=day,
                    duration_minutes=120,
                    notes=rng.choice(GROUP_NOTES),
                    created_by=coordination,
                )
                sessions.append((session, group))
    SupervisionSession.objects.bulk_create([session for session, _ in sessions])
    Supervised = SupervisionSession.supervised.through
    Themed = SupervisionSession.themes.through
    Supervised.objects.bulk_create(
        Supervised(supervisionsession=session, user=user)
        for session, people in sessions
        for user in people
    )
    Themed.objects.bulk_create(
        Themed(supervisionsession=session, supervisiontheme=theme)
        for session, _ in sessions
        for theme in rng.sample(themes, min(len(themes), rng.choice((1, 1, 2))))
    )
    return len(sessions)


def _months(first: date, last: date) -> list[date]:
    """The first day of each month from `first`'s to `last`'s."""
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def _working_day(day: date) -> date:
    """The day itself, or the Monday after a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)
