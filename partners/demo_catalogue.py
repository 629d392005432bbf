"""The demo's partner network: the organisations the seed names and the usual services of the
neighbourhood, which themes go where, and the words of referrals. Data only; partners.demo
builds from it. Names, phones (514 555-02xx) and addresses of people are invented."""

from dataclasses import dataclass

from partners.models import Agreement, Organisation, Status

ALL = ("*",)  # serves every demo site
SCHOOL = "<school>"  # in THEME_PARTNERS: the school the resident attends
COMMITTEE = "<committee>"  # in PRESENCE: the site's tenant committee
BATCH = 1000
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
K = Organisation.Kind
A = Agreement.Kind


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    description: str
    eligibility: str
    age_groups: str
    how_to_refer: str
    themes: tuple[str, ...] = ()  # referrals on these themes go to this service
    languages: str = "français, anglais"


@dataclass(frozen=True)
class PartnerSpec:
    """An organisation with its services, contacts (name, role, phone) and agreements
    (kind, started days ago, ends in days or None, notes)."""

    name: str
    kind: str
    address: str
    phone: str
    sites: tuple[str, ...]
    services: tuple[ServiceSpec, ...]
    contacts: tuple[tuple[str, str, str], ...]
    agreements: tuple[tuple[str, int, int | None, str], ...] = ()
    ages: tuple[int, int] = (0, 120)  # whom it takes referrals for
    website: str = ""
    is_active: bool = True


def _school(name: str, address: str, primary: bool, contacts, agreements=()) -> PartnerSpec:
    grades, ages = ("préscolaire et primaire", "5-12") if primary else ("secondaire", "12-17")
    return PartnerSpec(
        name, K.SCHOOL, address, contacts[0][2], ALL,
        (ServiceSpec("Services aux élèves",
                     f"Direction, enseignants-ressources et services complémentaires ({grades}) : "
                     "orthopédagogie, psychoéducation, travail social.",
                     "Élèves inscrits à l'école et leurs parents", ages,
                     "Appeler la direction adjointe; avec l'accord du parent.", ("Scolarité",)),
         ServiceSpec("Service de garde et activités parascolaires" if primary else
                     "Activités parascolaires et soutien à la réussite",
                     "Accueil avant et après les cours, aide aux devoirs, activités sportives.",
                     "Élèves inscrits", ages, "Inscription au secrétariat de l'école.",
                     ("Loisirs",))),
        contacts, agreements, (5, 12) if primary else (12, 17),
    )  # fmt: skip


