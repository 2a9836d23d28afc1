"""Light formatting for text sections: Markdown in, sanitised HTML out.

Staff may use headings, lists, links and bold; nothing else survives. nh3 (Ammonia) removes every tag and
attribute not listed, so no HTML typed by a user reaches a page.
"""

import markdown as md
import nh3

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "a", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str, *, first_heading: int = 3) -> str:
    """Render Markdown to HTML that is safe to show. Markdown's "#" becomes ``h{first_heading}``: h3 in a section
    below the page's own h1/h2, h2 on a page of its own. Deeper levels stop at h5."""
    if not text.strip():
        return ""
    html = md.markdown(text, extensions=["sane_lists"], output_format="html")
    shift = first_heading - 1
    for level in range(6, 0, -1):
        new = min(level + shift, 5)
        html = html.replace(f"<h{level}>", f"<h{new}>").replace(f"</h{level}>", f"</h{new}>")
    headings = {f"h{level}" for level in range(first_heading, 6)}
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS | headings,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
