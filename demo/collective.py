"""Demo collective issues: on each EMA site, the issues of the demo year (vermin at
Saint-Sulpice with the OMHM's answers, safety at André-Grasset, noise at Meunier-Tolhurst,
upkeep...), with the households affected, demo interventions linked at the three levels, the
partners mobilised, the status steps and the responses obtained. Deterministic, bulk-created,
and a site that already holds issues is left alone."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from collective.models import (
    Category,
    CollectiveIssue,
    IssueResponse,
    IssueStatus,
    IssueStatusChange,
)
from demo.catalogues.partners import committee_name
from ema.accounts.models import Role, User
from interventions.models import Intervention, Level
from partners.models import Organisation
from residents.models import Household, Site

S = IssueStatus

# (days ago, status, note) after the first step « open » on the day the issue opened.
Step = tuple[int, str, str]
# (days ago, organisation, what it answered or did)
Answer = tuple[int, str, str]


@dataclass(frozen=True)
class IssueSpec:
    site: str
    category: str
    title: str
    opened: int  # days ago
    description: str
    partners: tuple[str, ...]
    steps: tuple[Step, ...] = ()
    answers: tuple[Answer, ...] = ()
    households: int = 8
    # How many interventions of each level, individual, group, collective, to link.
    linked: tuple[int, int, int] = (3, 2, 4)


COMMITTEE = "committee"  # the site's tenant committee, named after the site

# fmt: off
ISSUES: tuple[IssueSpec, ...] = (
    IssueSpec(
        "Saint-Sulpice", Category.VERMIN, "Punaises de lit aux bâtiments 2 et 3", 320,
        "Des ménages des bâtiments 2 et 3 signalent des punaises de lit depuis la fin de "
        "l’été; plusieurs ont jeté des matelas. Les familles craignent d’être blâmées et ne "
        "déclarent pas toutes le problème.",
        ("OMHM", COMMITTEE, "CLSC d'Ahuntsic"),
        ((290, S.MOBILISING, "Pétition signée par 41 ménages, remise au comité."),
         (60, S.RESOLVED, "Plus aucun signalement depuis deux mois.")),
        ((300, "OMHM", "Inspection des logements signalés; traitement prévu au bâtiment 2."),
         (240, "OMHM", "Traitement de tous les logements du bâtiment 2, puis du bâtiment 3."),
         (150, "CLSC d'Ahuntsic", "Séance d’information sur la préparation des logements."),
         (70, "OMHM", "Deuxième traitement au bâtiment 3; suivi aux trois mois.")),
        households=14, linked=(5, 3, 6),
    ),
    IssueSpec(
        "Saint-Sulpice", Category.UPKEEP, "Ascenseur du bâtiment 1 souvent en panne", 140,
        "L’ascenseur tombe en panne plusieurs fois par mois; des aînés et des familles avec "
        "poussette restent bloqués chez eux.",
        ("OMHM", COMMITTEE),
        ((100, S.MOBILISING, "Lettre collective des locataires à l’OMHM."),),
        ((120, "OMHM", "Une pièce est commandée; délai annoncé de six semaines."),
         (45, "OMHM", "Remplacement du contrôleur prévu au printemps.")),
        households=9, linked=(2, 0, 3),
    ),
    IssueSpec(
        "Saint-Sulpice", Category.VERMIN, "Souris dans le local communautaire", 35,
        "Des souris dans le local communautaire : la halte-garderie hésite à revenir.",
        ("OMHM",),
        answers=((20, "OMHM", "Visite de l’exterminateur; trous colmatés sous l’évier."),),
        households=3, linked=(0, 1, 1),
    ),
    IssueSpec(
        "André-Grasset", Category.SAFETY, "Sentiment d’insécurité dans la cour arrière le soir",
        250,
        "Éclairage brisé, regroupements tard le soir, des parents n’envoient plus les enfants "
        "jouer dehors après le souper.",
        ("SPVM — Poste de quartier 27", "OMHM", "Arrondissement d'Ahuntsic-Cartierville",
         COMMITTEE),
        ((220, S.MOBILISING, "Marche exploratoire avec les résidentes et le poste de quartier."),),
        ((200, "SPVM — Poste de quartier 27", "Patrouilles à pied en soirée, deux fois par "
          "semaine, pendant l’été."),
         (160, "OMHM", "Remplacement de quatre lampadaires de la cour."),
         (90, "Arrondissement d'Ahuntsic-Cartierville", "Étude d’un sentier éclairé vers le "
          "parc, réponse attendue à l’automne.")),
        households=11, linked=(3, 2, 5),
    ),
    IssueSpec(
        "André-Grasset", Category.UPKEEP, "Infiltrations d’eau au sous-sol", 190,
        "Les caves et la buanderie sont inondées à chaque grosse pluie; des effets personnels "
        "ont été perdus.",
        ("OMHM",),
        ((40, S.DROPPED, "Travaux majeurs inscrits au plan de l’OMHM : le dossier se poursuit "
          "avec le comité."),),
        ((170, "OMHM", "Pompe remplacée; travaux de drainage au plan triennal."),),
        households=6, linked=(1, 0, 2),
    ),
    IssueSpec(
        "Meunier-Tolhurst", Category.COHABITATION, "Bruit et cohabitation au 3e étage", 210,
        "Des conflits de voisinage autour du bruit la nuit; deux familles parlent de "
        "déménager. Médiation souhaitée plutôt que des plaintes.",
        ("Solidarité Ahuntsic", COMMITTEE, "OMHM"),
        ((180, S.MOBILISING, "Rencontre de voisinage animée avec Solidarité Ahuntsic."),),
        ((150, "Solidarité Ahuntsic", "Deux séances de médiation entre voisins, avec "
          "interprète."),
         (100, "OMHM", "Rappel du règlement d’immeuble à tous les ménages de l’étage.")),
        households=7, linked=(4, 2, 3),
    ),
    IssueSpec(
        "Meunier-Tolhurst", Category.VERMIN, "Coquerelles dans les cuisines", 95,
        "Des coquerelles dans plusieurs cuisines du bâtiment B; les familles traitent chacune "
        "de leur côté, sans effet.",
        ("OMHM", "CLSC d'Ahuntsic"),
        answers=((70, "OMHM", "Traitement coordonné de tout le bâtiment B planifié."),),
        households=10, linked=(2, 1, 2),
    ),
    IssueSpec(
        "Meunier-Tolhurst", Category.OTHER, "Aire de jeux fermée depuis le printemps", 50,
        "Les modules de jeux sont clôturés depuis une inspection; les enfants jouent dans le "
        "stationnement.",
        ("Arrondissement d'Ahuntsic-Cartierville", "OMHM", COMMITTEE),
        households=5, linked=(0, 1, 2),
    ),
)
# fmt: on


def _author(site: Site) -> User | None:
    intervenant = site.staff.filter(role=Role.INTERVENANT).order_by("username").first()
    return intervenant or User.objects.filter(role=Role.COORDINATION).order_by("pk").first()


def _interventions(
    rng: random.Random, site: Site, first: date, last: date, counts: tuple[int, int, int]
) -> list[int]:
    """Some demo interventions of the site in the issue's span, at each level."""
    chosen: list[int] = []
    for level, count in zip(Level.values, counts, strict=True):
        if not count:
            continue
        pks = list(
            Intervention.objects.filter(site=site, level=level, date__range=(first, last))
            .order_by("pk")
            .values_list("pk", flat=True)[:400]
        )
        chosen += rng.sample(pks, min(count, len(pks)))
    return chosen


