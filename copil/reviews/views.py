"""Thin views of the annual review: the funnel, a selector or a service, a template.

Everybody who sees a convention sees and downloads its reviews; writing takes
perms.can_write_review, validating perms.can_validate_review; a form a user may not
use is a 404, for GET and POST alike.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from copil.accounts import perms
from copil.conventions.models import Convention
from copil.governance.enums import BodyKind
from copil.reviews import render as documents
from copil.reviews import selectors, services
from copil.reviews.forms import CreateReviewForm, GeneralForm, ThemeNarrativeForm, TransitionForm
from copil.reviews.models import AnnualReview


def _free_years(convention: Convention, reviews: list[AnnualReview]) -> list[int]:
    taken = {r.year for r in reviews}
    years = selectors.convention_years(convention, timezone.localdate())
    return [y for y in reversed(years) if y not in taken]


@require_http_methods(["GET", "POST"])
def review_list(request: HttpRequest, pk: int) -> HttpResponse:
    convention = perms.get_convention_or_404(
        request.user, pk, queryset=Convention.objects.select_related("termination")
    )
    can_write = perms.can_write_review(request.user, convention)
    if request.method == "POST" and not can_write:
        raise Http404
    reviews = selectors.convention_reviews(convention)
    years = _free_years(convention, reviews)
    form = None
    status = 200
    if can_write:
        form = CreateReviewForm(request.POST or None, years=years)
        if request.method == "POST":
            if form.is_valid():
                try:
                    review = services.create_review(convention, form.cleaned_data["year"])
                except ValidationError as exc:
                    form.add_error("year", exc)
                else:
                    messages.success(
                        request, _("Le bilan %(year)s a été créé.") % {"year": review.year}
                    )
                    return redirect(review.get_absolute_url())
            status = 400
    context = {"convention": convention, "reviews": reviews, "form": form, "years": years}
    return render(request, "reviews/list.html", context, status=status)


def _get_review(request: HttpRequest, pk: int) -> AnnualReview:
    """A review of a convention the user sees (404 otherwise)."""
    return get_object_or_404(
        selectors.review_queryset().filter(convention__in=perms.conventions_for(request.user)),
        pk=pk,
    )


def _render_review(
    request: HttpRequest, review: AnnualReview, status: int = 200, **bound
) -> HttpResponse:
    user = request.user
    convention = review.convention
    can_write = not review.is_locked and perms.can_write_review(user, convention)
    can_validate = not review.is_locked and perms.can_validate_review(user, convention)
    content = selectors.review_document(review)
    forms: dict[str, object] = {}
    general = transition = None
    if can_write:
        narratives = selectors.theme_reviews(review)
        theme_ids = selectors.theme_ids(convention)
        for theme in content.themes:
            theme_id = theme_ids.get(theme.number)
            if theme_id is None:
                continue
            posted = bound.get("theme_form")
            if posted is not None and posted.prefix == theme.anchor:
                forms[theme.anchor] = posted
                continue
            row = narratives.get(theme_id)
            forms[theme.anchor] = ThemeNarrativeForm(
                initial={
                    "theme": theme_id,
                    "version": review.version,
                    "achievements": row.achievements if row else "",
                    "difficulties": row.difficulties if row else "",
                    "outlook": row.outlook if row else "",
                },
                prefix=theme.anchor,
            )
        general = bound.get("general_form") or GeneralForm(
            initial={
                "introduction": review.introduction,
                "conclusion": review.conclusion,
                "version": review.version,
            }
        )
    if review.status == "draft" and can_write:
        transition = bound.get("transition_form") or TransitionForm(
            meetings=selectors.meetings_for_transition(convention, BodyKind.TECHNICAL),
            label=_("Séance du comité technique qui a examiné le bilan"),
        )
    elif review.status == "reviewed" and can_validate:
        transition = bound.get("transition_form") or TransitionForm(
            meetings=selectors.meetings_for_transition(convention, BodyKind.STEERING),
            label=_("Séance du comité de pilotage qui a validé le bilan"),
        )
    context = {
        "review": review,
        "convention": convention,
        "content": content,
        "forms": forms,
        "general_form": general,
        "transition_form": transition,
        "formats": documents.FORMATS,
        "error": bound.get("error"),
    }
    return render(request, "reviews/detail.html", context, status=status)


@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_review(request, _get_review(request, pk))


@require_POST
def review_write(request: HttpRequest, pk: int) -> HttpResponse:
    """The introduction and conclusion, or one theme's narrative ("theme" in the form)."""
    review = _get_review(request, pk)
    if not perms.can_write_review(request.user, review.convention):
        raise Http404
    is_theme = "theme" in request.POST or any(k.endswith("-theme") for k in request.POST)
    if is_theme:
        prefix = next((k[: -len("-theme")] for k in request.POST if k.endswith("-theme")), None)
        form = ThemeNarrativeForm(request.POST, prefix=prefix)
        key = "theme_form"
    else:
        form = GeneralForm(request.POST)
        key = "general_form"
    if form.is_valid():
        data = form.cleaned_data
        try:
            if is_theme:
                services.update_narrative(
                    review,
                    expected_version=data["version"],
                    themes={
                        data["theme"]: {
                            name: data[name] for name in ("achievements", "difficulties", "outlook")
                        }
                    },
                )
            else:
                services.update_narrative(
                    review,
                    expected_version=data["version"],
                    introduction=data["introduction"],
                    conclusion=data["conclusion"],
                )
        except services.ReviewLockedError:
            return _render_review(request, _get_review(request, pk), 400, error=services.LOCKED)
        except services.StaleReviewError as exc:
            # Keep what the user typed; a second save, once checked, replaces the other one.
            posted = request.POST.copy()
            posted[form.add_prefix("version")] = str(exc.current.version)
            form = type(form)(posted, prefix=form.prefix)
            form.is_valid()
            form.add_error(None, exc)
            review = _get_review(request, pk)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Le bilan a été enregistré."))
            anchor = f"#{prefix}" if is_theme and prefix else "#redaction"
            return redirect(review.get_absolute_url() + anchor)
    return _render_review(request, review, status=400, **{key: form})


