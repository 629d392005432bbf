"""Invented content of the demo's team meetings: titles, what was said, decisions, actions."""

CASE_TITLES = (
    "Famille en retard de loyer",
    "Jeune qui décroche de l’école",
    "Aînée isolée depuis le départ de sa voisine",
    "Conflit de voisinage au 3e étage",
    "Mère monoparentale épuisée",
    "Nouvelle famille arrivée cet automne",
    "Situation d’insalubrité signalée",
    "Adolescent souvent seul le soir",
)
CASE_SAID = (
    "La famille a deux mois de retard; le père a perdu son emploi au printemps. Elle accepte "
    "d’être accompagnée au bureau de l’OMHM, mais craint d’être jugée.",
    "Le jeune ne va plus à l’école depuis trois semaines; il passe ses journées au parc. La "
    "mère ne sait plus comment l’aborder et demande de l’aide.",
    "Madame sort peu depuis l’hiver; elle dit ne plus connaître personne dans l’immeuble. Elle "
    "a aimé le café-rencontre, mais n’ose pas y revenir seule.",
    "Les plaintes de bruit reviennent; les deux familles ne se parlent plus. Chacune dit vouloir "
    "la paix et accepterait une médiation si elle est neutre.",
    "La mère cumule deux emplois à temps partiel; l’aînée garde les plus jeunes. Elle parle de "
    "fatigue et d’un besoin de répit.",
    "La famille vient d’arriver au pays; elle cherche une garderie et des cours de français. "
    "Les enfants ont déjà participé à l’aide aux devoirs.",
    "Moisissures dans la salle de bain depuis des mois; deux demandes à l’OMHM sans suite. Un "
    "enfant fait de l’asthme.",
    "Le jeune est souvent seul jusqu’à tard; il vient au local presque tous les soirs et parle "
    "peu de la maison.",
)
CASE_DECISIONS = (
    "Proposer un accompagnement au bureau de l’OMHM; revoir la situation dans un mois.",
    "Rencontrer la travailleuse sociale de l’école avec l’accord de la mère.",
    "L’inviter personnellement au prochain café-rencontre et passer la chercher.",
    "Proposer une médiation avec le service de médiation citoyenne du quartier.",
    "Chercher une place de répit; en parler au CLSC avec son accord.",
    "Orienter vers le carrefour d’accueil pour la francisation et la garderie.",
    "Faire un suivi écrit avec l’OMHM et offrir d’accompagner la famille.",
    "Garder le lien au local; en reparler à la prochaine réunion.",
)
CASE_ACTIONS = (
    "Appeler la famille pour fixer l’accompagnement",
    "Prendre rendez-vous avec l’école",
    "Passer voir Madame avant le café-rencontre",
    "Joindre le service de médiation",
    "Appeler le CLSC pour une place de répit",
    "Envoyer la référence au carrefour d’accueil",
    "Écrire à l’OMHM au sujet des moisissures",
    "Faire le point avec le jeune au local",
)
OTHER_ITEMS = {
    "approaches": (
        (
            "L’approche de milieu en hiver",
            "Moins de monde dehors : on essaie le porte-à-porte avec une invitation concrète.",
            "Chacun fait deux tournées de porte-à-porte par mois.",
            "Préparer les cartons d’invitation",
        ),
        (
            "Accueillir une personne en colère",
            "Échange sur ce qui a aidé : écouter d’abord, reformuler, ne pas promettre.",
            "Partager une fiche aide-mémoire.",
            "Rédiger la fiche aide-mémoire",
        ),
        (
            "Travailler avec les jeunes du parc",
            "Les jeunes viennent plus quand on leur propose une activité qu’ils ont choisie.",
            "Consulter les jeunes sur la programmation du printemps.",
            "Organiser la consultation des jeunes",
        ),
    ),
    "training": (
        (
            "Formation : premiers secours psychologiques",
            "Retour sur la formation d’une journée; outils simples pour les situations de crise.",
            "Inscrire les nouveaux à la prochaine session.",
            "Inscrire les nouveaux intervenants",
        ),
        (
            "Formation : la Loi 25 au quotidien",
            "Ce qu’on note, ce qu’on ne note pas; le consentement avant toute référence.",
            "Relire les notes restreintes de l’année.",
            "Envoyer le résumé de la formation à l’équipe",
        ),
    ),
    "organisation": (
        (
            "Horaire des fêtes",
            "Qui assure les présences au local entre Noël et le jour de l’An.",
            "Le local reste ouvert trois après-midis.",
            "Afficher l’horaire des fêtes",
        ),
        (
            "Préparation de la fête de quartier",
            "Répartition des tâches entre les trois milieux et les partenaires.",
            "Chaque milieu tient un kiosque.",
            "Confirmer les kiosques avec les partenaires",
        ),
        (
            "Bilan du mois",
            "Tour de table : ce qui a bien été, ce qui a été difficile.",
            "",
            "",
        ),
    ),
}
