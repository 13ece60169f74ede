"""Rotation keeps the newest snapshot of each of the last N days, weeks and months."""

from datetime import datetime, timedelta

import pytest

from operations.rotation import names_to_keep, policy_parse, rotate
from operations.snapshots import SnapshotError


def _name(moment: datetime) -> str:
    return f"metalldialog-{moment:%Y%m%dT%H%M%SZ}"


def test_a_year_of_daily_snapshots_keeps_7_daily_4_weekly_12_monthly():
    last = datetime(2026, 11, 29, 2, 0)  # a Sunday
    names = [_name(last - timedelta(days=day)) for day in range(400)]
    keep = names_to_keep(names, policy_parse("daily=7,weekly=4,monthly=12"))
    days = sorted({name[13:21] for name in keep}, reverse=True)
    # The last 7 days; the Sundays ending the 3 weeks before (the current week's is the
    # newest day); the last day of each of the 11 months before (the current month's likewise).
    assert days[:7] == [f"202611{day}" for day in range(29, 22, -1)]
    assert {"20261122", "20261115", "20261108"} <= set(days)
    month_ends = {"20261031", "20260930", "20260831", "20260731", "20260630", "20260531"}
    assert month_ends | {"20260430", "20260331", "20260228", "20260131", "20251231"} <= set(days)
    assert len(keep) == len(days) == 7 + 3 + 11
    assert _name(last - timedelta(days=399)) not in keep


def test_two_snapshots_of_one_day_keep_the_later():
    early, late = datetime(2026, 11, 29, 1), datetime(2026, 11, 29, 23)
    assert names_to_keep([_name(early), _name(late)], {"daily": 7}) == {_name(late)}


@pytest.mark.parametrize("text", ["7", "daily=x", "hourly=3", "", "daily=7,"])
def test_a_policy_it_cannot_read_is_refused_with_an_example(text):
    if text == "daily=7,":
        assert policy_parse(text) == {"daily": 7}
        return
    with pytest.raises(SnapshotError, match="daily=7,weekly=4,monthly=12|keinen Zeitraum"):
        policy_parse(text)


def test_rotate_deletes_only_snapshots(tmp_path):
    for day in range(10):
        folder = tmp_path / _name(datetime(2026, 11, 20 + day, 2))
        folder.mkdir()
        (folder / "manifest.json").write_text("{}")
    (tmp_path / "metalldialog-notes").mkdir()
    (tmp_path / ".metalldialog-20261101T020000Z.partial").mkdir()
    unfinished = tmp_path / _name(datetime(2026, 11, 1, 2))
    unfinished.mkdir()  # no manifest: not a snapshot this code wrote, left alone
    removed = rotate(tmp_path, {"daily": 3})
    assert removed == [_name(datetime(2026, 11, 20 + day, 2)) for day in range(7)]
    left = sorted(path.name for path in tmp_path.iterdir())
    assert left == sorted(
        [
            ".metalldialog-20261101T020000Z.partial",
            "metalldialog-notes",
            unfinished.name,
            *(_name(datetime(2026, 11, 27 + day, 2)) for day in range(3)),
        ]
    )
