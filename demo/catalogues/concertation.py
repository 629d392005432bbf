"""The demo's concertation tables: who sits there, what they decide and what they promise.
Data only; demo.concertation builds from it. Invented content, in the neighbourhood's words."""

from dataclasses import dataclass

from demo.catalogues.partners import COMMITTEE, SCHOOL


@dataclass(frozen=True)
class TableSpec:
    name: str
    sites: tuple[str, ...]  # the sites concerned; () for all of EMA
    regulars: tuple[str, ...]  # partners always there (COMMITTEE: each site's; SCHOOL: one)
    occasional: tuple[str, ...]
    decisions: tuple[str, ...]
    commitments: tuple[str, ...]
    months: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 9, 10, 11, 12)  # no meeting in summer


# fmt: off
TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "Table de concertation jeunesse d'Ahuntsic", (),
        ("Solidarité Ahuntsic", "RAP Jeunesse", "Maison des jeunes"),
        ("CLSC d'Ahuntsic", "SPVM — Poste de quartier 27",
         "Arrondissement d'Ahuntsic-Cartierville"),
        ("Calendrier commun des activités estivales pour les 12-17 ans.",
         "Mise sur pied d'un comité sur la présence des jeunes dans les parcs le soir.",
         "Bilan de la semaine de relâche : fréquentation en hausse dans les trois HLM.",
         "Demande conjointe de financement pour le travail de rue (Fonds jeunesse).",
         "Partage des listes d'attente des camps de jour entre organismes.",
         "Accord sur un protocole de référence vers le travail de rue."),
        ("Envoyer le calendrier des activités de l'été aux intervenants de milieu.",
         "Présenter le travail de rue aux familles d'André-Grasset.",
         "Réserver le gymnase pour les soirées sportives du vendredi.",
         "Rédiger la section jeunesse de la demande de financement.",
         "Partager les données de fréquentation du dernier trimestre.",
         "Organiser une rencontre avec les parents sur l'usage des écrans.",
         "Animer un atelier de prévention au local de Saint-Sulpice."),
    ),
    TableSpec(
        "Comité habitation de Solidarité Ahuntsic", (),
        ("OMHM", "Solidarité Ahuntsic", COMMITTEE),
        ("Service budgétaire populaire du Nord", "Arrondissement d'Ahuntsic-Cartierville"),
        ("Priorité aux demandes d'entretien en attente depuis plus de six mois.",
         "Campagne d'information sur le renouvellement des baux.",
         "Suivi des travaux de réfection des balcons à Meunier-Tolhurst.",
         "Soutien des comités de locataires à la préparation de leur assemblée annuelle.",
         "Tournée des logements touchés par les punaises de lit."),
        ("Transmettre la liste des requêtes d'entretien en souffrance.",
         "Tenir une séance d'information sur le bail au local communautaire.",
         "Faire le point sur l'échéancier des travaux de balcons.",
         "Réviser le dépliant sur les transferts de logement.",
         "Inviter un conseiller budgétaire à l'assemblée des locataires.",
         "Fournir une salle pour l'assemblée annuelle du comité."),
    ),
    TableSpec(
        "Table école-famille-communauté", ("Saint-Sulpice", "André-Grasset"),
        (SCHOOL, "CLSC d'Ahuntsic"),
        (SCHOOL, "Accueil nouveaux arrivants Ahuntsic", "Maison des jeunes"),
        ("Aide aux devoirs offerte au local communautaire deux soirs par semaine.",
         "Ateliers d'accueil pour les familles nouvellement arrivées à la rentrée.",
         "Repérage conjoint des élèves absents de façon prolongée.",
         "Rencontre de parents traduite en arabe et en espagnol."),
        ("Trouver deux bénévoles pour l'aide aux devoirs.",
         "Traduire l'invitation à la rencontre de parents.",
         "Présenter l'EMA au personnel de l'école à la journée pédagogique.",
         "Partager le calendrier scolaire avec les intervenants.",
         "Organiser la visite de l'infirmière scolaire au local."),
    ),
)
# fmt: on
