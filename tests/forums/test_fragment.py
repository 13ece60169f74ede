"""The staff company page's section "forums attended", registered through core.fragments."""

from django.test import RequestFactory

from core.fragments import company_sections, render_company_sections
from core.roles import roles_of
from forums import services


def test_company_section_lists_attended_forums(
    forum, make_forum, company_a, company_b, cluster_manager, django_assert_num_queries
):
    other = make_forum(title="Nicht besucht")
    attended = services.registration_create(forum=forum, contact=company_a.contacts.first())
    services.registration_create(forum=other, contact=company_a.contacts.first())
    services.registration_check_in(registration=attended, actor=cluster_manager, early=True)
    request = RequestFactory().get("/")
    request.user = cluster_manager
    section = {s.key: s for s in company_sections()}["forums"]
    roles_of(request.user)  # read once per request before (the navigation), then cached
    with django_assert_num_queries(1):  # one query, however many forums
        section.context(company_a, request)
    sections = {s["key"]: s for s in render_company_sections(company_a, request)}
    html = sections["forums"]["html"]
    assert forum.title in html and "Anna Alpha" in html
    assert "Nicht besucht" not in html
    b_html = {s["key"]: s for s in render_company_sections(company_b, request)}["forums"]["html"]
    assert forum.title not in b_html
