"""The demo sites: the three Ahuntsic sites of the seed, and more invented ones per step of
scale."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SiteSpec:
    name: str
    street: str
    first_civic: int
    buildings: int
    units_per_building: int
    postal_code: str
    community_room: str = "Rez-de-chaussée du premier immeuble"

    @property
    def unit_count(self) -> int:
        return self.buildings * self.units_per_building

    @property
    def civics(self) -> list[int]:
        return [self.first_civic + 10 * i for i in range(self.buildings)]

    @property
    def address(self) -> str:
        civics = self.civics
        return f"{civics[0]}-{civics[-1]}, {self.street}, Montréal (Québec) {self.postal_code}"


SITES: tuple[SiteSpec, ...] = (
    SiteSpec("Saint-Sulpice", "rue Saint-Hubert", 10205, 5, 26, "H2C 2H4"),
    SiteSpec(
        "André-Grasset", "rue Prieur Est", 2150, 4, 28, "H2C 1L9", "Bâtiment B, rez-de-chaussée"
    ),
    SiteSpec("Meunier-Tolhurst", "rue Meunier", 11840, 6, 20, "H3L 2Z4"),
)
EXTRA_SITES: tuple[tuple[str, str, str], ...] = (
    ("Habitations Sauriol", "rue Sauriol Est", "H2C 1X3"),
    ("HLM Fleury-Lajeunesse", "rue Fleury Est", "H2C 1P9"),
    ("Habitations Christophe-Colomb", "avenue Christophe-Colomb", "H2M 2E6"),
    ("HLM Gouin-Papineau", "boulevard Gouin Est", "H2C 1C5"),
    ("Habitations Saint-Charles", "rue Saint-Charles", "H3L 2J8"),
    ("HLM Millen", "avenue Millen", "H2C 2S4"),
    ("Habitations Sacré-Cœur", "rue Sacré-Cœur", "H2C 2K6"),
    ("HLM Basile-Routhier", "avenue Basile-Routhier", "H2C 2L8"),
    ("Habitations Péloquin", "rue Péloquin", "H2C 2J5"),
)


def site_specs(scale: int) -> list[SiteSpec]:
    """The three EMA sites, plus three more sites of about 120 units per extra unit of scale."""
    specs = list(SITES)
    for n in range(3 * (scale - 1)):
        name, street, postal = EXTRA_SITES[n % len(EXTRA_SITES)]
        if n >= len(EXTRA_SITES):
            name = f"{name} {n // len(EXTRA_SITES) + 1}"
        specs.append(SiteSpec(name, street, 1000 + 40 * n, 5, 24, postal))
    return specs
