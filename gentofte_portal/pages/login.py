"""/log-ind/: Django's login view (after the municipality's own sign-in, when one is configured), landing each role where its work is (unless the login page was asked for by
another page, ?next=): the secretariat on /arbejde/, everyone else (politicians) on /mine/."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse

from gentofte_portal.common.forms import LoginForm
from gentofte_portal.common.roles import is_secretariat


class PortalLoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        """With the municipality's provider configured (gentofte_portal.sso) its sign-in comes first."""
        return super().get_context_data(
            oidc_enabled=settings.OIDC_ENABLED,
            oidc_label=settings.OIDC_LOGIN_LABEL,
            oidc_local_staff_disabled=settings.OIDC_ENABLED and settings.OIDC_DISABLE_LOCAL_STAFF_LOGIN,
            **kwargs,
        )

    def get_default_redirect_url(self):
        if is_secretariat(self.request.user):
            return reverse("committees:workspace")
        return reverse("meetings:mine")
