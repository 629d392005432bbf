"""The rest of the demo team: about twelve staff with the demo accounts (the planning
estimate), intervenants spread over the three sites, some on two, full and part time; and the
planned hours of everyone. The colleagues added here do not log in (unusable password)."""

from decimal import Decimal

from django.db import transaction

from demo.accounts import DEMO_ACCOUNTS, DEMO_TEAM
from ema.accounts.models import Role, User
from residents.models import Site
from support.models import WorkPlan


@transaction.atomic
def seed_team() -> int:
    """Get or create the team's colleagues on their sites, and the planned hours of whoever
    has none yet; how many colleagues were created."""
    sites = dict(Site.objects.filter(name__in={s for m in DEMO_TEAM for s in m.sites})
                 .values_list("name", "pk"))  # fmt: skip
    created = 0
    for member in DEMO_TEAM:
        user, is_new = User.objects.get_or_create(
            username=member.username,
            defaults={
                "role": Role.INTERVENANT,
                "first_name": member.first_name,
                "last_name": member.last_name,
                "email": f"{member.username}@example.org",
            },
        )
        if is_new:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.sites.add(*[sites[name] for name in member.sites if name in sites])
            created += 1
    hours = {a.username: a.hours_per_week for a in DEMO_ACCOUNTS if a.hours_per_week}
    hours |= {m.username: m.hours_per_week for m in DEMO_TEAM}
    planned = set(WorkPlan.objects.values_list("user__username", flat=True))
    WorkPlan.objects.bulk_create(
        WorkPlan(user=user, hours_per_week=Decimal(str(hours[user.username])))
        for user in User.objects.filter(username__in=set(hours) - planned)
    )
    return created
