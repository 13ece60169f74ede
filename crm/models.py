"""Activities with a company and the follow-up tasks they lead to."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Cluster, Company, Contact


class Activity(models.Model):
    """Something the cluster team did with a company: a note, a call, a visit, a mail."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        CALL = "call", _("Call")
        VISIT = "visit", _("Visit")
        MAIL = "mail", _("E-mail")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="activities", verbose_name=_("Company")
    )
    # The cluster whose relationship with the company this is part of: its managers see it.
    # Empty: agency-wide (SEFEX, or recorded before the clusters were kept apart), seen by all.
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("Cluster"),
    )
    kind = models.CharField(_("Kind"), max_length=10, choices=Kind.choices, default=Kind.CALL)
    happened_on = models.DateField(_("Date"))
    topic = models.CharField(_("Topic"), max_length=200)
    text = models.TextField(_("Text"), blank=True)
    contacts = models.ManyToManyField(
        Contact, blank=True, related_name="activities", verbose_name=_("Contacts involved")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("Recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Activity")
        verbose_name_plural = _("Activities")
        ordering = ["-happened_on", "-pk"]
        indexes = [models.Index(fields=["company", "-happened_on"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.topic}"


class Task(models.Model):
    """A follow-up for one member of staff, due on a day; open until marked done."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="crm_tasks", verbose_name=_("Company")
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("Activity"),
    )
    title = models.CharField(_("Task"), max_length=200)
    due_on = models.DateField(_("Due on"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="crm_tasks",
        verbose_name=_("Assigned to"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(_("Done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Task")
        verbose_name_plural = _("Tasks")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["assignee", "due_on"],
                condition=models.Q(done_at__isnull=True),
                name="crm_task_open_by_assignee",
            ),
            models.Index(
                fields=["company"],
                condition=models.Q(done_at__isnull=True),
                name="crm_task_open_by_company",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
