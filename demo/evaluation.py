"""The demo's developmental evaluation: research consents for about 40 % of the residents who
have a file, and a year of practice journal entries, each citing the dashboard figures of the
month before it, kept as they were. Deterministic, and safe to run again (nothing is added
where entries or research consents already exist)."""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ema.accounts.models import Role, User
from ema.periods import month_of
from evaluation.figures import Scope, figures_snapshot, period_snapshot
from evaluation.models import JournalEntry
from residents.models import Consent, Resident

RESEARCH_SHARE = 0.4
BATCH = 1000

Kind = JournalEntry.Kind
# (kind, title, rationale, figures cited): what a team writes in a year of its practice.
ENTRIES = [
    (
        Kind.OBSERVATION,
        "Moins de parents aux ateliers de l’après-midi",
        "La présence aux ateliers parents-enfants baisse depuis la rentrée. Plusieurs parents "
        "nous disent qu’ils ont repris un emploi de jour.",
        ["participation"],
    ),
    (
        Kind.CHANGE,
        "Ateliers parents-enfants déplacés en soirée",
        "À la suite de l’observation du mois dernier, on essaie les mardis de 18 h à 19 h 30 "
        "pendant deux mois, puis on regarde la participation.",
        ["participation", "hours_by_level"],
    ),
    (
        Kind.DECISION,
        "Une permanence le samedi matin à Saint-Sulpice",
        "Les ménages qui travaillent la semaine ne sont pas rejoints. L’équipe ouvre le local "
        "le samedi de 10 h à midi, en alternance entre les intervenant·e·s.",
        ["reach"],
    ),
    (
        Kind.LESSON,
        "Le porte-à-porte rejoint les nouveaux ménages",
        "Les nouveaux ménages rejoints ce trimestre l’ont été surtout par le porte-à-porte de "
        "septembre, peu par les affiches. On le refera à chaque rentrée.",
        ["reach", "age_groups"],
    ),
    (
        Kind.OBSERVATION,
        "Beaucoup de temps en individuel, peu en collectif",
        "La part du temps en individuel dépasse la cible fixée par la direction. Les demandes "
        "liées au logement prennent beaucoup de place depuis l’automne.",
        ["balance", "themes"],
    ),
    (
        Kind.DECISION,
        "Un comité logement avec les locataires",
        "Plutôt que de répondre une à une aux demandes sur les réparations, l’équipe soutient "
        "la création d’un comité logement qui portera les demandes à l’OMHM.",
        ["balance", "themes"],
    ),
    (
        Kind.CHANGE,
        "Références accompagnées vers le CLSC",
        "Les références envoyées sans accompagnement sont moins souvent acceptées. On "
        "accompagne désormais la première rencontre quand la personne le souhaite.",
        ["referrals"],
    ),
    (
        Kind.LESSON,
        "Le délai d’acceptation des références a diminué",
        "Depuis qu’on accompagne la première rencontre, le délai médian d’acceptation a "
        "baissé. On garde la pratique et on en parle à la concertation.",
        ["referrals"],
    ),
    (
        Kind.OBSERVATION,
        "Les adolescent·e·s viennent surtout le vendredi soir",
        "Les 13-17 ans sont plus nombreux aux soirées du vendredi qu’aux activités de "
        "semaine. Les jeunes demandent un espace à eux.",
        ["age_groups", "participation"],
    ),
    (
        Kind.DECISION,
        "Un soir par semaine réservé aux jeunes",
        "Le local est réservé aux 13-17 ans le vendredi de 18 h à 21 h, avec la maison des "
        "jeunes du quartier.",
        ["age_groups"],
    ),
    (
        Kind.CHANGE,
        "Cuisines collectives : inscriptions à la séance",
        "Les inscriptions à la saison décourageaient les nouveaux. On accueille maintenant "
        "à chaque séance, dans la limite des places.",
        ["participation", "interventions_by_level"],
    ),
    (
        Kind.LESSON,
        "Les résident·e·s reviennent quand ils organisent",
        "Les personnes qui ont pris un rôle d’organisation dans une action collective "
        "reviennent plus souvent aux activités. On offre ces rôles plus tôt.",
        ["participation"],
    ),
]


@dataclass(frozen=True)
class EvaluationSummary:
    research_consents: int
    entries: int


@transaction.atomic
def seed_evaluation(*, seed: int = 2018) -> EvaluationSummary:
    """Research consents for about 40 % of the residents with a file, then two journal
    entries a month over the last year, where none exist yet."""
    consents = _research_consents(seed)
    entries = _journal(seed) if not JournalEntry.objects.exists() else 0
    return EvaluationSummary(consents, entries)


def _research_consents(seed: int) -> int:
    if Consent.objects.filter(purpose=Consent.Purpose.RESEARCH).exists():
        return 0
    rng = random.Random(f"{seed}:research-consents")  # noqa: S311 - invented data
    today = timezone.localdate()
    residents = (
        Resident.objects.filter(
            pk__in=Consent.objects.in_force(today)
            .filter(purpose=Consent.Purpose.KEEP_FILE)
            .values("resident_id")
        )
        .select_related("household")
        .order_by("pk")
    )
    staff = list(User.objects.filter(role=Role.INTERVENANT).order_by("username"))
    if not staff:
        return 0
    rows = []
    for resident in residents.iterator(chunk_size=BATCH):
        if rng.random() >= RESEARCH_SHARE:
            continue
        given_on = today - timedelta(days=rng.randint(5, 300))
        minor = resident.is_under_age_of_consent(given_on)
        rows.append(
            Consent(
                resident=resident,
                purpose=Consent.Purpose.RESEARCH,
                given_by=Consent.GivenBy.GUARDIAN if minor else Consent.GivenBy.PERSON,
                guardian_name=f"Parent de {resident.first_name}" if minor else "",
                given_on=given_on,
                obtained_by=rng.choice(staff),
            )
        )
    Consent.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _journal(seed: int) -> int:
    rng = random.Random(f"{seed}:journal")  # noqa: S311 - invented data
    today = timezone.localdate()
    authors = list(
        User.objects.filter(
            role__in=[Role.INTERVENANT, Role.COORDINATION, Role.DIRECTION]
        ).order_by("username")
    )
    direction = User.objects.filter(role=Role.DIRECTION).order_by("username").first()
    if not authors or direction is None:
        return 0
    rows = []
    periods = []
    period = month_of(today)
    for _ in range(12):
        period = period.previous()
        periods.append(period)
    for number, period in enumerate(reversed(periods)):
        for half in (0, 1):
            kind, title, rationale, keys = ENTRIES[(2 * number + half) % len(ENTRIES)]
            day = period.end + timedelta(days=1 + half * 14 + rng.randint(0, 5))
            if day > today:
                day = today
            # The figures of the month before the entry, as the whole organisation's.
            scope = Scope(user=direction, period=period, site=None)
            rows.append(
                JournalEntry(
                    date=day,
                    kind=kind,
                    title=title,
                    rationale=rationale,
                    figures=figures_snapshot(keys=keys, scope=scope),
                    figures_period=period_snapshot(scope),
                    author=rng.choice(authors),
                )
            )
    JournalEntry.objects.bulk_create(rows)
    return len(rows)
