"""Exports of filtered lists as CSV and XLSX, in the import's column format."""

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from import_export.formats.base_formats import CSV, XLSX
from tablib import Dataset

from core.spreadsheets import dataset_csv, safe_cell

from . import selectors
from .models import Company, Contact, Relationship
from .resources import CONTACT_COLUMNS, EXPORT_ONLY, HEADERS

FORMATS = {
    "csv": (CSV, "text/csv; charset=utf-8"),
    "xlsx": (XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
CHUNK = 2000


def _append(dataset: Dataset, cells: list) -> None:
    dataset.append([safe_cell(v) for v in cells])


def _yes_no(value: bool) -> str:
    return "ja" if value else "nein"


def _company_cells(company: Company) -> list:
    relationship = company.current_relationships[0] if company.current_relationships else None
    return [
        company.legal_name,
        company.short_name,
        company.legal_form,
        company.register_number,
        company.vat_id,
        company.street,
        company.postcode,
        company.city,
        company.website,
        ";".join(str(s.number) for s in company.sectors.all()),
        company.production,
        relationship.cluster.slug if relationship else "",
        relationship.kind if relationship else "",
        relationship.valid_from.isoformat() if relationship else "",
    ]


def _contact_cells(contact: Contact | None) -> list:
    if contact is None:
        return [""] * len(CONTACT_COLUMNS)
    return [
        contact.salutation,
        contact.title,
        contact.first_name,
        contact.last_name,
        contact.function,
        contact.email,
        contact.phone,
        contact.language,
        _yes_no(contact.receives_invitations),
    ]


def _company_prefetches(prefix: str = "") -> list:
    return [
        Prefetch(f"{prefix}sectors"),
        Prefetch(
            f"{prefix}relationships",
            queryset=Relationship.objects.filter(selectors.current_relationship_q())
            .select_related("cluster")
            .order_by("cluster__name"),
            to_attr="current_relationships",
        ),
    ]


def companies_dataset(companies: QuerySet[Company]) -> Dataset:
    """One row per contact of each company; a company without contacts gets one row."""
    dataset = Dataset(headers=HEADERS + EXPORT_ONLY)
    companies = companies.order_by("legal_name", "pk").prefetch_related(
        *_company_prefetches(), Prefetch("contacts", queryset=Contact.objects.order_by("last_name"))
    )
    for company in companies.iterator(chunk_size=CHUNK):
        cells = _company_cells(company)
        for contact in list(company.contacts.all()) or [None]:
            _append(dataset, cells + _contact_cells(contact) + [company.sme_class])
    return dataset


def contacts_dataset(contacts: QuerySet[Contact]) -> Dataset:
    dataset = Dataset(headers=HEADERS + EXPORT_ONLY)
    contacts = contacts.select_related("company").prefetch_related(
        *_company_prefetches("company__")
    )
    for contact in contacts.iterator(chunk_size=CHUNK):
        company = contact.company
        _append(dataset, _company_cells(company) + _contact_cells(contact) + [company.sme_class])
    return dataset


def dataset_response(dataset: Dataset, fmt: str, name: str) -> HttpResponse:
    """The dataset as a download; ``fmt`` is "csv" or "xlsx" (the URL only allows these)."""
    format_class, content_type = FORMATS[fmt]
    data = dataset_csv(dataset) if fmt == "csv" else format_class().export_data(dataset)
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    return response
