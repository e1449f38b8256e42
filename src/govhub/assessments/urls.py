from django.urls import URLPattern, URLResolver, path

from . import views
from .models import AssessmentKind

app_name = "assessments"

_KINDS = (
    ("interop", "interoperability", AssessmentKind.INTEROPERABILITY),
    ("ai", "ai-act", AssessmentKind.AI_ACT),
)

urlpatterns: list[URLPattern | URLResolver] = []
for _name, _segment, _kind in _KINDS:
    _extra = {"kind": str(_kind)}
    urlpatterns += [
        path(f"<uuid:solution_id>/{_segment}/", views.start, _extra, name=_name),
        path(f"<uuid:solution_id>/{_segment}/check/", views.check, _extra, name=f"{_name}-check"),
        path(
            f"<uuid:solution_id>/{_segment}/report/", views.report, _extra, name=f"{_name}-report"
        ),
        path(
            f"<uuid:solution_id>/{_segment}/history/",
            views.history,
            _extra,
            name=f"{_name}-history",
        ),
        path(
            f"<uuid:solution_id>/{_segment}/<slug:section_key>/",
            views.section,
            _extra,
            name=f"{_name}-section",
        ),
    ]
