from django.urls import path

from . import views

app_name = "challenges"

_C = "<uuid:public_id>/"
_P = _C + "phases/<uuid:phase_id>/"

urlpatterns = [
    path("", views.challenge_list, name="list"),
    path("new/", views.challenge_create, name="create"),
    path("from-need/<uuid:need_id>/", views.challenge_create_from_need, name="create_from_need"),
    path("mine/", views.my_challenges, name="mine"),
    path(_C, views.challenge_detail, name="detail"),
    path(_C + "manage/", views.manage, name="manage"),
    path(_C + "edit/", views.challenge_edit, name="edit"),
    path(_C + "publish/", views.publish, name="publish"),
    path(_C + "cancel/", views.cancel, name="cancel"),
    path(_C + "complete/", views.complete, name="complete"),
    path(_C + "buyers/", views.buyers, name="buyers"),
    path(_C + "buyers/<uuid:buyer_id>/", views.buyer_edit, name="buyer_edit"),
    path(_C + "buyers/<uuid:buyer_id>/remove/", views.buyer_remove, name="buyer_remove"),
    path(_C + "documents/<uuid:document_id>/", views.document_download, name="document"),
    path(_C + "clarifications/", views.clarification_queue, name="clarifications"),
    path(
        _C + "clarifications/<uuid:clarification_id>/",
        views.clarification_answer,
        name="clarification_answer",
    ),
    path(_C + "phases/new/", views.phase_add, name="phase_add"),
    path(_P + "edit/", views.phase_edit, name="phase_edit"),
    path(_P + "remove/", views.phase_remove, name="phase_remove"),
    path(_P + "move/", views.phase_move, name="phase_move"),
    path(_P + "criteria/", views.criteria, name="criteria"),
    path(_P + "documents/", views.documents, name="documents"),
    path(
        _P + "documents/<uuid:document_id>/remove/",
        views.document_remove,
        name="document_remove",
    ),
    path(_P + "deadline/", views.deadline_change, name="deadline"),
    path(_P + "ask/", views.clarification_ask, name="ask"),
    path(_P + "<str:action>/", views.phase_action, name="phase_action"),
]
