from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from operations.backup import backup_create
from operations.rotation import DEFAULT_POLICY, policy_parse, rotate
from operations.snapshots import SnapshotError


class Command(BaseCommand):
    help = "Writes one snapshot (database, media files, manifest) into --output and rotates."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="folder of the snapshots")
        parser.add_argument(
            "--keep",
            default=None,
            help=f"rotation policy, e.g. {DEFAULT_POLICY} (without it nothing is deleted)",
        )

    def handle(self, *args, output, keep, **options):
        try:
            policy = policy_parse(keep) if keep else None
            snapshot = backup_create(output)
        except SnapshotError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(_("Snapshot written: %(path)s") % {"path": snapshot})
        if policy:
            for name in rotate(output, policy):
                self.stdout.write(_("Removed by rotation: %(name)s") % {"name": name})
