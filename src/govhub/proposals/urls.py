from django.urls import path

from . import views

app_name = "proposals"
urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("phase/<uuid:phase_id>/", views.proposal_edit, name="edit"),
    path("phase/<uuid:phase_id>/received/", views.phase_proposals, name="phase"),
    path("phase/<uuid:phase_id>/open/", views.proposals_open, name="open"),
    path("<uuid:public_id>/", views.proposal_detail, name="detail"),
    path("<uuid:public_id>/withdraw/", views.proposal_withdraw, name="withdraw"),
    path("<uuid:public_id>/history/", views.proposal_history, name="history"),
    path("receipts/<uuid:public_id>/", views.receipt_detail, name="receipt"),
    path("receipts/<uuid:public_id>/receipt.json", views.receipt_json, name="receipt_json"),
    path("files/<uuid:public_id>/", views.attachment_download, name="attachment"),
]
