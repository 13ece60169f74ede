from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Funding evidence")

    def ready(self):
        from django.db.models.signals import m2m_changed

        from core.fragments import register_company_section, register_fragment
        from core.roles import is_staff_role
        from outbox import catalogue
        from sefex import hooks
        from sefex.models import Workshop

        from . import erdf, mails, receivers, selectors

        catalogue.register(*mails.KINDS)
        hooks.register_booking_check(receivers.booking_check, key="funding.deminimis")
        hooks.workshop_booked.connect(receivers.workshop_booked, dispatch_uid="funding.aid_grant")
        hooks.workshop_cancelled.connect(
            receivers.workshop_cancelled, dispatch_uid="funding.aid_waive"
        )
        hooks.workshop_held.connect(receivers.workshop_held, dispatch_uid="funding.aid_record")
        # Participants edited on the workshop page keep the record's count current; erasing a
        # person deletes the m2m row without this signal, so the count (a figure) stays.
        m2m_changed.connect(
            receivers.participants_changed,
            sender=Workshop.participants.through,
            dispatch_uid="funding.participants",
        )
        register_company_section(
            "funding",
            title=_("De-minimis aid"),
            template="funding/fragments/company_funding.html",
            context=lambda company, request: {
                "funding_status": selectors.group_status(company.pk),
                "funding_company": company,
            },
            order=40,
            visible=lambda request: is_staff_role(request.user),
        )
        # The aid value and the room under the ceiling, where a company requests a workshop and
        # where the project manager judges the request.
        register_fragment(
            "sefex.request",
            "funding",
            title=_("De-minimis aid"),
            template="funding/fragments/request_aid.html",
            context=lambda company, request: selectors.company_aid_outlook(company.pk),
            visible=lambda request: not is_staff_role(request.user),
        )
        # ERDF visibility: the EU emblem and the statement of the project's programme period on
        # the pages and participant lists of funded activities.
        for place in ("forums.page", "forums.document"):
            register_fragment(
                place,
                "funding.erdf",
                title=_("European Union"),
                template="funding/fragments/eu_visibility.html",
                context=lambda forum, request: {"project": erdf.project_of_forum(forum)},
                order=1,
            )
        register_fragment(
            "sefex.page",
            "funding.erdf",
            title=_("European Union"),
            template="funding/fragments/eu_visibility.html",
            context=lambda workshop, request: {
                "project": erdf.project_of_programme(workshop.programme_id)
            },
            order=1,
        )
        register_fragment(
            "sefex.workshop",
            "funding",
            title=_("De-minimis aid"),
            template="funding/fragments/workshop_aid.html",
            context=lambda workshop, request: {
                "workshop": workshop,
                "aid": selectors.workshop_aid(workshop)
                if workshop.state in (*Workshop.OPEN_STATES, Workshop.State.SCHEDULED)
                else None,
            },
            visible=lambda request: is_staff_role(request.user),
        )
