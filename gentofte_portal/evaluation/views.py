"""The member's survey page (signed link, no account) and the staff's pages in the workspace."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from committees.models import Term
from gentofte_portal.common.confirm import confirm_page, is_confirmed
from gentofte_portal.common.forms import add_service_errors
from gentofte_portal.common.permissions import staff_required
from gentofte_portal.common.validators import without_control_characters

from . import selectors, services
from .defaults import MIN_RESPONDENTS
from .exports import results_csv
from .forms import AnswerForm, StatementsForm
from .models import Survey
from .permissions import can_manage_evaluation
from .tokens import invitation_from_token


def _private(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The link is personal: never passed on to another site (same-origin keeps the Origin header CSRF checks need;
    # no-referrer made Chromium send "Origin: null", and the answer was refused).
    response["Referrer-Policy"] = "same-origin"
    return response


# --- The member's survey ---------------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token):
    invitation = invitation_from_token(token)
    if invitation is None or invitation.survey.is_draft:
        return _private(render(request, "evaluation/invalid.html", status=404))
    survey = invitation.survey
    if invitation.answered:
        status = 409 if request.method == "POST" else 200
        return _private(render(request, "evaluation/answered.html", {"survey": survey}, status=status))
    form = AnswerForm(request.POST or None, statements=survey.statements.all())
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.answer_submit(
                    invitation=invitation, choices=form.choices(), free_text=form.cleaned_data["free_text"]
                )
            except services.AlreadyAnswered:  # a second tab sent it in the meantime
                return _private(render(request, "evaluation/answered.html", {"survey": survey}, status=409))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return _private(render(request, "evaluation/thanks.html", {"survey": survey}))
        status = 400
    return _private(
        render(
            request,
            "evaluation/answer.html",
            {"survey": survey, "form": form, "minimum": MIN_RESPONDENTS},
            status=status,
        )
    )


# --- Staff -----------------------------------------------------------------------------------------------------------

staff = staff_required(can_manage_evaluation)


def _survey(pk) -> Survey:
    return get_object_or_404(Survey.objects.select_related("committee__term"), pk=pk)


@staff
@never_cache
def survey_list(request):
    return render(
        request,
        "evaluation/staff/index.html",
        {"surveys": list(selectors.surveys_for_workspace()), "minimum": MIN_RESPONDENTS},
    )


@staff
@never_cache
@require_http_methods(["GET", "POST"])
def survey_detail(request, pk):
    survey = _survey(pk)
    statements = list(survey.statements.all())
    form = StatementsForm(request.POST or None, statements=statements) if survey.is_draft else None
    status = 200
    if request.method == "POST":
        if form is None:
            return redirect("evaluation:detail", survey.pk)
        if form.is_valid():
            try:
                services.survey_statements_update(survey=survey, texts=form.texts(), new=form.new())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Udsagnene er gemt."))
                return redirect("evaluation:detail", survey.pk)
        status = 400
    results = None if survey.is_draft else selectors.results_for_survey(survey=survey, free_text=True)
    return render(
        request,
        "evaluation/staff/detail.html",
        {
            "survey": survey,
            "statements": statements,
            "form": form,
            "figures": selectors.invitation_figures(survey=survey),
            "results": results,
            "minimum": MIN_RESPONDENTS,
        },
        status=status,
    )


@staff
@require_http_methods(["GET", "POST"])
def survey_send(request, pk):
    survey = _survey(pk)
    back = redirect("evaluation:detail", survey.pk).url
    if is_confirmed(request):
        try:
            count = services.survey_send(survey=survey)
        except ValidationError as exc:
            return confirm_page(
                request,
                title=_("Send evalueringen"),
                points=[],
                button="",
                cancel_url=back,
                refusal=" ".join(exc.messages),
                status=400,
            )
        messages.success(request, _("Evalueringen er sendt til %(n)s medlemmer.") % {"n": count})
        return redirect(back)
    return confirm_page(
        request,
        title=_("Send evalueringen til %(committee)s") % {"committee": survey.committee.name},
        points=[
            _("Hvert medlem af udvalget, politikere og borgere, får en e-mail med sit personlige link."),
            _("Udsagnene kan ikke ændres, når evalueringen er sendt."),
            _("Svarene er anonyme: portalen gemmer kun, om et link er brugt."),
        ],
        button=_("Send evalueringen"),
        cancel_url=back,
        refusal="" if survey.is_draft else _("Evalueringen er allerede sendt."),
        danger=False,
    )


@staff
@require_http_methods(["GET", "POST"])
def survey_remind(request, pk):
    survey = _survey(pk)
    back = redirect("evaluation:detail", survey.pk).url
    figures = selectors.invitation_figures(survey=survey)
    if is_confirmed(request) and not survey.is_draft and figures["waiting"]:
        count = services.survey_remind(survey=survey)
        messages.success(request, _("Påmindelsen er sendt til %(n)s medlemmer.") % {"n": count})
        return redirect(back)
    refusal = ""
    if survey.is_draft:
        refusal = _("Evalueringen er ikke sendt endnu.")
    elif not figures["waiting"]:
        refusal = _("Alle har svaret.")
    return confirm_page(
        request,
        title=_("Send en påmindelse"),
        points=[
            _("%(n)s medlemmer, der ikke har svaret, får en påmindelse med deres link.") % {"n": figures["waiting"]}
        ],
        button=_("Send påmindelsen"),
        cancel_url=back,
        refusal=refusal,
        danger=False,
    )


@staff
@require_POST
def survey_publish(request, pk):
    survey = _survey(pk)
    publish = request.POST.get("offentliggoer") == "ja"
    try:
        services.survey_publish(survey=survey, publish=publish)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Resultaterne vises nu på udvalgets side.")
            if publish
            else _("Resultaterne er fjernet fra udvalgets side."),
        )
    return redirect("evaluation:detail", survey.pk)


def _csv(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff
def survey_csv(request, pk):
    survey = _survey(pk)
    results = selectors.results_for_survey(survey=survey)
    return _csv(results_csv(results, scope=survey.committee.name), f"evaluering-{survey.committee.slug}.csv")


def _term(request) -> Term | None:
    slug = without_control_characters(request.GET.get("valgperiode", ""))[:50]
    return Term.objects.filter(slug=slug).first() if slug else None


@staff
@never_cache
def results_across(request):
    term = _term(request)
    surveys = selectors.surveys_for_workspace().filter(status=Survey.Status.SENT)
    if term is not None:
        surveys = surveys.filter(committee__term=term)
    return render(
        request,
        "evaluation/staff/across.html",
        {
            "term": term,
            "terms": list(selectors.terms_with_surveys()),
            "results": selectors.results_across(term=term),
            "surveys": list(surveys),
            "minimum": MIN_RESPONDENTS,
        },
    )


@staff
def results_across_csv(request):
    term = _term(request)
    scope = str(term) if term else _("Alle udvalg")
    name = f"evaluering-{slugify(term.slug) if term else 'alle'}.csv"
    return _csv(results_csv(selectors.results_across(term=term), scope=scope), name)
