"""The provider's groups mapped to the portal's roles (settings OIDC_ROLE_*), a pure function of the claims."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Roles:
    secretariat: bool = False
    politician: bool = False
    admin: bool = False

    def any(self) -> bool:
        return self.secretariat or self.politician or self.admin

    def names(self) -> list[str]:
        return [name for name in ("secretariat", "politician", "admin") if getattr(self, name)]


def groups_in(claims: dict) -> set[str]:
    """The groups claim as a set of strings; a provider may send one group as a plain string."""
    value = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(value, str):
        value = value.split()
    return {str(group) for group in value}


def roles_from_claims(claims: dict) -> Roles:
    groups = groups_in(claims)
    return Roles(
        secretariat=bool(groups & set(settings.OIDC_ROLE_SECRETARIAT)),
        politician=bool(groups & set(settings.OIDC_ROLE_POLITICIAN)),
        admin=bool(groups & set(settings.OIDC_ROLE_ADMIN)),
    )