def _transition(request: HttpRequest, pk: int, validate: bool) -> HttpResponse:
    review = _get_review(request, pk)
    convention = review.convention
    allowed = (
        perms.can_validate_review(request.user, convention)
        if validate
        else perms.can_write_review(request.user, convention)
    )
    if not allowed:
        raise Http404
    kind = BodyKind.STEERING if validate else BodyKind.TECHNICAL
    form = TransitionForm(
        request.POST,
        meetings=selectors.meetings_for_transition(convention, kind),
        label=_("Séance"),
    )
    if form.is_valid():
        try:
            if validate:
                services.validate_review(
                    review, user=request.user, meeting=form.cleaned_data["meeting"]
                )
                done = _("Le bilan est validé ; il est désormais verrouillé.")
            else:
                services.mark_reviewed(
                    review, user=request.user, meeting=form.cleaned_data["meeting"]
                )
                done = _("Le bilan est marqué examiné par le comité technique.")
        except ValidationError as exc:
            return _render_review(
                request, _get_review(request, pk), status=400, error=" ".join(exc.messages)
            )
        messages.success(request, done)
        return redirect(review.get_absolute_url())
    return _render_review(request, review, status=400, transition_form=form)


@require_POST
def review_mark_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, validate=False)


@require_POST
def review_validate(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, validate=True)


@require_GET
def review_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in documents.FORMATS:
        raise Http404
    review = _get_review(request, pk)
    content = selectors.review_document(review)
    data = documents.render(content, fmt)
    response = HttpResponse(data, content_type=documents.CONTENT_TYPES[fmt])
    name = documents.filename(review.convention_id, content, fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
