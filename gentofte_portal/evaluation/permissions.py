"""Who may see and run the evaluations: staff in "Sekretariat" only. Members answer through their signed link,
without an account; the public sees a committee's summary only once staff publish it."""

from committees.permissions import is_secretariat


def can_manage_evaluation(user) -> bool:
    return is_secretariat(user)
