"""Demo data for `make run`: each app seeds its own part; logins for every role."""

from django.db import transaction

from atlas.demo import seed_atlas
from circulars.demo import seed_circulars
from core.roles import Role
from crm.demo import seed_crm
from forums.demo import seed_attendee_list, seed_forums
from funding.demo import seed_funding
from logins.services import login_admin_grant, login_deactivate
from members.demo import seed_members
from members.grants import cluster_grants_set
from members.models import Cluster, Company, User
from members.services import user_create
from sefex.demo import seed_sefex

from .second_factor import second_factor_required, totp_enable

DEMO_PASSWORD = "metalldialog-demo"  # noqa: S105 - printed for the demo on purpose
# The staff demo logins' authenticator app (base32), printed beside them by `make run`;
# `manage.py demo_totp` shows the current code.
DEMO_TOTP_SECRET = "METALLDIALOGDEMOMETALLDIALOGDEMO"  # noqa: S105 - printed on purpose
DEMO_LOGINS = [
    (Role.CLUSTER_MANAGER.label + " Metall", "clustermanagement@demo.example"),
    (Role.PROJECT_MANAGER.label, "projektleitung@demo.example"),
    (Role.COMPANY_USER.label, "unternehmen@demo.example"),
    (Role.COMPANY_USER.label + " B", "unternehmen-b@demo.example"),
    (Role.CLUSTER_MANAGER.label + " Kunststoff", "kunststoff@demo.example"),
]
# Which cluster each demo cluster manager runs (by the cluster's short name).
DEMO_MANAGED_CLUSTERS = {DEMO_LOGINS[0][1]: "metall", DEMO_LOGINS[4][1]: "kunststoff"}


def _seed_logins() -> None:
    """Staff logins, and company logins for the managing director of the first two companies
    (each login is one of its company's contacts; the first administers its company's logins);
    a colleague's login is deactivated."""
    user_create(
        email=DEMO_LOGINS[0][1],
        role=Role.CLUSTER_MANAGER,
        password=DEMO_PASSWORD,
        first_name="Clara",
        last_name="Clustermann",
    )
    user_create(
        email=DEMO_LOGINS[1][1],
        role=Role.PROJECT_MANAGER,
        password=DEMO_PASSWORD,
        first_name="Paul",
        last_name="Projektmann",
    )
    first, second = Company.objects.order_by("pk")[:2]
    for company, (_, email) in ((first, DEMO_LOGINS[2]), (second, DEMO_LOGINS[3])):
        director = company.contacts.order_by("pk").first()
        director_login = user_create(
            email=email,
            role=Role.COMPANY_USER,
            contact=director,
            password=DEMO_PASSWORD,
        )
        if company == first:
            login_admin_grant(actor=None, login=director_login)
    colleague = first.contacts.order_by("pk")[1]
    login = user_create(email=colleague.email, role=Role.COMPANY_USER, contact=colleague)
    login_deactivate(actor=None, login=login)


def _seed_cluster_managers() -> None:
    """Each demo cluster manager runs one cluster: the plastics cluster's login is made where
    it is missing (installations seeded before it), and the grants are set every time."""
    if not User.objects.filter(email=DEMO_LOGINS[4][1]).exists():
        user_create(
            email=DEMO_LOGINS[4][1],
            role=Role.CLUSTER_MANAGER,
            password=DEMO_PASSWORD,
            first_name="Karla",
            last_name="Kunststoff",
        )
    for email, slug in DEMO_MANAGED_CLUSTERS.items():
        cluster = Cluster.objects.filter(slug=slug).first()
        if cluster is not None:
            cluster_grants_set(login=User.objects.get(email=email), clusters=[cluster])


@transaction.atomic
def seed() -> list[str]:
    """Loads the demo data once; running it again changes nothing."""
    report = []
    members = seed_members()
    report.append(
        f"members: {members['companies']} companies, {members['contacts']} contacts"
        if members["created"]
        else "members: already there"
    )
    if not User.objects.filter(email=DEMO_LOGINS[0][1]).exists():
        _seed_logins()
        report.append("logins: created")
    else:
        report.append("logins: already there")
    _seed_cluster_managers()
    for user in User.objects.filter(email__in=[email for _, email in DEMO_LOGINS]):
        if second_factor_required(user):
            totp_enable(user=user, secret=DEMO_TOTP_SECRET)
    forums = seed_forums()
    report.append(
        f"forums: {forums['forums']} forums, {forums['registrations']} registrations"
        if forums["created"]
        else "forums: already there"
    )
    sefex = seed_sefex()
    report.append(
        f"sefex: {sefex['workshops']} workshops" if sefex["created"] else "sefex: already there"
    )
    funding = seed_funding()
    report.append(
        f"funding: {funding['records']} aid records, {funding['declarations']} declarations"
        if funding["created"]
        else "funding: already there"
    )
    listed = seed_attendee_list()
    report.append(
        f"attendee lists: {listed['listed']} attendees listed"
        if listed["created"]
        else "attendee lists: already there"
    )
    atlas = seed_atlas()
    report.append(
        f"competence directory: {atlas['profiles']} profiles"
        if atlas["created"]
        else "competence directory: already there"
    )
    crm = seed_crm(DEMO_LOGINS[0][1], DEMO_LOGINS[4][1])
    report.append(
        f"crm: {crm['activities']} activities, {crm['tasks']} tasks"
        if crm["created"]
        else "crm: already there"
    )
    circulars = seed_circulars(DEMO_LOGINS[0][1])
    report.append(
        f"circulars: 1 sent to {circulars['recipients']} contacts, {circulars['bounced']} bounced"
        if circulars["created"]
        else "circulars: already there"
    )
    return report
