"""The demo's catalogue: the kinds of everyday work, with their mix, places, themes and
people, and the group activities each site runs. Data only; demo.activity builds from it."""

from dataclasses import dataclass
from datetime import date, time

from interventions.models import Level, Participation

WEEKDAY_PER_UNIT = 0.226  # entries per housing unit on a working day: about 27 on 120 units
BATCH = 2000
ORGANISER = Participation.Role.ORGANISER
VOLUNTEER = Participation.Role.VOLUNTEER
PARTICIPANT = Participation.Role.PARTICIPANT
OUTSIDE, ROOM = "Cour et espaces extérieurs", "Local communautaire"
FAR = date.max


@dataclass(frozen=True)
class Kind:
    """How one type of intervention is drawn. `named` lists (pool, role, fewest, most) of the
    residents it names; `heads` the (fewest, most) counted per age group, youngest first."""

    type: str
    level: str
    weight: float
    places: dict[str, int]
    minutes: tuple[int, int]
    hours: tuple[int, int]  # daytime start hours; evenings come from `evening`
    themes: tuple[str, ...]
    summaries: tuple[str, ...]
    named: tuple[tuple[str, str, int, int], ...] = ()
    heads: tuple[tuple[int, int], ...] = ()
    evening: float = 0.1
    summer: float = 1  # weight multiplier in June, July and August
    weekend: bool = False


ONE = (("one", PARTICIPANT, 1, 1),)
PERSONAL = ("Logement", "Santé", "Santé mentale", "Famille et parentalité", "Budget")
# fmt: off
KINDS: tuple[Kind, ...] = (
    Kind("Présence informelle", Level.COLLECTIVE, 35, {OUTSIDE: 1, ROOM: 1}, (20, 150), (10, 17),
         ("Loisirs", "Cohabitation"),
         ("Présence dans la cour après l'école; plusieurs jeunes sont venus jaser.",
          "Local ouvert en fin de journée; jeux de société avec les enfants.",
          "Tournée des espaces communs; échanges brefs avec des parents.",
          "Partie de soccer improvisée avec les jeunes.",
          "Discussions informelles avec des aînés sur la vie dans l'immeuble.",
          "Présence au local; quelques familles sont passées prendre des nouvelles."),
         heads=((0, 4), (2, 14), (1, 10), (0, 4), (0, 6), (0, 2)), evening=0.25, weekend=True),
    Kind("Accueil et écoute", Level.INDIVIDUAL, 18,
         {"Bureau": 4, "Téléphone / texto": 3, "Domicile": 2}, (15, 60), (9, 16),
         (*PERSONAL, "Cohabitation", "Immigration et francisation"),
         ("Écoute et soutien; la personne reviendra au besoin.",
          "Questions sur une lettre de l'OMHM; explications données.",
          "Échange sur la situation familiale; pistes de soutien explorées.",
          "Appel de suivi; la situation s'est stabilisée.",
          "Demande d'information sur les ressources du quartier."), ONE),
    Kind("Accompagnement", Level.INDIVIDUAL, 10,
         {"Chez un partenaire": 5, "École": 3, "Bureau": 1}, (45, 180), (9, 14),
         ("Santé", "Scolarité", "Logement", "Emploi", "Immigration et francisation"),
         ("Accompagnement à un rendez-vous au CLSC.",
          "Accompagnement à une rencontre avec l'école.",
          "Accompagnement au bureau de l'OMHM pour une demande de transfert.",
          "Accompagnement à la banque alimentaire; présentation de l'équipe.",
          "Accompagnement à un organisme d'aide à l'emploi."), ONE, evening=0.02),
    Kind("Soutien individuel", Level.INDIVIDUAL, 17,
         {"Bureau": 4, "Domicile": 3, "Téléphone / texto": 2, "École": 1}, (20, 90), (9, 16),
         (*PERSONAL, "Scolarité", "Emploi", "Alimentation"),
         ("Aide pour remplir le formulaire de renouvellement du bail.",
          "Soutien pour préparer un budget mensuel.",
          "Rencontre avec un jeune sur son retour à l'école.",
          "Aide à la recherche d'emploi : curriculum vitæ et lettre.",
          "Soutien à un parent pour l'inscription au camp de jour."), ONE),
    Kind("Intervention de crise", Level.INDIVIDUAL, 2,
         {"Domicile": 3, "Téléphone / texto": 2, "Bureau": 1}, (30, 120), (9, 16),
         ("Sécurité et violence", "Santé mentale", "Logement", "Famille et parentalité"),
         ("Situation de crise désamorcée; relais vers les ressources appropriées.",
          "Conflit entre voisins; médiation sur place et retour au calme.",
          "Soutien immédiat après un événement difficile; suivi prévu."), ONE,
         evening=0.2, weekend=True),
    Kind("Comité de locataires / mobilisation", Level.COLLECTIVE, 6, {ROOM: 5, OUTSIDE: 1},
         (60, 150), (10, 16), ("Logement", "Cohabitation", "Sécurité et violence"),
         ("Rencontre du comité de locataires : ordre du jour et priorités.",
          "Porte-à-porte pour inviter les locataires à l'assemblée.",
          "Préparation d'une pétition sur l'entretien des espaces communs.",
          "Assemblée des locataires sur les travaux prévus."),
         (("committee", ORGANISER, 1, 2), ("committee", PARTICIPANT, 1, 4),
          ("volunteers", VOLUNTEER, 0, 1)),
         ((0, 0), (0, 0), (0, 0), (0, 2), (2, 12), (0, 3)), evening=0.5),
    Kind("Événement communautaire", Level.COLLECTIVE, 1, {OUTSIDE: 3, ROOM: 2}, (120, 180),
         (11, 15), ("Loisirs", "Alimentation", "Cohabitation"),
         ("Fête de quartier avec jeux et repas partagé.",
          "Repas communautaire au local avec les familles.",
          "Journée de jeux et d'animation pour les familles."),
         (("committee", ORGANISER, 1, 1), ("volunteers", VOLUNTEER, 1, 3),
          ("young_volunteers", VOLUNTEER, 0, 2)),
         ((3, 15), (10, 40), (5, 20), (2, 8), (10, 35), (0, 8)), summer=3, weekend=True),
    Kind("Concertation", Level.COLLECTIVE, 4, {"Chez un partenaire": 3, ROOM: 1}, (60, 150),
         (9, 14), ("Logement", "Sécurité et violence", "Alimentation", "Scolarité"),
         ("Table de concertation jeunesse du quartier.",
          "Rencontre avec l'OMHM et le comité sur la sécurité du site.",
          "Comité de suivi avec les partenaires scolaires."),
         (("committee", PARTICIPANT, 0, 2),), ((0, 0),) * 4 + ((0, 2), (0, 0)), evening=0.05),
    Kind("Sortie", Level.GROUP, 0.4, {"Chez un partenaire": 1}, (120, 180), (9, 13),
         ("Loisirs",),
         ("Sortie au parc-nature avec un groupe de jeunes.",
          "Sortie à la bibliothèque avec des enfants du site."),
         (("youth", PARTICIPANT, 3, 8),), ((0, 0), (0, 3), (0, 3), (0, 0), (0, 1), (0, 0)),
         evening=0, summer=4),
)
RESTRICTED_NOTES = (
    "Situation familiale délicate; à reprendre en soutien clinique.",
    "Éléments confidentiels partagés par la personne; voir avec la direction au besoin.",
    "Inquiétude pour la sécurité d'un enfant; démarche discutée avec la direction.",
)
# fmt: on


