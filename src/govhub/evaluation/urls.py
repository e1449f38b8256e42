from django.urls import path

from . import views

app_name = "evaluation"

_C = "challenges/<uuid:challenge_id>/"
_P = "phases/<uuid:phase_id>/"
_A = "assignments/<uuid:assignment_id>/"

urlpatterns = [
    path("mine/", views.my_assignments, name="mine"),
    # The buyers: the lead runs it, co-buyers read it.
    path(_C, views.challenge_overview, name="challenge"),
    path(_C + "outcome/", views.outcome, name="outcome"),
    path(_P, views.phase_evaluation, name="phase"),
    path(_P + "evaluators/", views.evaluator_assign, name="assign"),
    path(_P + "results/", views.phase_results, name="results"),
    path(_P + "proposals/<uuid:proposal_id>/", views.consensus, name="consensus"),
    path(_A + "remove/", views.evaluator_unassign, name="unassign"),
    # The evaluator.
    path(_A, views.assignment_detail, name="assignment"),
    path(_A + "declaration/", views.declaration, name="declaration"),
    path(_A + "proposals/<uuid:proposal_id>/", views.score, name="score"),
    # The company.
    path(_C + "your-results/", views.company_results, name="company_results"),
    # Pilots.
    path(_P + "pilots/", views.pilot_phase, name="pilots"),
    path(_P + "pilots/<uuid:proposal_id>/", views.pilot_plan, name="pilot_plan"),
    path("pilot-plans/<uuid:plan_id>/indicators/", views.pilot_kpi_add, name="kpi_add"),
    path("pilot-plans/<uuid:plan_id>/agree/", views.pilot_plan_agree, name="pilot_agree"),
    path("pilot-plans/<uuid:plan_id>/decision/", views.pilot_decide, name="pilot_decide"),
    path("indicators/<uuid:kpi_id>/result/", views.pilot_kpi_result, name="kpi_result"),
    path("indicators/<uuid:kpi_id>/remove/", views.pilot_kpi_remove, name="kpi_remove"),
]
