"""/log-ind/: Django's login view, landing each role where its work is (unless the login page was asked for by
another page, ?next=): the secretariat on /arbejde/, everyone else (politicians) on /mine/."""

from django.contrib.auth import views as auth_views
from django.urls import reverse

from gentofte_portal.common.forms import LoginForm
from gentofte_portal.common.roles import is_secretariat


class PortalLoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        if is_secretariat(self.request.user):
            return reverse("committees:workspace")
        return reverse("meetings:mine")
