"""The curated lists a profile chooses from (stored codes, German labels through gettext).

Codes are stable: a label may change, the stored code does not. Add an entry at the end of a
list rather than renaming one.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    PROCESS = "process", _("Process")
    MATERIAL = "material", _("Material")
    CERTIFICATION = "certification", _("Certification")


class Process(models.TextChoices):
    CNC_TURNING = "cnc_turning", _("CNC turning")
    CNC_MILLING = "cnc_milling", _("CNC milling")
    GRINDING = "grinding", _("Grinding")
    EDM = "edm", _("Electrical discharge machining")
    LASER_CUTTING = "laser_cutting", _("Laser cutting")
    WATERJET = "waterjet", _("Water-jet cutting")
    SHEET_METAL = "sheet_metal", _("Sheet-metal working")
    BENDING = "bending", _("Bending and forming")
    STAMPING = "stamping", _("Stamping and punching")
    DEEP_DRAWING = "deep_drawing", _("Deep drawing")
    FORGING = "forging", _("Forging")
    CASTING = "casting", _("Casting")
    WELDING = "welding", _("Welding")
    ADDITIVE = "additive", _("Additive manufacturing (3D printing)")
    HEAT_TREATMENT = "heat_treatment", _("Heat treatment")
    COATING = "coating", _("Powder and wet coating")
    ELECTROPLATING = "electroplating", _("Electroplating")
    ASSEMBLY = "assembly", _("Assembly")
    TOOL_MAKING = "tool_making", _("Tool and mould making")
    DESIGN = "design", _("Design and engineering")
    MEASURING = "measuring", _("Measuring and testing")


class Material(models.TextChoices):
    STEEL = "steel", _("Steel")
    STAINLESS = "stainless", _("Stainless steel")
    TOOL_STEEL = "tool_steel", _("Tool steel")
    CAST_IRON = "cast_iron", _("Cast iron")
    ALUMINIUM = "aluminium", _("Aluminium")
    COPPER = "copper", _("Copper")
    BRASS = "brass", _("Brass and bronze")
    TITANIUM = "titanium", _("Titanium")
    NICKEL_ALLOYS = "nickel_alloys", _("Nickel-based alloys")
    MAGNESIUM = "magnesium", _("Magnesium")
    PLASTICS = "plastics", _("Plastics")
    COMPOSITES = "composites", _("Composites")


class Certification(models.TextChoices):
    ISO_9001 = "iso_9001", "ISO 9001"
    IATF_16949 = "iatf_16949", "IATF 16949"
    ISO_14001 = "iso_14001", "ISO 14001"
    ISO_45001 = "iso_45001", "ISO 45001"
    ISO_50001 = "iso_50001", "ISO 50001"
    EN_9100 = "en_9100", "EN 9100"
    ISO_13485 = "iso_13485", "ISO 13485"
    ISO_3834 = "iso_3834", "DIN EN ISO 3834"
    EN_1090 = "en_1090", "DIN EN 1090"
    VDA_6_4 = "vda_6_4", "VDA 6.4"


CHOICES_BY_KIND = {
    Kind.PROCESS: Process,
    Kind.MATERIAL: Material,
    Kind.CERTIFICATION: Certification,
}


def label(kind: str, code: str) -> str:
    """The shown name of a stored code (the code itself if the list dropped it)."""
    choices = CHOICES_BY_KIND.get(kind)
    try:
        return str(choices(code).label) if choices else code
    except ValueError:
        return code
