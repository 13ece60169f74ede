"""German dates, one way everywhere: 24.12.2026 and 24.12.2026, 14:30 (templates use the
names, e.g. `|date:"SHORT_DATETIME_FORMAT"`; what is not set here is Django's German)."""

DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y, H:i"
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"
TIME_FORMAT = "H:i"
