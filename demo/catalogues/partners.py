"""The demo's partner directory: the organisations the seed names and the usual services of
the neighbourhood, the sites' tenant committees, and which partners take part in collective
work. Data only; demo.network builds from it. Names, phones (514 555-02xx) and addresses of
people are invented."""

from dataclasses import dataclass

from partners.models import Agreement, Organisation

ALL = ("*",)  # serves every demo site
SCHOOL = "<school>"  # in THEME_PARTNERS (catalogues.referrals): the school the resident attends
COMMITTEE = "<committee>"  # in PRESENCE: the site's tenant committee
BATCH = 1000
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
# fmt: on
