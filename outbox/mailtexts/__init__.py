"""Mail texts staff edit: per mail kind and language a subject, a text part and an HTML part
written in Markdown, with the kind's placeholders (`{{ forum.title }}`).

The shipped templates under templates/emails/ stay the default; a saved version takes their
place until staff reset it. Every save is a new version row (outbox.models.MailText), so the
history shows who changed what when. The header, the sender's imprint and the opt-out link
come from the shipped layout and cannot be edited away.

- placeholders.py  which placeholders a kind offers, checking a text, filling them in
- rendering.py     a saved or draft text into subject, text and HTML (used by render_mail)
- services.py      save, reset, test send (the writes)
- selectors.py     the versions in force, the history
- views.py, forms.py, urls.py  the cluster manager's pages under /mail/texts/
"""