def seed_collective(*, seed: int = 2018) -> int:
    """Create the demo issues of each demo site that holds none yet; returns how many."""
    today = timezone.localdate()
    sites = {site.name: site for site in Site.objects.filter(name__in={s.site for s in ISSUES})}
    filled = {name for name, site in sites.items() if not site.collective_issues.exists()}
    wanted = {committee_name(name) for name in sites}
    for spec in ISSUES:
        wanted |= set(spec.partners) | {answer[1] for answer in spec.answers}
    organisations = {org.name: org for org in Organisation.objects.filter(name__in=wanted)}
    issues, plans = [], []
    for number, spec in enumerate(ISSUES):
        site = sites.get(spec.site)
        author = _author(site) if site is not None else None
        if site is None or author is None or spec.site not in filled:
            continue
        rng = random.Random(f"{seed}:collective:{number}")  # noqa: S311 - invented data
        opened = today - timedelta(days=spec.opened)
        last = spec.steps[-1] if spec.steps else None
        status = last[1] if last else S.OPEN
        changed = today - timedelta(days=last[0]) if last else opened
        issue = CollectiveIssue(
            site=site,
            title=spec.title,
            category=spec.category,
            opened_on=opened,
            status=status,
            status_changed_on=changed,
            description=spec.description,
            created_by=author,
        )
        issues.append(issue)
        plans.append((spec, site, author, rng, opened))
    CollectiveIssue.objects.bulk_create(issues)
    households_rows, intervention_rows, partner_rows, steps, responses = [], [], [], [], []
    Households = CollectiveIssue.households.through
    Interventions = CollectiveIssue.interventions.through
    Partners = CollectiveIssue.partners.through
    for issue, (spec, site, author, rng, opened) in zip(issues, plans, strict=True):
        living = list(
            Household.objects.filter(site=site).active().order_by("pk").values_list("pk", flat=True)
        )
        for pk in rng.sample(living, min(spec.households, len(living))):
            households_rows.append(Households(collectiveissue=issue, household_id=pk))
        end = issue.status_changed_on if not issue.is_ongoing else today
        for pk in _interventions(rng, site, opened, end or today, spec.linked):
            intervention_rows.append(Interventions(collectiveissue=issue, intervention_id=pk))
        names = [committee_name(site.name) if name == COMMITTEE else name for name in spec.partners]
        for name in dict.fromkeys(names + [answer[1] for answer in spec.answers]):
            if name in organisations:
                partner_rows.append(
                    Partners(collectiveissue=issue, organisation=organisations[name])
                )
        steps.append(IssueStatusChange(issue=issue, status=S.OPEN, changed_on=opened, by=author))
        for days, status, note in spec.steps:
            steps.append(
                IssueStatusChange(
                    issue=issue,
                    status=status,
                    changed_on=today - timedelta(days=days),
                    note=note,
                    by=author,
                )
            )
        for days, name, answer in spec.answers:
            if name in organisations:
                responses.append(
                    IssueResponse(
                        issue=issue,
                        organisation=organisations[name],
                        received_on=today - timedelta(days=days),
                        answer=answer,
                        recorded_by=author,
                    )
                )
    Households.objects.bulk_create(households_rows)
    Interventions.objects.bulk_create(intervention_rows)
    Partners.objects.bulk_create(partner_rows)
    IssueStatusChange.objects.bulk_create(steps)
    IssueResponse.objects.bulk_create(responses)
    return len(issues)