# fmt: off
PARTNERS: tuple[PartnerSpec, ...] = (
    PartnerSpec(
        "OMHM", K.OMHM, "415, rue Saint-Antoine Ouest, Montréal (Québec) H2Z 1H8",
        "514 555-0200", ALL,
        (ServiceSpec("Habiter la mixité",
                     "Projet de l'OMHM : intervention de milieu à mi-temps à André-Grasset, "
                     "vie collective et cohabitation entre locataires de toutes origines.",
                     "Locataires des HLM du projet", "Tous âges",
                     "Par l'intervenante de milieu, au local communautaire.", ("Cohabitation",)),
         ServiceSpec("Demandes des locataires et transferts",
                     "Requêtes d'entretien, demandes de transfert, renouvellement du bail.",
                     "Locataires de l'OMHM", "18 ans et plus",
                     "Formulaire de requête ou appel au centre de service; accompagnement "
                     "possible par l'EMA.", ("Logement",)),
         ServiceSpec("Développement social et communautaire",
                     "Soutien aux comités de locataires et aux projets des résidents.",
                     "Locataires et comités de locataires", "Tous âges",
                     "Écrire à la conseillère en développement communautaire.", ("Budget",))),
        (("Isabelle Fortin", "Conseillère en développement communautaire", "514 555-0201"),
         ("Marc-André Lévesque", "Chargé de projet, Habiter la mixité", "514 555-0202")),
        ((A.ROOM_LOAN, 5 * 365, None, "Prêt des locaux communautaires des trois sites."),
         (A.SERVICES, 2 * 365, 310, "Protocole de référence entre l'OMHM et l'EMA."),
         (A.TRANSFER, 8 * 365, -7 * 365,
          "Transfert de l'intervention de Habiter la mixité à l'EMA (André-Grasset).")),
        ages=(16, 120),
    ),
    PartnerSpec(
        "RAP Jeunesse", K.COMMUNITY, "10780, rue Laverdure, Montréal (Québec) H3L 2L9",
        "514 555-0210", ALL,
        (ServiceSpec("Travail de rue",
                     "Présence dans les parcs et les lieux fréquentés par les jeunes; écoute, "
                     "accompagnement, prévention.", "Jeunes de 12 à 30 ans", "13-17, 18-25",
                     "Présentation par l'intervenant·e de milieu; sans rendez-vous.",
                     ("Santé mentale", "Sécurité et violence", "Emploi")),
         ServiceSpec("Intervention de milieu jeunesse",
                     "Intervenante jeunesse à Meunier-Tolhurst : activités et suivis.",
                     "Jeunes du site", "12-17", "Au local communautaire ou par texto.",
                     ("Loisirs",))),
        (("Kevin Tremblay-Roy", "Coordonnateur", "514 555-0211"),
         ("Annie Desrosiers", "Travailleuse de rue", "514 555-0212")),
        ((A.SERVICES, 3 * 365, None, "Entente de collaboration jeunesse à Meunier-Tolhurst."),),
        ages=(12, 30),
    ),
    PartnerSpec(
        "Solidarité Ahuntsic", K.COMMUNITY, "10780, rue Laverdure, Montréal (Québec) H3L 2L9",
        "514 555-0220", ALL,
        (ServiceSpec("Table de concertation de quartier",
                     "Concertation intersectorielle d'Ahuntsic : comités sécurité alimentaire, "
                     "habitation, jeunesse.", "Organismes et citoyens du quartier", "Tous âges",
                     "Invitation aux comités par la coordination."),
         ServiceSpec("Intervention de milieu famille",
                     "Intervenante famille à Meunier-Tolhurst : soutien aux parents.",
                     "Familles du site", "0-5, 6-12", "Au local communautaire.",
                     ("Famille et parentalité",))),
        (("Louise Beauchamp", "Directrice", "514 555-0221"),),
        ((A.FUNDING, 400, 330, "Financement partagé de l'intervention famille."),),
    ),
    PartnerSpec(
        # The seed's "CjSS": the youth organisation whose mandate became the EMA's.
        "CJSS", K.COMMUNITY, "", "514 555-0230", ("Saint-Sulpice", "André-Grasset"),
        (ServiceSpec("Intervention jeunesse 6-25 ans",
                     "Ancien mandat jeunesse à Saint-Sulpice et André-Grasset, élargi en "
                     "intervention de milieu pour les familles : l'Entre-Maisons Ahuntsic.",
                     "Jeunes des deux HLM", "6-12, 13-17, 18-25", "Mandat repris par l'EMA."),),
        (("Archives du CJSS", "Secrétariat", "514 555-0230"),),
        ((A.TRANSFER, 9 * 365, -7 * 365, "Transfert du mandat jeunesse et des intervenants."),),
        is_active=False,
    ),
    PartnerSpec(
        "CLSC d'Ahuntsic", K.HEALTH, "1165, boulevard Henri-Bourassa Est, Montréal (Québec) "
        "H2C 3K2", "514 555-0240", ALL,
        (ServiceSpec("Accueil psychosocial",
                     "Évaluation et orientation rapide; suivi psychosocial court terme.",
                     "Résidents du territoire", "Tous âges",
                     "Appel à l'accueil; la personne peut se présenter accompagnée.",
                     ("Santé mentale", "Sécurité et violence")),
         ServiceSpec("Services enfance-jeunesse-famille",
                     "Périnatalité, suivi 0-5 ans, soutien aux parents, vaccination.",
                     "Familles avec enfants", "0-5, 6-12, 13-17",
                     "Formulaire de référence du CLSC, avec le consentement du parent.",
                     ("Famille et parentalité",)),
         ServiceSpec("Soins courants et santé",
                     "Soins infirmiers, prélèvements, inscription à un médecin de famille.",
                     "Résidents du territoire", "Tous âges", "Rendez-vous par téléphone.",
                     ("Santé",), "français, anglais, espagnol, arabe")),
        (("Dre Hélène Caron", "Cheffe de l'accueil psychosocial", "514 555-0241"),
         ("Patrick Nguyen", "Organisateur communautaire", "514 555-0242")),
        ((A.CLINICAL_SUPPORT, 700, 45, "Soutien clinique mensuel de l'équipe d'intervention."),
         (A.SERVICES, 4 * 365, None, "Corridor de services : accueil psychosocial.")),
    ),
    _school("École Ahuntsic", "10615, rue Saint-Hubert, Montréal (Québec) H2C 2H6", True,
            (("Chantal Ouellet", "Directrice adjointe", "514 555-0250"),),
            ((A.ROOM_LOAN, 600, None, "Gymnase prêté pour les activités du samedi."),)),
    _school("École Saint-Isaac-Jogues", "1575, rue Sauriol Est, Montréal (Québec) H2C 1X4",
            True, (("Mathieu Girard", "Directeur", "514 555-0251"),)),
    _school("École Louisbourg", "11990, rue Meunier, Montréal (Québec) H3L 2Z5", True,
            (("Nathalie Boisvert", "Technicienne en éducation spécialisée", "514 555-0252"),)),
    _school("École secondaire Sophie-Barat", "1239, boulevard Gouin Est, Montréal (Québec) "
            "H2C 1B3", False, (("Samuel Côté", "Travailleur social scolaire", "514 555-0253"),
                               ("Véronique Simard", "Directrice adjointe", "514 555-0254"))),
    _school("École secondaire La Dauversière", "2550, rue Prieur Est, Montréal (Québec) H2B 1M6",
            False, (("Élise Paquette", "Psychoéducatrice", "514 555-0255"),)),
    PartnerSpec(
        "Entraide alimentaire Ahuntsic", K.COMMUNITY,
        "10125, rue Lajeunesse, Montréal (Québec) H3L 2E3", "514 555-0260", ALL,
        (ServiceSpec("Dépannage alimentaire",
                     "Panier hebdomadaire d'aliments frais et secs.",
                     "Ménages à faible revenu d'Ahuntsic", "Tous âges",
                     "Référence écrite de l'EMA ou du CLSC; preuve d'adresse.",
                     ("Alimentation",), "français, anglais, arabe, créole haïtien"),
         ServiceSpec("Épicerie solidaire",
                     "Aliments à prix réduit et ateliers de cuisine économique.",
                     "Membres (inscription gratuite)", "18 ans et plus",
                     "Inscription sur place.", ("Budget",))),
        (("Roxanne Bélisle", "Responsable du dépannage", "514 555-0261"),),
        ((A.SERVICES, 900, None, "Réservation de paniers pour les familles référées."),),
    ),
    PartnerSpec(
        "Maison des jeunes", K.COMMUNITY, "10890, rue Saint-Charles, Montréal (Québec) H3L 2J9",
        "514 555-0270", ALL,
        (ServiceSpec("Milieu de vie 12-17 ans",
                     "Lieu de rencontre après l'école : activités, projets, discussions.",
                     "Jeunes de 12 à 17 ans", "12-17", "Sans rendez-vous; visite accompagnée.",
                     ("Loisirs",)),
         ServiceSpec("Projets jeunesse et premiers emplois",
                     "Coopérative jeunesse de services, aide au premier emploi.",
                     "Jeunes de 14 à 17 ans", "13-17", "Appeler l'animatrice.", ("Emploi",))),
        (("Jérémie Lapointe", "Coordonnateur", "514 555-0271"),),
        ((A.ROOM_LOAN, 330, 25, "Prêt du local pour le Club des ados, à renouveler."),),
        ages=(12, 17),
    ),
    PartnerSpec(
        "SPVM — Poste de quartier 27", K.PUBLIC_SAFETY,
        "555, boulevard Henri-Bourassa Est, Montréal (Québec) H3L 1C5", "514 555-0280", ALL,
        (ServiceSpec("Agents sociocommunautaires",
                     "Prévention, médiation de conflits, liens avec les résidents.",
                     "Résidents du quartier", "Tous âges",
                     "Appeler l'agent sociocommunautaire; urgence : 911.",
                     ("Sécurité et violence", "Cohabitation")),),
        (("Agente Marie-Ève Dubé", "Agente sociocommunautaire", "514 555-0281"),),
    ),
    PartnerSpec(
        "Arrondissement d'Ahuntsic-Cartierville", K.MUNICIPAL,
        "555, rue Chabanel Ouest, Montréal (Québec) H2N 2H8", "514 555-0290", ALL,
        (ServiceSpec("Camps de jour et loisirs",
                     "Programmation sportive et culturelle, camps de jour d'été.",
                     "Résidents de l'arrondissement", "5-12, 13-17",
                     "Inscription en ligne; places réservées sur référence.", ("Loisirs",)),
         ServiceSpec("Tarification sociale des loisirs",
                     "Activités à coût réduit pour les familles à faible revenu.",
                     "Familles à faible revenu", "Tous âges", "Lettre de référence de l'EMA.",
                     ("Budget",))),
        (("Stéphane Morin", "Agent de développement social", "514 555-0291"),),
        ((A.FUNDING, 200, 165, "Financement de l'intervention de milieu, exercice en cours."),
         (A.FUNDING, 565, -200, "Financement de l'exercice précédent.")),
    ),
    PartnerSpec(
        "Centre d'emploi Ahuntsic-Nord", K.COMMUNITY,
        "9600, rue Meilleur, Montréal (Québec) H2N 2E3", "514 555-0300", ALL,
        (ServiceSpec("Recherche d'emploi et retour aux études",
                     "Curriculum vitæ, préparation aux entrevues, orientation.",
                     "16 ans et plus", "18-25, 26-64", "Rendez-vous par téléphone.",
                     ("Emploi",)),),
        (("Julien Bergeron", "Conseiller en emploi", "514 555-0301"),),
        ages=(16, 70),
    ),
    PartnerSpec(
        "Accueil nouveaux arrivants Ahuntsic", K.COMMUNITY,
        "10400, avenue de l'Esplanade, Montréal (Québec) H3L 2Y2", "514 555-0310", ALL,
        (ServiceSpec("Accueil, démarches et francisation",
                     "Information sur les démarches d'immigration, inscription aux cours de "
                     "francisation.", "Personnes immigrantes", "18 ans et plus",
                     "Rendez-vous; interprète sur demande.", ("Immigration et francisation",),
                     "français, anglais, espagnol, arabe, tamoul, vietnamien"),),
        (("Amina Diallo", "Intervenante interculturelle", "514 555-0311"),),
        ages=(16, 120),
    ),
    PartnerSpec(
        "Service budgétaire populaire du Nord", K.COMMUNITY,
        "1400, rue Fleury Est, Montréal (Québec) H2C 1R7", "514 555-0320", ALL,
        (ServiceSpec("Consultation budgétaire",
                     "Rencontre individuelle, budget, dettes, droits des consommateurs.",
                     "Ménages à faible ou modeste revenu", "18 ans et plus",
                     "Appeler pour un rendez-vous.", ("Budget",)),),
        (("Gilles Thibodeau", "Conseiller budgétaire", "514 555-0321"),),
        ages=(18, 120),
    ),
)


