"""Light formatting for text sections: Markdown in, sanitised HTML out.

Staff may use headings, lists, links and bold; nothing else survives. nh3 (Ammonia) removes every tag and
attribute not listed, so no HTML typed by a user reaches a page.
"""

import markdown as md
import nh3

ALLOWED_TAGS = {"h3", "h4", "h5", "p", "br", "ul", "ol", "li", "strong", "em", "a", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> str:
    """Render Markdown to HTML that is safe to show. Headings start at h3, below the page's own h1/h2."""
    if not text.strip():
        return ""
    html = md.markdown(text, extensions=["sane_lists"], output_format="html")
    # Markdown's "#" is h1; in a section it is a sub-heading, so shift every level down by two.
    for level in range(6, 0, -1):
        new = min(level + 2, 5)
        html = html.replace(f"<h{level}>", f"<h{new}>").replace(f"</h{level}>", f"</h{new}>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
