from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from operations.restore import counts_compared, restore
from operations.snapshots import SnapshotError


class Command(BaseCommand):
    help = "Restores a snapshot into an empty database and media folder, then migrates."

    def add_arguments(self, parser):
        parser.add_argument("snapshot", type=Path, help="the snapshot's folder")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the content of a database or media folder that is not empty",
        )

    def handle(self, *args, snapshot, force, **options):
        try:
            manifest = restore(snapshot, force=force, migrate_stdout=self.stdout)
        except SnapshotError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Restored %(path)s (version %(version)s of %(when)s).")
            % {"path": snapshot, "version": manifest.app_version, "when": manifest.created_at}
        )
        rows = counts_compared(manifest)
        width = max(len(table) for table, _before, _now in rows)
        self.stdout.write(f"{_('table'):<{width}}  {_('snapshot'):>9}  {_('now'):>9}")
        differ = 0
        for table, before, now in rows:
            mark = "" if before == now else "  *"
            differ += bool(mark)
            self.stdout.write(
                f"{table:<{width}}  {before if before is not None else '-':>9}  "
                f"{now if now is not None else '-':>9}{mark}"
            )
        self.stdout.write(
            _("%(count)s tables differ from the snapshot (marked *: rows added by migrations).")
            % {"count": differ}
            if differ
            else _("Every table has the row count of the snapshot.")
        )
