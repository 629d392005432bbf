"""Demo residents kept at hand: each demo intervenant keeps five people of their site, so that
the offline quick log can name someone on the first try."""

from demo.accounts import DEMO_ACCOUNTS
from ema.accounts.models import Role, User
from offline.models import AtHand
from residents.models import Consent, Resident

PER_INTERVENANT = 5


def seed_at_hand() -> int:
    """Keep residents at hand for the demo intervenants who keep nobody yet; how many kept.
    Only the accounts one logs in with keep people at hand (the phone is theirs)."""
    kept = 0
    usernames = [a.username for a in DEMO_ACCOUNTS]
    for user in User.objects.filter(role=Role.INTERVENANT, is_active=True, username__in=usernames):
        if AtHand.objects.filter(user=user).exists():
            continue
        consented = Consent.objects.in_force().filter(purpose=Consent.Purpose.KEEP_FILE)
        people = (
            Resident.objects.visible_to(user)
            .current()
            .filter(pk__in=consented.values("resident_id"))
            .order_by("search_key", "pk")[:PER_INTERVENANT]
        )
        AtHand.objects.bulk_create([AtHand(user=user, resident=person) for person in people])
        kept += len(people)
    return kept
