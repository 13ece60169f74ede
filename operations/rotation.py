"""Rotation of snapshots by a grandfather-father-son policy: keep the newest snapshot of each
of the last N days, ISO weeks and months that have one (like `borg prune`). The default,
daily=7,weekly=4,monthly=12, keeps about a year with 23 snapshots at most."""

import shutil
from datetime import datetime
from pathlib import Path

from django.utils.translation import gettext as _

from .snapshots import MANIFEST, PREFIX, SnapshotError

DEFAULT_POLICY = "daily=7,weekly=4,monthly=12"
PERIODS = {
    "daily": lambda moment: moment.date(),
    "weekly": lambda moment: moment.isocalendar()[:2],
    "monthly": lambda moment: (moment.year, moment.month),
}


def policy_parse(text: str) -> dict[str, int]:
    """'daily=7,weekly=4,monthly=12' -> {'daily': 7, ...}; a clear message for anything else."""
    policy = {}
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        period, _sep, count = part.partition("=")
        if period not in PERIODS or not count.isdigit():
            raise SnapshotError(
                _("--keep expects e.g. %(example)s, not %(value)s.")
                % {"example": DEFAULT_POLICY, "value": text}
            )
        policy[period] = int(count)
    if not policy:
        raise SnapshotError(_("--keep names no period."))
    return policy


def snapshot_moment(name: str) -> datetime | None:
    if not name.startswith(PREFIX):
        return None
    try:
        return datetime.strptime(name.removeprefix(PREFIX), "%Y%m%dT%H%M%SZ")
    except ValueError:
        return None


def names_to_keep(names: list[str], policy: dict[str, int]) -> set[str]:
    dated = sorted(
        ((moment, name) for name in names if (moment := snapshot_moment(name))), reverse=True
    )
    keep = {dated[0][1]} if dated else set()
    for period, count in policy.items():
        seen = []
        for moment, name in dated:
            key = PERIODS[period](moment)
            if key in seen:
                continue
            if len(seen) == count:
                break
            seen.append(key)
            keep.add(name)
    return keep


def rotate(output: Path, policy: dict[str, int]) -> list[str]:
    """Deletes the snapshots in `output` the policy does not keep; returns their names. Only
    directories named and made like snapshots are touched."""
    names = [
        path.name
        for path in output.iterdir()
        if path.is_dir() and snapshot_moment(path.name) and (path / MANIFEST).is_file()
    ]
    keep = names_to_keep(names, policy)
    removed = sorted(set(names) - keep)
    for name in removed:
        shutil.rmtree(output / name)
    return removed
