"""The demo's referrals: how many, which themes go to which partners, the paths and delays of
their workflow, and their words. Data only; demo.referrals builds from it."""

from demo.catalogues.partners import SCHOOL
from partners.models import Status

REFERRALS_PER_UNIT = 500 / 362  # about 500 a year on the three EMA sites
INCOMING = 0.15
MINOR_WEIGHT = 0.35  # referrals of a child, against one of an adult of the same household
HOUSEHOLD_ONLY = 0.35  # of household matters (food, housing, budget) for an adult
ACCOMPANIED = 0.2
LINKED = 0.33  # referrals tied to earlier interventions of the household
EXCEPTION = 0.03  # outgoing referrals sent without consent, on an exception
OVERDUE = 0.15  # open referrals placed past their expected delay
OVERDUE_BY = 45  # at most, in days
COORDINATION_SHARE = 0.15

# fmt: off
# theme: (weight, youngest, oldest) of the residents referred on it
THEMES: dict[str, tuple[int, int, int]] = {
    "Alimentation": (18, 18, 120), "Logement": (15, 18, 120), "Santé": (8, 0, 120),
    "Santé mentale": (8, 12, 120), "Scolarité": (14, 5, 16),
    "Famille et parentalité": (7, 0, 120), "Emploi": (7, 16, 64), "Budget": (6, 18, 120),
    "Immigration et francisation": (5, 18, 120), "Loisirs": (8, 5, 25),
    "Sécurité et violence": (3, 0, 120), "Cohabitation": (2, 18, 120),
}
HOUSEHOLD_THEMES = ("Alimentation", "Logement", "Budget", "Cohabitation")
THEME_PARTNERS: dict[str, tuple[tuple[str, int], ...]] = {
    "Alimentation": (("Entraide alimentaire Ahuntsic", 1),),
    "Logement": (("OMHM", 1),),
    "Santé": (("CLSC d'Ahuntsic", 1),),
    "Santé mentale": (("CLSC d'Ahuntsic", 3), ("RAP Jeunesse", 1)),
    "Scolarité": ((SCHOOL, 1),),
    "Famille et parentalité": (("CLSC d'Ahuntsic", 2), ("Solidarité Ahuntsic", 1)),
    "Emploi": (("Centre d'emploi Ahuntsic-Nord", 4), ("Maison des jeunes", 1),
               ("RAP Jeunesse", 1)),
    "Budget": (("Service budgétaire populaire du Nord", 3), ("Entraide alimentaire Ahuntsic", 1),
               ("Arrondissement d'Ahuntsic-Cartierville", 1)),
    "Immigration et francisation": (("Accueil nouveaux arrivants Ahuntsic", 1),),
    "Loisirs": (("Arrondissement d'Ahuntsic-Cartierville", 2), ("Maison des jeunes", 2),
                ("RAP Jeunesse", 1)),
    "Sécurité et violence": (("CLSC d'Ahuntsic", 2), ("SPVM — Poste de quartier 27", 1)),
    "Cohabitation": (("OMHM", 2), ("SPVM — Poste de quartier 27", 1)),
}

FINALS: dict[str, int] = {
    Status.COMPLETED: 45, Status.IN_PROGRESS: 10, Status.ACCEPTED: 8, Status.SENT: 12,
    Status.DRAFT: 5, Status.REFUSED: 7, Status.NO_FOLLOW_UP: 8, Status.CANCELLED: 5,
}
_D, _S, _A, _P = Status.DRAFT, Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS
# final status: the paths that end there, with their weights
PATHS: dict[str, tuple[tuple[int, tuple[str, ...]], ...]] = {
    Status.DRAFT: ((1, (_D,)),),
    Status.SENT: ((1, (_D, _S)),),
    Status.ACCEPTED: ((1, (_D, _S, _A)),),
    Status.IN_PROGRESS: ((1, (_D, _S, _A, _P)),),
    Status.COMPLETED: ((6, (_D, _S, _A, _P, Status.COMPLETED)),
                       (4, (_D, _S, _A, Status.COMPLETED))),
    Status.REFUSED: ((1, (_D, _S, Status.REFUSED)),),
    Status.NO_FOLLOW_UP: ((2, (_D, _S, Status.NO_FOLLOW_UP)),
                          (1, (_D, _S, _A, Status.NO_FOLLOW_UP)),
                          (1, (_D, _S, _A, _P, Status.NO_FOLLOW_UP))),
    Status.CANCELLED: ((2, (_D, Status.CANCELLED)), (1, (_D, _S, Status.CANCELLED)),
                       (1, (_D, _S, _A, Status.CANCELLED))),
}
# status reached: (fewest, most, most likely) working days after the previous step
DELAYS: dict[str, tuple[int, int, int]] = {
    Status.SENT: (0, 2, 0), Status.ACCEPTED: (1, 11, 3), Status.REFUSED: (1, 11, 4),
    Status.IN_PROGRESS: (1, 7, 2), Status.COMPLETED: (4, 43, 12),
    Status.NO_FOLLOW_UP: (10, 30, 15), Status.CANCELLED: (1, 15, 3),
}
OUTCOMES = {"met": 70, "partly_met": 20, "not_met": 10}
URGENCIES = {"routine": 80, "priority": 15, "urgent": 5}

