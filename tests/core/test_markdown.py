from core.markdown import markdown_to_html


def test_markdown_is_rendered_with_tables_and_links():
    html = markdown_to_html(
        "# Titel\n\n**fett** [Seite](https://example.org)\n\n| a |\n|---|\n| 1 |"
    )
    assert "<h1>Titel</h1>" in html
    assert "<strong>fett</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">Seite</a>' in html
    assert "<td>1</td>" in html


def test_raw_html_and_script_links_never_reach_the_reader():
    html = markdown_to_html(
        '<script>alert(1)</script> <a onclick="x()">a</a> [b](javascript:alert(1))'
    )
    # Raw HTML arrives as visible text, never as markup.
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "<a onclick" not in html
    assert 'href="javascript' not in html
