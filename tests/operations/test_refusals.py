"""Bad input to restore gets a clear message and changes nothing: a tampered file, a missing
file, a file the manifest does not list, a snapshot of a newer release or with migrations this
code does not know, a target database or media folder that is not empty."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from operations.backup import backup_create
from operations.restore import row_counts, target_tables

from .conftest import connected_to

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def snapshot(tmp_path, settings, company_a):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media" / "sefex").mkdir(parents=True)
    (tmp_path / "media" / "sefex" / "protokoll.txt").write_text("Protokoll")
    return backup_create(tmp_path / "backups")


def _edit_manifest(snapshot, **changes):
    path = snapshot / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest.update(changes)
    path.write_text(json.dumps(manifest))


def _refused(snapshot, *, force=False) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(snapshot), force=force)
    message = str(refused.value)
    if "Sicherung" in message or "Ziel" in message or "ordner" in message:
        assert "Es wurde nichts wiederhergestellt." in message
    return message


def test_a_snapshot_that_does_not_check_out_is_refused_and_the_target_stays_empty(
    snapshot, scratch_database, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "empty-media")
    dump = snapshot / "database.pgdump"
    original = dump.read_bytes()
    with connected_to(scratch_database):
        dump.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
        assert "passt nicht zu ihrer SHA-256-Prüfsumme" in _refused(snapshot, force=True)
        dump.write_bytes(original)

        media_file = snapshot / "media" / "sefex" / "protokoll.txt"
        media_file.rename(tmp_path / "aside.txt")
        assert "Die Datei media/sefex/protokoll.txt der Sicherung fehlt" in _refused(snapshot)
        (tmp_path / "aside.txt").rename(media_file)

        (snapshot / "media" / "extra.txt").write_text("untergeschoben")
        assert "nicht aufführt (media/extra.txt)" in _refused(snapshot)
        (snapshot / "media" / "extra.txt").unlink()

        _edit_manifest(snapshot, app_version="99.0.0")
        assert "neuer ist als diese" in _refused(snapshot)
        _edit_manifest(snapshot, app_version="0.1.0")

        manifest = json.loads((snapshot / "manifest.json").read_text())
        _edit_manifest(snapshot, migrations=[*manifest["migrations"], "funding.9999_future"])
        assert "funding.9999_future" in _refused(snapshot)
        _edit_manifest(snapshot, migrations=manifest["migrations"])

        manifest_text = (snapshot / "manifest.json").read_text()
        (snapshot / "manifest.json").unlink()
        assert "enthält keine manifest.json" in _refused(snapshot)
        (snapshot / "manifest.json").write_text(manifest_text)

        # An empty database, but files in the media folder.
        (tmp_path / "other-media").mkdir()
        (tmp_path / "other-media" / "fremd.txt").write_text("fremd")
        settings.MEDIA_ROOT = str(tmp_path / "other-media")
        assert "Medienordner" in _refused(snapshot)

        assert target_tables() == []  # nothing was touched
    assert not (tmp_path / "empty-media").exists()


def test_a_target_that_is_not_empty_is_refused_unless_forced(
    snapshot, scratch_database, tmp_path, settings
):
    before = row_counts()
    message = _refused(snapshot)
    assert "ist nicht leer" in message and "--force" in message
    assert row_counts() == before

    # --force replaces what is there: a restored database with an extra table and row.
    settings.MEDIA_ROOT = str(tmp_path / "restored-media")
    with connected_to(scratch_database):
        call_command("restore", str(snapshot), stdout=StringIO())
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE stray (id int)")
            cursor.execute("DELETE FROM members_contact")
        assert "ist nicht leer" in _refused(snapshot)
        output = StringIO()
        call_command("restore", str(snapshot), force=True, stdout=output)
        assert "stray" not in target_tables()
        assert row_counts() == json.loads((snapshot / "manifest.json").read_text())["row_counts"]
        assert "Jede Tabelle hat die Zeilenzahl der Sicherung." in output.getvalue()
    assert (tmp_path / "restored-media" / "sefex" / "protokoll.txt").read_text() == "Protokoll"
