from django import forms
from django.utils.translation import gettext_lazy as _

from gentofte_portal.common.validators import no_control_characters

from .defaults import Choice


class AnswerForm(forms.Form):
    """One required choice per statement (a radio group each) and an optional free text."""

    free_text = forms.CharField(
        label=_("Har du andre kommentarer til arbejdet i opgaveudvalget?"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[no_control_characters],
    )

    def __init__(self, *args, statements, **kwargs):
        super().__init__(*args, **kwargs)
        self.statements = list(statements)
        for statement in self.statements:
            self.fields[f"udsagn_{statement.pk}"] = forms.ChoiceField(
                label=statement.text,
                choices=Choice.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Vælg et svar (eller «Ved ikke»).")},
            )
        # The statements first, the free text last.
        self.order_fields([f"udsagn_{s.pk}" for s in self.statements] + ["free_text"])

    def statement_fields(self):
        return [(statement, self[f"udsagn_{statement.pk}"]) for statement in self.statements]

    def choices(self) -> dict[int, str]:
        return {s.pk: self.cleaned_data[f"udsagn_{s.pk}"] for s in self.statements}


class StatementsForm(forms.Form):
    """The survey's statements while it is a draft: each can be reworded or emptied (removed), and up to three
    added."""

    NEW = 3

    def __init__(self, *args, statements, **kwargs):
        super().__init__(*args, **kwargs)
        self.statements = list(statements)
        for number, statement in enumerate(self.statements, start=1):
            self.fields[f"s_{statement.pk}"] = forms.CharField(
                label=_("Udsagn %(n)s") % {"n": number},
                required=False,
                max_length=300,
                initial=statement.text,
                validators=[no_control_characters],
            )
        for n in range(1, self.NEW + 1):
            self.fields[f"new_{n}"] = forms.CharField(
                label=_("Nyt udsagn %(n)s") % {"n": n},
                required=False,
                max_length=300,
                validators=[no_control_characters],
            )

    def texts(self) -> dict[int, str]:
        return {s.pk: self.cleaned_data[f"s_{s.pk}"] for s in self.statements}

    def new(self) -> list[str]:
        return [self.cleaned_data[f"new_{n}"] for n in range(1, self.NEW + 1)]