@dataclass(frozen=True)
class ActivitySpec:
    """A recurring group activity: who it is for, when it meets, what a session looks like."""

    name: str
    type: str
    ages: tuple[int, int]
    weekdays: tuple[int, ...]  # 0 is Monday; a site's activity meets on one of them
    start: time
    minutes: int
    theme: str
    headcount: str  # the age group of those who come along unnamed
    summer: bool  # meets in July and August too
    summaries: tuple[str, ...]


ACTIVITIES: tuple[ActivitySpec, ...] = (
    ActivitySpec("Aide aux devoirs", "Aide aux devoirs", (6, 12), (1, 3), time(15, 30), 90,
                 "Scolarité", "count_6_12", False,
                 ("Devoirs et lecture en petits groupes.",
                  "Aide aux devoirs; préparation d'un examen de mathématiques.")),
    ActivitySpec("Club des ados", "Activité de groupe", (12, 17), (4,), time(18, 30), 120,
                 "Loisirs", "count_13_17", True,
                 ("Soirée jeux et discussion sur les projets du groupe.",
                  "Club des ados : planification d'une sortie.")),
    ActivitySpec("Café-rencontre des parents", "Activité de groupe", (20, 64), (2,),
                 time(9, 30), 90, "Famille et parentalité", "count_0_5", False,
                 ("Café-rencontre : échanges sur la routine du matin.",
                  "Café-rencontre avec une invitée du CLSC.")),
    ActivitySpec("Cuisine collective", "Activité de groupe", (18, 85), (3, 4), time(13, 30),
                 180, "Alimentation", "count_26_64", True,
                 ("Cuisine collective : quatre recettes pour la semaine.",
                  "Cuisine collective et partage des portions.")),
)  # fmt: skip
WEEKDAYS = ("Lundis", "Mardis", "Mercredis", "Jeudis", "Vendredis")
