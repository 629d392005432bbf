"""The demo accounts: one per role, all with the password published in the README; and the
rest of the demo team (about twelve staff, as planned), who do not log in."""

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
    hours_per_week: float | None = None  # planned hours (support.WorkPlan); None: no plan


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("intervenant.ss", Role.INTERVENANT, "Saint-Sulpice", "Mélanie", "Gagnon", 35),
    DemoAccount("intervenant.ag", Role.INTERVENANT, "André-Grasset", "Karim", "Benali", 35),
    DemoAccount("intervenant.mt", Role.INTERVENANT, "Meunier-Tolhurst", "Sophie", "Lavoie", 28),
    DemoAccount("coordination", Role.COORDINATION, "", "Nadège", "Pierre-Louis", 35),
    DemoAccount("direction", Role.DIRECTION, "", "François", "Bélanger", 35),
    DemoAccount("admin", Role.ADMIN, "", "Julie", "Tremblay"),
    # The research team of the developmental evaluation: figures, journal, pseudonymised data.
    DemoAccount("recherche", Role.RESEARCH, "", "Isabelle", "Côté"),
)


@dataclass(frozen=True)
class TeamMember:
    """A colleague of the demo team without a login (an unusable password): they log work,
    have planned hours and clinical supervision, but nobody signs in as them."""

    username: str
    sites: tuple[str, ...]
    first_name: str
    last_name: str
    hours_per_week: float


SS, AG, MT = "Saint-Sulpice", "André-Grasset", "Meunier-Tolhurst"
# Full and part time, some on two sites: with the demo accounts, fourteen staff (the planning
# estimate is 10 to 15), eleven of them intervenants.
DEMO_TEAM: tuple[TeamMember, ...] = (
    TeamMember("jp.ouellet", (SS,), "Jean-Philippe", "Ouellet", 35),
    TeamMember("amina.diallo", (SS, MT), "Amina", "Diallo", 21),
    TeamMember("marie-eve.cote", (AG,), "Marie-Ève", "Côté", 35),
    TeamMember("luis.hernandez", (AG, SS), "Luis", "Hernández", 28),
    TeamMember("catherine.nguyen", (MT,), "Catherine", "Nguyen", 35),
    TeamMember("samuel.joseph", (MT,), "Samuel", "Joseph", 17.5),
    TeamMember("olivier.roy", (SS,), "Olivier", "Tremblay-Roy", 35),
    TeamMember("fatima.bennani", (MT, AG), "Fatima Zahra", "Bennani", 35),
)


def staff_usernames() -> list[str]:
    """Everyone of the demo team who does the field work (every account but the admin's and
    the research team's)."""
    return [a.username for a in DEMO_ACCOUNTS if a.role not in {Role.ADMIN, Role.RESEARCH}] + [
        m.username for m in DEMO_TEAM
    ]
