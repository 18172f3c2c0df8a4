"""python manage.py retag — the short name of ``retag_articles``."""
from search.management.commands.retag_articles import Command

__all__ = ["Command"]
