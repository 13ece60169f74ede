"""A company's yearly SME figures and its holdings in other enterprises."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .organisations import Company, SmeClass

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]
NOT_NEGATIVE = [MinValueValidator(Decimal(0))]


class SmeFigures(models.Model):
    """A company's figures for one fiscal year and the SME class that follows from them."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="sme_figures", verbose_name=_("Company")
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("Fiscal year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    staff_units = models.DecimalField(
        _("Staff (annual work units)"), max_digits=9, decimal_places=2, validators=NOT_NEGATIVE
    )
    turnover = models.DecimalField(
        _("Annual turnover (EUR)"), max_digits=15, decimal_places=2, validators=NOT_NEGATIVE
    )
    balance_sheet = models.DecimalField(
        _("Balance sheet total (EUR)"), max_digits=15, decimal_places=2, validators=NOT_NEGATIVE
    )
    public_share = models.DecimalField(
        _("Share held by public bodies (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=PERCENT,
    )
    # Art. 6(2): consolidated accounts replace the sum of the company and what it controls.
    consolidated = models.BooleanField(
        _("consolidated accounts"),
        default=False,
        help_text=_(
            "The figures are the consolidated accounts of the company and the enterprises it "
            "controls; they replace the sum of their own figures."
        ),
    )
    # Computed by services from this and the earlier years (two-period rule).
    size_class = models.CharField(
        _("Class by this year's figures"), max_length=6, choices=SmeClass.choices, editable=False
    )
    sme_class = models.CharField(
        _("SME class"), max_length=6, choices=SmeClass.choices, editable=False
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["company", "-fiscal_year"]
        verbose_name = _("SME figures")
        verbose_name_plural = _("SME figures")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "fiscal_year"], name="sme_figures_one_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(public_share__gte=0) & models.Q(public_share__lte=100),
                name="sme_figures_public_share_percent",
            ),
        ]

    def __str__(self):
        return f"{self.company} {self.fiscal_year}"


class SmeHolding(models.Model):
    """A holding between the company and another enterprise in one fiscal year.

    Partner enterprises (25 % or more, not linked) count pro rata, linked ones in full.
    The other enterprise is either a company of the directory (its figures of the same
    year are used) or named here with its own figures.
    """

    class Kind(models.TextChoices):
        PARTNER = "partner", _("Partner enterprise")
        LINKED = "linked", _("Linked enterprise")

    class Direction(models.TextChoices):
        HOLDS = "holds", _("The company holds a share in it")
        HELD_BY = "held_by", _("It holds a share in the company")

    class Control(models.TextChoices):
        """The forms of control of annex Art. 3(3) of Recommendation 2003/361/EC."""

        VOTES = "votes", _("Majority of the voting rights")
        BOARD = "board", _("Right to appoint or remove a majority of the board")
        CONTRACT = "contract", _("Dominant influence by contract or statutes")
        AGREEMENT = "agreement", _("Majority of the votes through an agreement")

    figures = models.ForeignKey(
        SmeFigures, on_delete=models.CASCADE, related_name="holdings", verbose_name=_("Year")
    )
    kind = models.CharField(_("Kind"), max_length=7, choices=Kind.choices)
    direction = models.CharField(_("Direction"), max_length=7, choices=Direction.choices)
    share = models.DecimalField(
        _("Share of capital or votes (%)"),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT,
        help_text=_("The greater of the share of capital and the share of voting rights."),
    )
    control = models.CharField(
        _("Form of control"),
        max_length=10,
        choices=Control.choices,
        blank=True,
        help_text=_("For a linked enterprise: how the control is exercised."),
    )
    investor_exception = models.BooleanField(
        _("investor named in Art. 3(2)"),
        default=False,
        help_text=_(
            "Public investment corporation, venture capital company, business angel, "
            "university or research centre, institutional investor or small autonomous local "
            "authority: up to 50 percent without control, the enterprise stays autonomous."
        ),
    )
    other_company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sme_holdings_in",
        verbose_name=_("Enterprise in the directory"),
    )
    other_name = models.CharField(_("Other enterprise"), max_length=200, blank=True)
    staff_units = models.DecimalField(
        _("Staff (annual work units)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    turnover = models.DecimalField(
        _("Annual turnover (EUR)"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    balance_sheet = models.DecimalField(
        _("Balance sheet total (EUR)"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )

    class Meta:
        ordering = ["figures", "-share"]
        verbose_name = _("Holding")
        verbose_name_plural = _("Holdings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(share__gte=0) & models.Q(share__lte=100),
                name="sme_holding_share_percent",
            ),
            models.CheckConstraint(
                condition=~models.Q(other_company__isnull=True, other_name=""),
                name="sme_holding_names_the_other",
            ),
        ]

    def __str__(self):
        return f"{self.other_company or self.other_name} ({self.share} %)"