def committee_name(site: str) -> str:
    """Comité des locataires de Saint-Sulpice, d'André-Grasset, des Habitations Sauriol."""
    for word, article in (("Habitations ", "des "), ("HLM ", "du ")):
        if site.startswith(word):
            return f"Comité des locataires {article}{site}"
    article = "d'" if site[0] in "AEÉIOU" else "de "
    return f"Comité des locataires {article}{site}"


def committee(site: str, address: str, index: int) -> PartnerSpec:
    """The tenant committee of a site; its phone is the committee's voicemail."""
    phone = f"514 555-04{index % 100:02d}"
    service = ServiceSpec(
        "Représentation des locataires",
        "Assemblées, représentation auprès de l'OMHM, fêtes et projets pour le site.",
        "Locataires du site", "18 ans et plus", "Au local communautaire ou à la boîte du comité.",
        languages="français",
    )  # fmt: skip
    return PartnerSpec(
        committee_name(site), K.TENANT_COMMITTEE, address, phone, (site,), (service,),
        (("Secrétariat du comité", "Boîte vocale du comité", phone),),
        ((A.SERVICES, 3 * 365, None, "Collaboration avec l'EMA."),), (18, 120),
    )  # fmt: skip

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

# (type, words in the summary or "", partners always there, partners sometimes there)
PRESENCE: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Comité de locataires / mobilisation", "", (COMMITTEE,), ("OMHM",)),
    ("Événement communautaire", "", (COMMITTEE,),
     ("Arrondissement d'Ahuntsic-Cartierville", "Maison des jeunes",
      "Entraide alimentaire Ahuntsic", "SPVM — Poste de quartier 27")),
    ("Concertation", "jeunesse", ("Solidarité Ahuntsic",),
     ("RAP Jeunesse", "Maison des jeunes", "CLSC d'Ahuntsic")),
    ("Concertation", "OMHM", ("OMHM", COMMITTEE), ("SPVM — Poste de quartier 27",)),
    ("Concertation", "scolaires", (SCHOOL,), (SCHOOL, "CLSC d'Ahuntsic")),
    ("Concertation", "", ("Solidarité Ahuntsic",), ("CLSC d'Ahuntsic", "OMHM")),
)

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
