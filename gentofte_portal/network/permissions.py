"""Who may see and invite the network's members: the Sekretariat only (members' data is personal)."""

from gentofte_portal.common.roles import is_secretariat


def can_use_network(user) -> bool:
    return is_secretariat(user)
