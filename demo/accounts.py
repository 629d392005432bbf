"""The demo accounts: one per role, all with the password published in the README."""

from dataclasses import dataclass

from ema.accounts.models import Role

DEMO_PASSWORD = "ema-demo-2026"  # noqa: S105 - the documented password of the demo accounts


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    site: str  # the intervenant's site; empty for roles that see every site
    first_name: str
    last_name: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("intervenant.ss", Role.INTERVENANT, "Saint-Sulpice", "Mélanie", "Gagnon"),
    DemoAccount("intervenant.ag", Role.INTERVENANT, "André-Grasset", "Karim", "Benali"),
    DemoAccount("intervenant.mt", Role.INTERVENANT, "Meunier-Tolhurst", "Sophie", "Lavoie"),
    DemoAccount("coordination", Role.COORDINATION, "", "Nadège", "Pierre-Louis"),
    DemoAccount("direction", Role.DIRECTION, "", "François", "Bélanger"),
    DemoAccount("admin", Role.ADMIN, "", "Julie", "Tremblay"),
    # The research team of the developmental evaluation: figures, journal, pseudonymised data.
    DemoAccount("recherche", Role.RESEARCH, "", "Isabelle", "Côté"),
)
