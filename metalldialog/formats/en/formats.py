"""English dates, one way everywhere: 24 Dec 2026 and 24 Dec 2026, 14:30 (the 24-hour clock
and the day before the month, as the German view; what is not set here is Django's English)."""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
