"""Pages that compose several apps: the front page (task committees, open calls, upcoming meetings), a committee's
page (its members and mandates from committees, its meetings from meetings) and the accessibility statement. The
domain apps never import this package; it imports them."""
