"""Import and export of companies with their contacts (django-import-export).

The file has one row per contact; the company columns repeat for each of its contacts.
Column headers are fixed German names: they are the file format (a file exported in
English must import again), not user-interface text.

A row's company is found by commercial register number, VAT id or a contact's e-mail,
never by name. A row that names none of them is an error: it could not be found again,
so a second import would duplicate it.
"""

from datetime import date, datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.results import RowResult

from . import services
from .forms import normalise_register_number, normalise_vat_id
from .models import Cluster, Company, Contact, Relationship, Sector

# header -> Company attribute (importable company columns)
COMPANY_COLUMNS = {
    "Firma": "legal_name",
    "Kurzname": "short_name",
    "Rechtsform": "legal_form",
    "Handelsregisternummer": "register_number",
    "USt-IdNr.": "vat_id",
    "Straße": "street",
    "PLZ": "postcode",
    "Ort": "city",
    "Website": "website",
    "Fertigung": "production",
}
# header -> Contact attribute
CONTACT_COLUMNS = {
    "Anrede": "salutation",
    "Titel": "title",
    "Vorname": "first_name",
    "Nachname": "last_name",
    "Funktion": "function",
    "E-Mail": "email",
    "Telefon": "phone",
    "Sprache": "language",
    "Einladungen": "receives_invitations",
}
SECTORS = "Branchen"
CLUSTER = "Cluster"
RELATIONSHIP = "Beziehung"
RELATIONSHIP_SINCE = "Beziehung seit"
HEADERS = [
    *list(COMPANY_COLUMNS)[:-1],
    SECTORS,
    "Fertigung",
    CLUSTER,
    RELATIONSHIP,
    RELATIONSHIP_SINCE,
    *CONTACT_COLUMNS,
]
EXPORT_ONLY = ["KMU-Klasse"]
ATTRIBUTE_TO_HEADER = {attr: header for header, attr in COMPANY_COLUMNS.items()} | {
    "sectors": SECTORS
}
CONTACT_ATTRIBUTE_TO_HEADER = {attr: header for header, attr in CONTACT_COLUMNS.items()}

YES = {"ja", "j", "yes", "y", "x", "1", "true", "wahr"}
NO = {"nein", "n", "no", "0", "false", "falsch", ""}


def _text(value) -> str:
    """A cell as trimmed text (XLSX gives numbers and dates, CSV gives strings)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _choice_lookup(choices) -> dict[str, str]:
    """Accepts a choice's code and its German and English label, case-insensitively."""
    lookup = {}
    for value, label in choices:
        for language in ("de", "en"):
            with translation.override(language):
                lookup[str(label).lower()] = value
        lookup[str(value).lower()] = value
    return lookup


def _parse_date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError


def row_is_blank(row) -> bool:
    return not any(_text(v) for v in row.values())


