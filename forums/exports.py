"""Registrations of one forum as CSV (semicolons, UTF-8 with BOM: opens in German Excel)
and as XLSX."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from core.spreadsheets import csv_bytes, safe_cell

from . import selectors


def _fmt(value) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else ""


def _rows(forum):
    header = [
        _("Company"),
        _("Last name"),
        _("First name"),
        _("E-mail"),
        _("State"),
        _("Waiting list position"),
        _("Source"),
        _("registered"),
        _("checked in"),
    ]
    yield header
    for r in selectors.forum_registrations(forum):
        yield [
            r.company.legal_name,
            r.contact.last_name,
            r.contact.first_name,
            r.contact.email,
            str(r.get_state_display()),
            r.waitlist_position or "",
            str(r.get_source_display()),
            _fmt(r.created_at),
            _fmt(r.attended_at),
        ]


def registrations_csv(forum) -> bytes:
    return csv_bytes(_rows(forum))


def registrations_xlsx(forum) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Registrations")[:31]
    for row in _rows(forum):
        sheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
