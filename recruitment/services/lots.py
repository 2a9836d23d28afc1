"""The lot of a D'Hondt allocation, drawn once and verifiable by anyone (commit, then reveal).

- When a committee's first call opens (or, for a committee without one, when staff first compute its allocation) a
  secret seed is made: 32 random bytes. Its SHA-256, the *kontrolværdi*, is shown on the public call and committee
  pages from then on, before anyone knows which groups the parties form or whether there will be a tie.
- The draw between tied groups uses ``random.Random`` seeded from SHA-256(seed + the allocation's inputs), where
  the inputs are the groups by their parties (not the labels staff type), their council members and the seats. So
  the same groups give the same lot on every "Beregn", and renaming a group changes nothing.
- Every outcome with a lot is recorded the moment it is first shown (who, when, the tied groups, the winners).
- When the allocation is confirmed, the seed is shown beside the allocation on the committee page: anyone can check
  that SHA-256(seed) is the kontrolværdi published before, and replay the draw (README, "Lodtrækning").
- A new draw ("Ny lodtrækning") needs a written reason; the old draw stays, superseded, with its seed shown.
"""

import hashlib
import json
import random
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import Committee

from .. import dhondt
from ..models import LotDraw
from ..permissions import can_manage_recruitment

REASON_MIN_LENGTH = 10


def _new_seed() -> tuple[str, str]:
    seed = secrets.token_hex(32)
    return seed, hashlib.sha256(seed.encode()).hexdigest()


def lot_draw_current(*, committee: Committee, by=None) -> LotDraw:
    """The committee's draw, made (and its kontrolværdi published) the first time it is needed."""
    draw = LotDraw.objects.filter(committee=committee, superseded_at__isnull=True).first()
    if draw is not None:
        return draw
    seed, commitment = _new_seed()
    try:
        with transaction.atomic():
            return LotDraw.objects.create(
                committee=committee, number=1, seed=seed, commitment=commitment, created_by=by
            )
    except IntegrityError:  # made at the same moment by another request: theirs is the draw
        return LotDraw.objects.get(committee=committee, superseded_at__isnull=True)


def canonical_inputs(*, groups: dict[str, list[str]], votes: dict[str, int], seats: int) -> str:
    """The allocation's inputs as one string, each group named by its parties: what the draw may depend on."""
    by_parties = sorted(("+".join(sorted(groups[label])), votes[label]) for label in groups)
    return json.dumps({"seats": seats, "groups": by_parties}, ensure_ascii=False, separators=(",", ":"))


def derived_seed(*, seed: str, inputs: str) -> str:
    """The seed of ``random.Random`` for these inputs (a decimal string, as Allocation.seed stores it)."""
    return str(int.from_bytes(hashlib.sha256(f"{seed}:{inputs}".encode()).digest()[:8], "big"))


def lot_allocate(*, draw: LotDraw, groups: dict[str, list[str]], votes: dict[str, int], seats: int):
    """D'Hondt with the draw's lot: (the derived seed, the allocation under the staff's labels)."""
    inputs = canonical_inputs(groups=groups, votes=votes, seats=seats)
    seed = derived_seed(seed=draw.seed, inputs=inputs)
    # Allocate under names made of the parties, so the labels staff type cannot change who wins a lot.
    name = {label: "+".join(sorted(groups[label])) for label in groups}
    label_of = {v: k for k, v in name.items()}
    result = dhondt.allocate({name[g]: votes[g] for g in votes}, seats, random.Random(int(seed)))
    return seed, dhondt.relabel(result, label_of)


def lot_record_shown(*, draw: LotDraw, groups, votes, seats: int, result: dhondt.Allocation, by) -> None:
    """Keep what a lot decided the first time staff see it."""
    if not result.lots:
        return
    inputs = canonical_inputs(groups=groups, votes=votes, seats=seats)
    draw = LotDraw.objects.select_for_update().get(pk=draw.pk)
    if any(r["inputs"] == inputs for r in draw.results):
        return
    draw.results = [
        *draw.results,
        {
            "inputs": inputs,
            "groups": groups,
            "lots": [{"tied": list(lot.tied), "seats": lot.seats, "winners": list(lot.winners)} for lot in result.lots],
            "shown_at": timezone.now().isoformat(timespec="seconds"),
            "shown_by": by.get_full_name() or by.get_username() if by else "",
        },
    ]
    draw.save(update_fields=["results"])


@transaction.atomic
def lot_draw_new(*, committee: Committee, reason: str, by) -> LotDraw:
    """A new draw, only with a written reason; the one it replaces stays, with its seed shown."""
    if not can_manage_recruitment(by):
        raise PermissionDenied
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    if not committee.is_recruiting:
        raise ValidationError(_("Der kan kun trækkes lod, mens udvalget rekrutterer."))
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError(
            {
                "reason": _("Skriv en begrundelse for den nye lodtrækning (mindst %(n)s tegn).")
                % {"n": REASON_MIN_LENGTH}
            }
        )
    current = lot_draw_current(committee=committee, by=by)
    current.superseded_at = current.revealed_at = timezone.now()
    current.superseded_by = by
    current.save(update_fields=["superseded_at", "superseded_by", "revealed_at"])
    seed, commitment = _new_seed()
    return LotDraw.objects.create(
        committee=committee, number=current.number + 1, seed=seed, commitment=commitment, reason=reason, created_by=by
    )
