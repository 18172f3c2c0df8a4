"""Context processor of the reading room (optional but recommended).

Add ``"archive.context_processors.reading_room"`` to the template
context processors. ``base.html`` works without it (``{% activate_digits %}``
does the same), but templates rendered on their own with a request
(fragments, e-mails) then get the reader's digit style too.
"""
from archive.formatting import activate_digit_style, digit_style_for
from archive.links import search_base_url


def reading_room(request):
    style = digit_style_for(request)
    activate_digit_style(style)
    return {
        "digit_style": style,
        "search_action": search_base_url(),
    }
