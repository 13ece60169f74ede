"""How the app must not speak German: addressing the reader with "du"."""

import re

# "du" in every case, possessives and the plural included: the app says "Sie".
INFORMAL_PRONOUN = re.compile(
    r"\b(du|dich|dir|dein|deine|deinem|deinen|deiner|deines|euch|euer|eure|euren|eurem|eurer)\b",
    re.IGNORECASE,
)
# The informal imperatives library catalogues start their sentences with ("Gib eine gültige
# URL ein.", "Bitte wähle nur eine aus.").
INFORMAL_IMPERATIVE = re.compile(
    r"(?:^|[.!?:]\s+|\bbitte\s+)(gib|wähle|versuche|überprüfe|stelle|melde|klicke?|füge|lade|"
    r"gehe|kontaktiere|nutze|verwende|bestätige|ändere|öffne|beachte|prüfe|setze|entferne|lass|"
    r"exportiere|folge|erstelle|korrigiere)\b",
    re.IGNORECASE,
)


def informal(text: str) -> str | None:
    """The first informal word of `text`, or None."""
    match = INFORMAL_PRONOUN.search(text) or INFORMAL_IMPERATIVE.search(text)
    return match.group(0) if match else None
