from django.conf import settings


def portal(request):
    """What every page's header and footer need."""
    return {"municipality_name": settings.PORTAL_MUNICIPALITY_NAME}
