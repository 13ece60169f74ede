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

from core.spreadsheets import unguarded

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

# Part of the file format, like the headers: usual German words for the choices, accepted
# whatever the interface language (the translated labels are accepted as well).
GERMAN_ALIASES = {
    "Fertigung": {
        "lohnfertiger": "contract",
        "lohnfertigung": "contract",
        "eigene produkte": "products",
        "produktanbieter": "products",
        "beides": "both",
    },
    RELATIONSHIP: {
        "mitglied": "member",
        "netzwerkpartner": "partner",
        "interessent": "prospect",
        "ehemaliges mitglied": "former",
        "ehemalig": "former",
    },
    "Anrede": {"frau": "ms", "herr": "mr", "": ""},
    "Funktion": {
        "geschäftsführung": "management",
        "technik": "technology",
        "produktion": "production",
        "vertrieb": "sales",
        "personal": "hr",
        "einkauf": "purchasing",
        "qualität": "quality",
        "sonstiges": "other",
    },
    "Sprache": {"deutsch": "de", "englisch": "en"},
}
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
    # Our exports protect formula-like cells with an apostrophe; undo that.
    return unguarded(str(value).strip())


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
        # Indexes of what exists, read once and kept up to date row by row: a query per
        # row and identifier would make a 500-row file slow.
        self._by_register = dict(
            Company.objects.exclude(register_number="").values_list("register_number", "pk")
        )
        self._by_vat = dict(Company.objects.exclude(vat_id="").values_list("vat_id", "pk"))
        self._by_email: dict[str, set[int]] = {}
        self._contacts: dict[tuple[int, str], int] = {}
        for pk, company_id, email, first, last in Contact.objects.values_list(
            "pk", "company_id", "email", "first_name", "last_name"
        ):
            self._remember_contact(pk, company_id, email, first, last)
        self._open_relationships = {
            (r.company_id, r.cluster_id): r.kind
            for r in Relationship.objects.filter(valid_to__isnull=True).only(
                "company_id", "cluster_id", "kind"
            )
        }
        self._sector_links = set(
            Company.sectors.through.objects.values_list("company_id", "sector_id")
        )
        self._lookups = {
            "Fertigung": _choice_lookup(Company.Production.choices) | GERMAN_ALIASES["Fertigung"],
            RELATIONSHIP: _choice_lookup(Relationship.Kind.choices) | GERMAN_ALIASES[RELATIONSHIP],
            "Anrede": _choice_lookup(Contact.Salutation.choices) | GERMAN_ALIASES["Anrede"],
            "Funktion": _choice_lookup(Contact.Function.choices) | GERMAN_ALIASES["Funktion"],
            "Sprache": _choice_lookup(Contact.Language.choices) | GERMAN_ALIASES["Sprache"],
        }

    def _remember_contact(self, pk, company_id, email, first, last):
        email = (email or "").lower()
        if email:
            self._by_email.setdefault(email, set()).add(company_id)
            self._contacts[(company_id, email)] = pk
        else:
            self._contacts[(company_id, f"name:{first}|{last}")] = pk

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
        found: dict[str, int] = {}
        if row["Handelsregisternummer"] in self._by_register:
            found["Handelsregisternummer"] = self._by_register[row["Handelsregisternummer"]]
        if row["USt-IdNr."] in self._by_vat:
            found["USt-IdNr."] = self._by_vat[row["USt-IdNr."]]
        companies = self._by_email.get(row["E-Mail"], set()) if row["E-Mail"] else set()
        if len(companies) > 1:
            raise ValidationError(
                {"E-Mail": [_("This e-mail address belongs to contacts of several companies.")]}
            )
        if companies:
            found["E-Mail"] = next(iter(companies))
        if len(set(found.values())) > 1:
            names = Company.objects.in_bulk(set(found.values()))
            listed = ", ".join(f"{header}: {names[pk]}" for header, pk in found.items())
            raise ValidationError(
                _("The identifiers point to different companies (%(names)s).") % {"names": listed}
            )
        if not found:
            return None
        company = Company.objects.get(pk=next(iter(found.values())))
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

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Field validation as usual; uniqueness is already settled by the identifier
        indexes (and the database constraints stay as the last guard), so the two
        constraint queries per row are skipped."""
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=errors.keys(), validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def after_init_instance(self, instance, new, row, **kwargs):
        self._original = None if new else self._snapshot(instance)

    def _snapshot(self, instance) -> dict:
        return {attr: getattr(instance, attr) for attr in COMPANY_COLUMNS.values()}

    def do_instance_save(self, instance, is_create):
        # An unchanged company is not saved again: no write, no empty history entry.
        if is_create or self._snapshot(instance) != self._original:
            super().do_instance_save(instance, is_create)

    def after_save_instance(self, instance, row, **kwargs):
        if kwargs.get("dry_run") and not kwargs.get("using_transactions"):
            return
        if instance.register_number:
            self._by_register[instance.register_number] = instance.pk
        if instance.vat_id:
            self._by_vat[instance.vat_id] = instance.pk
        numbers = [n.strip() for n in row[SECTORS].replace(",", ";").split(";") if n.strip()]
        missing = [
            self._sectors[n]
            for n in numbers
            if (instance.pk, self._sectors[n].pk) not in self._sector_links
        ]
        if missing:
            # Known to be missing (index above): one insert, no read-back.
            links = Company.sectors.through
            links.objects.bulk_create(
                links(company_id=instance.pk, sector_id=s.pk) for s in missing
            )
            self._sector_links.update((instance.pk, s.pk) for s in missing)
        if row[CLUSTER]:
            self._import_relationship(instance, row)
        self._import_contact(instance, row, kwargs["row_number"])

    def _import_relationship(self, company, row):
        cluster = self._clusters[row[CLUSTER].lower()]
        kind = row[RELATIONSHIP]
        since = _parse_date(row[RELATIONSHIP_SINCE]) if row[RELATIONSHIP_SINCE] else None
        key = (company.pk, cluster.pk)
        if key in self._open_relationships:
            if self._open_relationships[key] == kind:
                return
        else:
            # The first relationship to this cluster: nothing to end or overlap.
            Relationship.objects.create(
                company=company,
                cluster=cluster,
                kind=kind,
                valid_from=since or timezone.localdate(),
            )
            self._open_relationships[key] = kind
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
        self._open_relationships[key] = kind

    def _import_contact(self, company, row, row_number):
        values = {attr: row[header] for header, attr in CONTACT_COLUMNS.items()}
        if not (values["last_name"] or values["email"] or values["first_name"]):
            return
        values["receives_invitations"] = values["receives_invitations"].lower() not in (NO - {""})
        # Within the one company already found, a contact without an address is
        # recognised by name.
        key = values["email"] or f"name:{values['first_name']}|{values['last_name']}"
        pk = self._contacts.get((company.pk, key))
        contact = Contact.objects.get(pk=pk) if pk else Contact(company=company)
        action = "update" if pk else "new"
        before = {attr: getattr(contact, attr) for attr in values}
        for attr, value in values.items():
            if attr in ("language", "function") and not value:
                continue
            setattr(contact, attr, value)
        if pk and before == {attr: getattr(contact, attr) for attr in values}:
            self.contact_actions[row_number] = "unchanged"
            return
        try:
            services.contact_save(contact=contact)
        except ValidationError as exc:
            raise ValidationError(
                {
                    CONTACT_ATTRIBUTE_TO_HEADER.get(key, NON_FIELD_ERRORS): messages
                    for key, messages in exc.message_dict.items()
                }
            ) from exc
        self._remember_contact(
            contact.pk, company.pk, contact.email, contact.first_name, contact.last_name
        )
        self.contact_actions[row_number] = action