REASONS: dict[str, tuple[str, ...]] = {
    "Logement": ("Demande de transfert vers un logement adapté à la taille du ménage.",
                 "Problème d'entretien signalé plusieurs fois; besoin d'un suivi."),
    "Alimentation": ("Besoin d'aide alimentaire ponctuelle en attendant le prochain versement.",
                     "Famille intéressée par les paniers hebdomadaires."),
    "Scolarité": ("Difficultés scolaires signalées par le parent; rencontre souhaitée avec "
                  "l'école.", "Absences répétées; la famille souhaite un plan de retour."),
    "Emploi": ("Recherche d'emploi; aide souhaitée pour le curriculum vitæ et les entrevues.",
               "Intérêt pour une formation ou un retour aux études."),
    "Santé": ("Besoin d'un suivi médical; la personne n'a pas de médecin de famille.",
              "Questions sur la vaccination et le suivi des enfants."),
    "Santé mentale": ("La personne souhaite parler à un professionnel de son anxiété.",
                      "Période difficile; la personne accepte un lien avec un service de suivi."),
    "Famille et parentalité": ("Parent qui souhaite du soutien pour la routine des enfants.",
                               "Jeune famille intéressée par les activités parents-enfants."),
    "Sécurité et violence": ("Inquiétude pour la sécurité de la personne; lien avec la "
                             "ressource appropriée.", "Conflit récurrent; appui externe souhaité."),
    "Immigration et francisation": ("Arrivée récente; information sur les cours de francisation.",
                                    "Aide demandée pour des démarches et des formulaires."),
    "Loisirs": ("Inscription souhaitée à une activité de loisirs à coût réduit.",
                "Jeune à la recherche d'activités après l'école."),
    "Budget": ("Difficulté à boucler le budget; rencontre souhaitée avec un conseiller.",
               "Dettes accumulées; la personne veut connaître ses options."),
    "Cohabitation": ("Conflit de voisinage; médiation souhaitée par les deux parties.",
                     "Bruit et usage des espaces communs; médiation proposée."),
}
NOTES: dict[str, tuple[str, ...]] = {
    Status.SENT: ("Référence transmise par courriel.", "Appel au partenaire; formulaire envoyé.",
                  "Référence faite en personne pendant l'accompagnement."),
    Status.ACCEPTED: ("Le partenaire confirme la prise en charge.", "Premier rendez-vous fixé."),
    Status.IN_PROGRESS: ("Suivi commencé avec le partenaire.",),
    Status.COMPLETED: ("Besoin répondu; retour fait avec la personne.", "Suivi terminé."),
    Status.REFUSED: ("Hors des critères du service.", "Liste d'attente complète cette session."),
    Status.NO_FOLLOW_UP: ("Pas de nouvelles du partenaire malgré deux relances.",
                          "La personne ne s'est pas présentée au rendez-vous."),
    Status.CANCELLED: ("La personne ne souhaite plus de référence.",
                       "La situation s'est réglée autrement."),
}
SHARED = ("Nom, téléphone et motif de la référence.", "Nom, âge et besoin exprimé; rien d'autre.",
          "Coordonnées du parent et motif de la demande.")
JUSTIFICATIONS = {
    "urgency": ("Situation urgente; la personne ne pouvait pas consentir sur le moment. "
                "Consentement à obtenir au prochain contact.",
                "Urgence de santé; transmission limitée au strict nécessaire."),
    "safety": ("Risque pour la sécurité de la personne; le partenaire devait agir le jour même.",),
}
# fmt: on
