"""Opgaveudvalgsportalen: the Gentofte model's committees, mandates, recruitment and meetings."""

from .celery import app as celery_app

__all__ = ("celery_app",)
