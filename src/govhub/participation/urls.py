from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "participation"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.process_list, name="list"),
    path("new/", views.process_create, name="create"),
    path("profile/", views.profile, name="profile"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("<uuid:public_id>/", views.process_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.process_edit, name="edit"),
    path("<uuid:public_id>/open/", views.process_open, name="open"),
    path("<uuid:public_id>/close/", views.process_close, name="close"),
    path("<uuid:public_id>/results/", views.process_results, name="results"),
    path("<uuid:public_id>/ideas/new/", views.idea_create, name="idea_create"),
    path("<uuid:public_id>/ideas/similar/", views.idea_similar, name="idea_similar"),
    path("ideas/<uuid:public_id>/", views.idea_detail, name="idea"),
    path("ideas/<uuid:public_id>/edit/", views.idea_edit, name="idea_edit"),
    path("ideas/<uuid:public_id>/support/", views.idea_support, name="idea_support"),
    path("ideas/<uuid:public_id>/comment/", views.comment_create, name="comment"),
    path("ideas/<uuid:public_id>/report/", views.report_create, name="report"),
    path("ideas/<uuid:public_id>/hide/", views.content_hide, name="hide"),
    path("ideas/<uuid:public_id>/answer/", views.idea_answer, name="answer"),
    path("ideas/<uuid:public_id>/merge/", views.idea_merge, name="merge"),
    path("ideas/<uuid:public_id>/result/", views.result_edit, name="result"),
    path("ideas/<uuid:public_id>/milestone/", views.milestone_add, name="milestone_add"),
    path("milestones/<uuid:public_id>/done/", views.milestone_done, name="milestone_done"),
    path("reports/<uuid:public_id>/dismiss/", views.report_dismiss, name="report_dismiss"),
    path("attachments/<uuid:public_id>/", views.attachment_download, name="attachment"),
]
