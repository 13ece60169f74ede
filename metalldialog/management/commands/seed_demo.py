from django.core.management.base import BaseCommand

from metalldialog.demo import seed


class Command(BaseCommand):
    help = "Loads the demo data once; running it again changes nothing."

    def handle(self, *args, **options):
        for line in seed():
            self.stdout.write(f"seed_demo: {line}")
