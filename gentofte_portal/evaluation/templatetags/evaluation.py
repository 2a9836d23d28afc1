"""The published summary on the public committee page (gentofte_portal.pages), which cannot import this app (the
two are independent in the layers contract): the page's template loads this tag. No query for a committee that
has not ended."""

from django import template

from committees.models import Committee

from .. import selectors
from ..defaults import MIN_RESPONDENTS

register = template.Library()


@register.inclusion_tag("evaluation/includes/public_summary.html")
def evaluation_summary(committee):
    if committee.status != Committee.Status.CLOSED:
        return {"survey": None}
    survey = selectors.survey_published(committee=committee)
    if survey is None:
        return {"survey": None}
    return {"survey": survey, "results": selectors.results_for_survey(survey=survey), "minimum": MIN_RESPONDENTS}
