"""The embedded mail backend of `make run`: every mail is kept as a file and printed."""

from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class RecordingConsoleBackend(FileBackend):
    """Writes each mail to EMAIL_FILE_PATH (one file per connection) and to stdout."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._console = ConsoleBackend(*args, **kwargs)

    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        self._console.send_messages(email_messages)
        return sent
