"""Mail texts staff edit: per mail kind and language a subject, a text part and an HTML part
written in Markdown, with the kind's placeholders (`{{ forum.title }}`).

The shipped templates under templates/emails/ stay the default; a saved version takes their
place until staff reset it. A text is agency-wide or a cluster's: a mail signed by a cluster
(a kind with `per_cluster`) gets that cluster's text, else the agency-wide one it inherits.
Every save is a new version row (outbox.models.MailText), so the history shows who changed
what when. The header, the sender's imprint and the opt-out link
come from the shipped layout and cannot be edited away.

- catalogue.py     the editable kinds and their placeholders, from outbox.catalogue
- placeholders.py  checking a text's placeholders, reading and filling in their values
- rendering.py     a saved or draft text into subject, text and HTML (used by render_mail)
- preview.py       a kind rendered with its sample data; starter.py the editor's first draft
- services.py      save, reset, test send (the writes)
- selectors.py     the version in force (cached per cluster), the history, the list
- scope.py         whose text a page shows (`?cluster=`), and who may see it
- views.py, forms.py  the cluster manager's pages under /mail/texts/ (routes in outbox/urls.py)
"""