class CompanyContactResource(resources.ModelResource):
    """One row: a company (found or created) and optionally one of its contacts."""

    legal_name = fields.Field("legal_name", "Firma", widgets.CharWidget())
    short_name = fields.Field("short_name", "Kurzname", widgets.CharWidget())
    legal_form = fields.Field("legal_form", "Rechtsform", widgets.CharWidget())
    register_number = fields.Field("register_number", "Handelsregisternummer", widgets.CharWidget())
    vat_id = fields.Field("vat_id", "USt-IdNr.", widgets.CharWidget())
    street = fields.Field("street", "Straße", widgets.CharWidget())
    postcode = fields.Field("postcode", "PLZ", widgets.CharWidget())
    city = fields.Field("city", "Ort", widgets.CharWidget())
    website = fields.Field("website", "Website", widgets.CharWidget())
    production = fields.Field("production", "Fertigung", widgets.CharWidget())

    class Meta:
        model = Company
        fields = list(COMPANY_COLUMNS.values())
        import_id_fields = ["register_number"]
        clean_model_instances = True
        skip_diff = True
        use_transactions = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.contact_actions: dict[int, str] = {}
        self._clusters = {}
        self._sectors = {}
        self._lookups = {}

    # --- preparation -------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        self._clusters = {c.slug.lower(): c for c in Cluster.objects.all()} | {
            c.name.lower(): c for c in Cluster.objects.all()
        }
        self._sectors = {str(s.number): s for s in Sector.objects.all()}
        self._lookups = {
            "Fertigung": _choice_lookup(Company.Production.choices),
            RELATIONSHIP: _choice_lookup(Relationship.Kind.choices),
            "Anrede": _choice_lookup(Contact.Salutation.choices)
            | {"frau": "ms", "herr": "mr", "": ""},
            "Funktion": _choice_lookup(Contact.Function.choices),
            "Sprache": _choice_lookup(Contact.Language.choices) | {"deutsch": "de"},
        }

    def import_row(self, row, instance_loader, **kwargs):
        if row_is_blank(row):
            # Spreadsheets often end with empty rows: not an error, nothing to do.
            result = self.get_row_result_class()()
            result.import_type = RowResult.IMPORT_TYPE_SKIP
            return result
        return super().import_row(row, instance_loader, **kwargs)

    def before_import_row(self, row, **kwargs):
        """Normalises the row in place and checks what the model cannot check."""
        for key in list(row):
            row[key] = _text(row[key])
        errors: dict[str, list[str]] = {}
        row["Handelsregisternummer"] = normalise_register_number(row["Handelsregisternummer"])
        row["USt-IdNr."] = normalise_vat_id(row["USt-IdNr."])
        row["E-Mail"] = row["E-Mail"].lower()
        website = row["Website"]
        if website and "://" not in website:
            row["Website"] = f"https://{website}"
        for header in ("Fertigung", RELATIONSHIP, "Anrede", "Funktion", "Sprache"):
            value = row[header]
            if not value:
                continue
            code = self._lookups[header].get(value.lower())
            if code is None:
                errors[header] = [_("Unknown value “%(value)s”.") % {"value": value}]
            else:
                row[header] = code
        invitations = row["Einladungen"].lower()
        if invitations not in YES | NO:
            errors["Einladungen"] = [_("Write “ja” or “nein”.")]
        numbers = [n.strip() for n in row[SECTORS].replace(",", ";").split(";") if n.strip()]
        unknown = [n for n in numbers if n not in self._sectors]
        if unknown:
            errors[SECTORS] = [
                _("Unknown sector number(s): %(numbers)s.") % {"numbers": ", ".join(unknown)}
            ]
        if row[CLUSTER] and row[CLUSTER].lower() not in self._clusters:
            errors[CLUSTER] = [_("Unknown cluster “%(value)s”.") % {"value": row[CLUSTER]}]
        if row[CLUSTER] and not row[RELATIONSHIP]:
            errors[RELATIONSHIP] = [_("Name the relationship to the cluster.")]
        if row[RELATIONSHIP] and not row[CLUSTER]:
            errors[CLUSTER] = [_("Name the cluster of the relationship.")]
        if row[RELATIONSHIP_SINCE]:
            try:
                _parse_date(row[RELATIONSHIP_SINCE])
            except ValueError:
                errors[RELATIONSHIP_SINCE] = [_("Enter a date like 2024-01-31 or 31.01.2024.")]
        if not (row["Handelsregisternummer"] or row["USt-IdNr."] or row["E-Mail"]):
            errors[NON_FIELD_ERRORS] = [
                _(
                    "The row names no commercial register number, VAT id or contact "
                    "e-mail, so the company could not be recognised again."
                )
            ]
        if errors:
            raise ValidationError(errors)

    # --- matching ----------------------------------------------------------------

    def get_instance(self, instance_loader, row):
        """The company named by register number, VAT id or a contact's e-mail; all must agree."""
        found: dict[str, Company] = {}
        if row["Handelsregisternummer"]:
            company = Company.objects.filter(register_number=row["Handelsregisternummer"]).first()
            if company:
                found["Handelsregisternummer"] = company
        if row["USt-IdNr."]:
            company = Company.objects.filter(vat_id=row["USt-IdNr."]).first()
            if company:
                found["USt-IdNr."] = company
        if row["E-Mail"]:
            companies = list(
                Company.objects.filter(contacts__email__iexact=row["E-Mail"]).distinct()[:2]
            )
            if len(companies) > 1:
                raise ValidationError(
                    {"E-Mail": [_("This e-mail address belongs to contacts of several companies.")]}
                )
            if companies:
                found["E-Mail"] = companies[0]
        if len({c.pk for c in found.values()}) > 1:
            names = ", ".join(f"{header}: {company}" for header, company in found.items())
            raise ValidationError(
                _("The identifiers point to different companies (%(names)s).") % {"names": names}
            )
        if not found:
            return None
        company = next(iter(found.values()))
        # An identifier the company already has must not be overwritten by another one.
        for header, attribute in (
            ("Handelsregisternummer", "register_number"),
            ("USt-IdNr.", "vat_id"),
        ):
            current = getattr(company, attribute)
            if row[header] and current and row[header] != current:
                raise ValidationError(
                    {
                        header: [
                            _("%(company)s is recorded with %(value)s.")
                            % {"company": company, "value": current}
                        ]
                    }
                )
        return company

    # --- writing the rest of the row ---------------------------------------------

    def after_save_instance(self, instance, row, **kwargs):
        if kwargs.get("dry_run") and not kwargs.get("using_transactions"):
            return
        numbers = [n.strip() for n in row[SECTORS].replace(",", ";").split(";") if n.strip()]
        if numbers:
            instance.sectors.add(*[self._sectors[n] for n in numbers])
        if row[CLUSTER]:
            self._import_relationship(instance, row)
        self._import_contact(instance, row, kwargs["row_number"])

    def _import_relationship(self, company, row):
        cluster = self._clusters[row[CLUSTER].lower()]
        kind = row[RELATIONSHIP]
        since = _parse_date(row[RELATIONSHIP_SINCE]) if row[RELATIONSHIP_SINCE] else None
        current = (
            Relationship.objects.filter(company=company, cluster=cluster, valid_to__isnull=True)
            .order_by("-valid_from")
            .first()
        )
        if current and current.kind == kind:
            return
        try:
            services.relationship_start(
                company=company,
                cluster=cluster,
                kind=kind,
                valid_from=since or timezone.localdate(),
            )
        except ValidationError as exc:
            raise ValidationError({RELATIONSHIP_SINCE: exc.messages}) from exc

    def _import_contact(self, company, row, row_number):
        values = {attr: row[header] for header, attr in CONTACT_COLUMNS.items()}
        if not (values["last_name"] or values["email"] or values["first_name"]):
            return
        values["receives_invitations"] = values["receives_invitations"].lower() not in (NO - {""})
        contacts = company.contacts.all()
        if values["email"]:
            contact = contacts.filter(email__iexact=values["email"]).first()
        else:
            # Within the one company already found, a contact without an address is
            # recognised by name.
            contact = contacts.filter(
                email="", first_name=values["first_name"], last_name=values["last_name"]
            ).first()
        action = "update" if contact else "new"
        contact = contact or Contact(company=company)
        for attr, value in values.items():
            if attr in ("language", "function") and not value:
                continue
            setattr(contact, attr, value)
        try:
            services.contact_save(contact=contact)
        except ValidationError as exc:
            raise ValidationError(
                {
                    CONTACT_ATTRIBUTE_TO_HEADER.get(key, NON_FIELD_ERRORS): messages
                    for key, messages in exc.message_dict.items()
                }
            ) from exc
        self.contact_actions[row_number] = action
