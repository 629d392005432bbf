"""The households' catalogue: where names and languages come from, the partners a consent to
share names, and the schools. Data only; demo.households builds from it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Community:
    """Where a household's names and languages come from: a Faker locale or short lists."""

    languages: str
    weight: int
    locale: str = ""
    women: tuple[str, ...] = ()
    men: tuple[str, ...] = ()
    surnames: tuple[str, ...] = ()


# fmt: off
COMMUNITIES: tuple[Community, ...] = (
    Community("français", 34, "fr_CA"),
    Community(
        "créole haïtien, français", 20,
        women=("Widlyne", "Mirlande", "Fabiola", "Roseline", "Nadège", "Darlène", "Stéphanie"),
        men=("Wilson", "Jocelyn", "Frantz", "Ricardo", "Stanley", "Jean-Robert", "Kervens"),
        surnames=("Jean-Baptiste", "Pierre", "Joseph", "Saint-Fleur", "Charles", "Augustin",
                  "Dorvil", "Désir", "Jean-Louis", "Célestin", "Étienne", "Noël", "Alexis"),
    ),
    Community(
        "arabe, français", 20,
        women=("Fatima", "Amina", "Yasmine", "Nour", "Salma", "Khadija", "Leïla", "Meriem", "Ines"),
        men=("Mohamed", "Ahmed", "Youssef", "Karim", "Omar", "Amine", "Rachid", "Bilal", "Adam"),
        surnames=("Benali", "Haddad", "Belkacem", "Bouazza", "El Amrani", "Mansouri", "Cherif",
                  "Saïdi", "Khalil", "Touati", "Rahmani", "Aït Ahmed", "Zerrouki", "Hamdi"),
    ),
    Community("espagnol, français", 12, "es_MX"),
    Community("vietnamien, français", 6, "vi_VN"),
    Community(
        "tamoul, anglais", 5,
        women=("Priya", "Kavitha", "Lakshmi", "Nithya", "Abinaya", "Tharani", "Shalini"),
        men=("Arun", "Karthik", "Suresh", "Vijay", "Sivakumar", "Ramesh", "Kavin"),
        surnames=("Sivarajah", "Thambirajah", "Kanagaratnam", "Selvarajah", "Nadarajah",
                  "Balasingham", "Rajendran"),
    ),
    Community("anglais, français", 3, "en_CA"),
)
# fmt: on
PARTNERS = ("CLSC d'Ahuntsic", "RAP Jeunesse", "Solidarité Ahuntsic", "OMHM", "Maison des jeunes")
PRIMARY_SCHOOLS = ("École Ahuntsic", "École Saint-Isaac-Jogues", "École Louisbourg")
SECONDARY_SCHOOLS = ("École secondaire Sophie-Barat", "École secondaire La Dauversière")
