"""Every rule and refusal of the participation services; a refusal changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from govhub.core.models import AuditEvent
from govhub.notifications.models import Notification
from govhub.organisations.models import Membership, OrganisationKind
from govhub.participation import permissions, selectors, services
from govhub.participation.models import (
    Comment,
    Eligibility,
    Idea,
    IdeaAnswer,
    IdeaMerge,
    IdeaState,
    ParticipatoryProcess,
    ProcessStatus,
    ReportStatus,
    Result,
    Support,
)
from govhub.participation.services.common import RATE_LIMITS, clean_text
from govhub.reference.models import NutsRegion

from .fixtures import today_phases

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%fake but well-formed enough\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def audit_count() -> int:
    return AuditEvent.objects.count()


# --- Processes -------------------------------------------------------------------------------


def test_buyer_drafts_and_opens_a_process_with_its_strategy(make_process, buyer):
    process = make_process(open_it=False)
    assert process.status == ProcessStatus.DRAFT
    assert process.category_list == ["Mobility", "Green spaces"]
    assert [p.kind for p in process.phases.all()] == ["ideas", "discussion"]
    services.process_open(actor=buyer, process=process)
    process.refresh_from_db()
    assert process.status == ProcessStatus.OPEN
    assert process.open_at is not None
    assert AuditEvent.objects.filter(action="participation.process.open").count() == 1


def test_only_buyers_of_the_authority_create_processes(authority, outsider, cobuyer):
    before = ParticipatoryProcess.objects.count()
    for actor in (outsider, cobuyer):
        with pytest.raises(NotAllowed):
            services.process_create(
                actor=actor,
                authority=authority,
                title="T",
                scope="S",
                goals="G",
                commitment="C",
                phases=today_phases("ideas"),
            )
    assert ParticipatoryProcess.objects.count() == before


def test_process_needs_its_strategy_and_an_ideas_phase(authority, buyer):
    today = timezone.localdate()
    with pytest.raises(InvalidInput) as error:
        services.process_create(
            actor=buyer,
            authority=authority,
            title="",
            scope="",
            goals="",
            commitment="",
            eligibility=Eligibility.RESIDENTS,
            phases=[("discussion", today, today - dt.timedelta(days=1))],
        )
    fields = error.value.field_errors
    assert {"title", "scope", "goals", "commitment", "nuts_regions", "ideas_starts_on"} <= set(
        fields
    )
    assert "discussion_ends_on" in fields
    assert not ParticipatoryProcess.objects.exists()


def test_intermediary_member_runs_a_process_on_the_authoritys_behalf(
    authority, buyer, make_organisation, moderator, make_user
):
    staff = make_user("lab@example.eu")
    lab = make_organisation(OrganisationKind.INTERMEDIARY, admin=staff, verified_by=moderator)
    process = services.process_create(
        actor=buyer,
        authority=authority,
        title="T",
        scope="S",
        goals="G",
        commitment="C",
        phases=today_phases("ideas"),
        intermediary=lab,
    )
    assert permissions.can_manage(staff, process)
    services.process_open(actor=staff, process=process)
    assert process.status == ProcessStatus.OPEN


def test_closing_refuses_while_ideas_lack_an_answer(open_process, buyer, cleo, make_idea):
    make_idea(cleo, open_process)
    before = audit_count()
    with pytest.raises(InvalidInput) as error:
        services.process_close(actor=buyer, process=open_process)
    assert error.value.code == "unanswered_ideas"
    open_process.refresh_from_db()
    assert open_process.status == ProcessStatus.OPEN
    assert audit_count() == before


def test_closing_with_a_published_reason(open_process, buyer, cleo, make_idea):
    make_idea(cleo, open_process)
    services.process_close(
        actor=buyer, process=open_process, unanswered_reason="The council was dissolved."
    )
    open_process.refresh_from_db()
    assert open_process.status == ProcessStatus.CLOSED
    assert open_process.unanswered_reason == "The council was dissolved."


def test_closing_when_every_idea_is_answered(open_process, buyer, cleo, make_idea):
    idea = make_idea(cleo, open_process)
    services.idea_answer(actor=buyer, idea=idea, state="rejected", text="Too costly.")
    services.process_close(actor=buyer, process=open_process)
    assert open_process.status == ProcessStatus.CLOSED
    with pytest.raises(InvalidTransition):
        services.process_open(actor=buyer, process=open_process)


def test_outsider_cannot_close(open_process, outsider):
    with pytest.raises(NotAllowed):
        services.process_close(actor=outsider, process=open_process, unanswered_reason="x")
    open_process.refresh_from_db()
    assert open_process.status == ProcessStatus.OPEN


# --- Eligibility and phases ------------------------------------------------------------------


def test_residents_only(make_process, cleo, nico, reference_data):
    brussels = NutsRegion.objects.get(code="BE100")
    paris = NutsRegion.objects.get(code="FR101")
    process = make_process(
        eligibility=Eligibility.RESIDENTS, nuts_regions=[brussels.parent or brussels]
    )
    services.profile_save(actor=cleo, pseudonym="Cleo", nuts_region=brussels)
    services.profile_save(actor=nico, pseudonym="Nico", nuts_region=paris)
    cleo.refresh_from_db()
    nico.refresh_from_db()
    assert permissions.is_eligible(cleo, process)
    assert not permissions.is_eligible(nico, process)
    with pytest.raises(NotAllowed) as error:
        services.idea_submit(actor=nico, process=process, title="Idea", body="Body")
    assert error.value.code == "not_eligible"
    assert not Idea.objects.exists()


def test_civil_servants_only(make_process, cleo, buyer, authority, authority_admin):
    process = make_process(eligibility=Eligibility.CIVIL_SERVANTS)
    assert permissions.is_eligible(authority_admin, process)
    assert not permissions.is_eligible(cleo, process)


def test_invited_organisations_only(make_process, cleo, nico, make_organisation):
    ngo = make_organisation(OrganisationKind.CIVIL_SOCIETY, admin=nico)
    process = make_process(eligibility=Eligibility.INVITED, invited_organisations=[ngo])
    assert permissions.is_eligible(nico, process)
    assert not permissions.is_eligible(cleo, process)
    assert Membership.objects.filter(user=nico, organisation=ngo).exists()


def test_ideas_only_during_the_ideas_phase(make_process, cleo):
    today = timezone.localdate()
    later = [("ideas", today + dt.timedelta(days=5), today + dt.timedelta(days=9))]
    process = make_process(phases=later)
    with pytest.raises(NotAllowed) as error:
        services.idea_submit(actor=cleo, process=process, title="Idea", body="Body")
    assert error.value.code == "not_accepting_ideas"


def test_draft_process_takes_no_ideas(make_process, cleo):
    process = make_process(open_it=False)
    assert not permissions.can_view(cleo, process)
    with pytest.raises(NotAllowed):
        services.idea_submit(actor=cleo, process=process, title="Idea", body="Body")


# --- Ideas -----------------------------------------------------------------------------------


def test_submit_sanitises_html(open_process, cleo):
    idea = services.idea_submit(
        actor=cleo,
        process=open_process,
        title="<b>Trees</b> & benches",
        body='Plant <script>alert("x")</script>trees\r\n<a href="javascript:x">here</a>',
        category="Green spaces",
    )
    assert idea.title == "Trees & benches"
    assert "<" not in idea.body
    assert "script" not in idea.body
    assert idea.body.startswith("Plant ")
    assert clean_text("a\n\n\n\nb") == "a\n\nb"


def test_submit_refuses_empty_and_unknown_category(open_process, cleo):
    with pytest.raises(InvalidInput) as error:
        services.idea_submit(
            actor=cleo, process=open_process, title=" ", body="<p></p>", category="Nope"
        )
    assert set(error.value.field_errors) == {"title", "body", "category"}
    assert not Idea.objects.exists()


def test_duplicate_idea_refused_within_a_day(open_process, cleo, make_idea):
    make_idea(cleo, open_process)
    with pytest.raises(Conflict) as error:
        make_idea(cleo, open_process, title="MORE TREES ON THE MAIN SQUARE")
    assert error.value.code == "duplicate_idea"
    assert Idea.objects.count() == 1


def test_rate_limit_on_ideas(open_process, cleo, make_idea):
    for n in range(RATE_LIMITS["idea"]):
        make_idea(cleo, open_process, title=f"Idea {n}", body=f"Body {n}")
    with pytest.raises(NotAllowed) as error:
        make_idea(cleo, open_process, title="One more", body="Again")
    assert error.value.code == "rate_limited"
    assert Idea.objects.count() == RATE_LIMITS["idea"]


def test_attachments_checked_by_content_and_size(open_process, cleo):
    idea = services.idea_submit(
        actor=cleo,
        process=open_process,
        title="With a plan",
        body="See the PDF.",
        attachments=[SimpleUploadedFile("plan.pdf", PDF), SimpleUploadedFile("map.png", PNG)],
    )
    assert [a.content_type for a in idea.attachments.all()] == ["application/pdf", "image/png"]
    for upload in (
        SimpleUploadedFile("virus.exe", b"MZ"),
        SimpleUploadedFile("fake.pdf", b"MZ not a pdf"),
        SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024)),
    ):
        with pytest.raises(InvalidInput) as error:
            services.idea_submit(
                actor=cleo, process=open_process, title="Other", body="x", attachments=[upload]
            )
        assert "attachments" in error.value.field_errors
    assert Idea.objects.count() == 1


def test_author_edits_until_others_react(open_process, cleo, nico, make_idea):
    idea = make_idea(cleo, open_process)
    services.idea_update(actor=cleo, idea=idea, title="Many more trees", body="Shade.")
    idea.refresh_from_db()
    assert idea.title == "Many more trees"
    assert idea.edited_at is not None
    with pytest.raises(NotAllowed):
        services.idea_update(actor=nico, idea=idea, title="Mine now", body="x")
    services.comment_post(actor=cleo, idea=idea, body="My own note")
    assert permissions.can_edit_idea(cleo, idea)  # one's own comment is no reaction
    services.support_add(actor=nico, idea=idea)
    with pytest.raises(Conflict) as error:
        services.idea_update(actor=cleo, idea=idea, title="Changed after support", body="x")
    assert error.value.code == "idea_locked"
    idea.refresh_from_db()
    assert idea.title == "Many more trees"


def test_similar_ideas_while_typing(open_process, cleo, nico, make_idea):
    trees = make_idea(cleo, open_process, title="More trees on the main square", body="Shade")
    make_idea(cleo, open_process, title="Cheaper bus tickets", body="For students")
    found = selectors.similar_ideas(process=open_process, title="trees for the square")
    assert found == [trees]
    assert selectors.similar_ideas(process=open_process, title="") == []


# --- Discussion ------------------------------------------------------------------------------


def test_threaded_comments_and_notification(open_process, cleo, nico, make_idea):
    idea = make_idea(cleo, open_process)
    first = services.comment_post(actor=nico, idea=idea, body="Which trees?")
    reply = services.comment_post(actor=cleo, idea=idea, body="Plane trees", parent=first)
    thread = selectors.comment_thread(idea=idea)
    assert thread[0].comment == first
    assert thread[0].replies[0].comment == reply
    assert Notification.objects.filter(recipient=cleo, kind="participation.comment").count() == 1
    assert Notification.objects.filter(recipient=nico, kind="participation.comment").count() == 1


def test_comment_refusals(open_process, cleo, nico, make_idea, make_process):
    idea = make_idea(cleo, open_process)
    other = make_idea(cleo, open_process, title="Other", body="Other")
    parent = services.comment_post(actor=nico, idea=other, body="Elsewhere")
    with pytest.raises(InvalidInput):
        services.comment_post(actor=nico, idea=idea, body="   ")
    with pytest.raises(InvalidInput):
        services.comment_post(actor=nico, idea=idea, body="Reply", parent=parent)
    services.comment_post(actor=nico, idea=idea, body="Same")
    with pytest.raises(Conflict):
        services.comment_post(actor=nico, idea=idea, body="Same")
    assert Comment.objects.count() == 2


def test_comment_rate_limit(open_process, cleo, nico, make_idea):
    idea = make_idea(cleo, open_process)
    for n in range(RATE_LIMITS["comment"]):
        services.comment_post(actor=nico, idea=idea, body=f"Comment {n}")
    with pytest.raises(NotAllowed):
        services.comment_post(actor=nico, idea=idea, body="Too many")
    assert Comment.objects.count() == RATE_LIMITS["comment"]


def test_support_once_and_withdraw(open_process, cleo, nico, make_idea):
    idea = make_idea(cleo, open_process)
    services.support_add(actor=nico, idea=idea)
    with pytest.raises(Conflict):
        services.support_add(actor=nico, idea=idea)
    with pytest.raises(NotAllowed):
        services.support_add(actor=cleo, idea=idea)
    assert Support.objects.count() == 1
    services.support_withdraw(actor=nico, idea=idea)
    assert not Support.objects.exists()
    with pytest.raises(Conflict):
        services.support_withdraw(actor=nico, idea=idea)


def test_report_and_hide_leaves_a_trace(open_process, cleo, nico, moderator, make_idea):
    idea = make_idea(cleo, open_process)
    comment = services.comment_post(actor=nico, idea=idea, body="You are all idiots")
    report = services.report_create(actor=cleo, idea=idea, comment=comment, reason="Insult")
    with pytest.raises(Conflict):
        services.report_create(actor=cleo, idea=idea, comment=comment, reason="Again")
    with pytest.raises(NotAllowed):
        services.report_create(actor=nico, idea=idea, comment=comment, reason="My own")
    assert selectors.moderation_queue(user=moderator) == [report]
    with pytest.raises(NotAllowed):
        services.content_hide(actor=cleo, idea=idea, comment=comment, reason="I dislike it")
    with pytest.raises(InvalidInput):
        services.content_hide(actor=moderator, idea=idea, comment=comment, reason="")
    comment.refresh_from_db()
    assert not comment.is_hidden
    services.content_hide(actor=moderator, idea=idea, comment=comment, reason="Insults")
    comment.refresh_from_db()
    report.refresh_from_db()
    assert comment.is_hidden
    assert comment.hidden_reason == "Insults"
    assert report.status == ReportStatus.HIDDEN
    assert Comment.objects.filter(pk=comment.pk).exists()  # never deleted
    assert Notification.objects.filter(recipient=nico, kind="participation.hidden").exists()
    assert selectors.moderation_queue(user=moderator) == []


def test_buyer_moderates_own_process_and_dismisses(open_process, buyer, cleo, nico, make_idea):
    idea = make_idea(cleo, open_process)
    report = services.report_create(actor=nico, idea=idea, reason="Spam?")
    assert selectors.moderation_queue(user=buyer) == [report]
    services.report_dismiss(actor=buyer, report=report)
    assert report.status == ReportStatus.DISMISSED
    with pytest.raises(Conflict):
        services.report_dismiss(actor=buyer, report=report)
    services.content_hide(actor=buyer, idea=idea, reason="Advertising")
    idea.refresh_from_db()
    assert idea.is_hidden
    with pytest.raises(Conflict):
        services.comment_post(actor=nico, idea=idea, body="Still here?")


# --- Answers and merges ----------------------------------------------------------------------


def test_answer_notifies_author_and_supporters_and_keeps_history(
    open_process, buyer, cleo, nico, make_idea
):
    idea = make_idea(cleo, open_process)
    services.support_add(actor=nico, idea=idea)
    services.idea_answer(actor=buyer, idea=idea, state="under_evaluation", text="Looking at it")
    services.idea_answer(actor=buyer, idea=idea, state="accepted", text="We will do it")
    idea.refresh_from_db()
    assert idea.state == IdeaState.ACCEPTED
    assert idea.answer == "We will do it"
    assert [a.state for a in IdeaAnswer.objects.filter(idea=idea)] == [
        "under_evaluation",
        "accepted",
    ]
    for person in (cleo, nico):
        assert (
            Notification.objects.filter(recipient=person, kind="participation.answer").count() == 2
        )


def test_answer_refusals(open_process, buyer, cleo, outsider, make_idea):
    idea = make_idea(cleo, open_process)
    with pytest.raises(NotAllowed):
        services.idea_answer(actor=outsider, idea=idea, state="accepted", text="Yes")
    with pytest.raises(InvalidInput):
        services.idea_answer(actor=buyer, idea=idea, state="accepted", text="")
    with pytest.raises(InvalidInput):
        services.idea_answer(actor=buyer, idea=idea, state="merged", text="No")
    idea.refresh_from_db()
    assert idea.state == IdeaState.NEW
    assert not IdeaAnswer.objects.exists()


def test_merge_carries_supports_over_and_keeps_history(
    open_process, moderator, cleo, nico, make_user, make_idea
):
    third = make_user("third@example.eu")
    target = make_idea(cleo, open_process, title="Trees on the square", body="Shade")
    source = make_idea(nico, open_process, title="Plant trees in the square", body="Green")
    services.support_add(actor=third, idea=source)
    services.support_add(actor=third, idea=target)
    services.support_add(actor=cleo, idea=source)  # target's author: not carried over
    merge = services.idea_merge(actor=moderator, source=source, target=target, reason="Same idea")
    source.refresh_from_db()
    assert source.state == IdeaState.MERGED
    assert source.merged_into == target
    supporters = set(Support.objects.filter(idea=target).values_list("user_id", flat=True))
    assert supporters == {third.pk, nico.pk}  # deduplicated; the source's author joins
    assert merge.supports_moved == 1
    assert Support.objects.filter(idea=source).count() == 2  # history kept
    assert IdeaMerge.objects.get().reason == "Same idea"
    for person in (cleo, nico):
        assert Notification.objects.filter(recipient=person, kind="participation.merge").exists()
    with pytest.raises(InvalidTransition):
        services.idea_merge(actor=moderator, source=source, target=target, reason="Again")


def test_merge_refusals(open_process, make_process, moderator, cleo, nico, make_idea):
    idea = make_idea(cleo, open_process)
    other_process = make_process(title="Another process")
    elsewhere = make_idea(nico, other_process)
    with pytest.raises(NotAllowed):
        services.idea_merge(actor=nico, source=idea, target=elsewhere, reason="x")
    with pytest.raises(InvalidInput):
        services.idea_merge(actor=moderator, source=idea, target=elsewhere, reason="x")
    with pytest.raises(InvalidInput):
        services.idea_merge(actor=moderator, source=idea, target=idea, reason="x")
    idea.refresh_from_db()
    assert idea.state == IdeaState.NEW
    assert not IdeaMerge.objects.exists()


# --- Results ---------------------------------------------------------------------------------


def test_accepted_idea_becomes_a_result_linked_to_a_need(
    open_process, buyer, cleo, nico, make_idea, make_need
):
    idea = make_idea(cleo, open_process)
    services.support_add(actor=nico, idea=idea)
    need = make_need(title="Tree planting sensors", publish=True)
    with pytest.raises(Conflict):
        services.result_create(actor=buyer, idea=idea, summary="Not yet")
    services.idea_answer(actor=buyer, idea=idea, state="accepted", text="Yes")
    with pytest.raises(InvalidInput):
        services.result_create(actor=buyer, idea=idea, summary="Planting", progress=120)
    result = services.result_create(actor=buyer, idea=idea, summary="Planting", need=need)
    assert selectors.ideas_behind(need) == [idea]
    services.result_update(
        actor=buyer, result=result, summary="Half planted", progress=50, need=need
    )
    milestone = services.milestone_add(
        actor=buyer, result=result, title="First 20 trees", due_on=timezone.localdate()
    )
    with pytest.raises(InvalidInput):
        services.milestone_complete(actor=buyer, milestone=milestone)
    services.milestone_complete(
        actor=buyer, milestone=milestone, evidence="Photos", evidence_url="https://example.eu/p"
    )
    assert milestone.done
    progress = Notification.objects.filter(recipient=nico, kind="participation.progress")
    assert progress.count() == 3
    with pytest.raises(Conflict):
        services.idea_answer(actor=buyer, idea=idea, state="rejected", text="Changed our mind")
    with pytest.raises(Conflict):
        services.result_create(actor=buyer, idea=idea, summary="Twice")
    assert Result.objects.count() == 1


def test_result_refuses_another_authoritys_need(
    open_process, buyer, cleo, make_idea, make_need, cobuyer, second_authority
):
    idea = make_idea(cleo, open_process)
    services.idea_answer(actor=buyer, idea=idea, state="accepted", text="Yes")
    foreign = make_need(actor=cobuyer, authority=second_authority, publish=True)
    with pytest.raises(InvalidInput) as error:
        services.result_create(actor=buyer, idea=idea, summary="x", need=foreign)
    assert "need" in error.value.field_errors
    with pytest.raises(NotAllowed):
        services.result_create(actor=cobuyer, idea=idea, summary="x")
    assert not Result.objects.exists()


# --- Profile ---------------------------------------------------------------------------------


def test_pseudonyms_are_unique_and_shown_instead_of_names(cleo, nico, open_process, make_idea):
    with pytest.raises(InvalidInput):
        services.profile_save(actor=nico, pseudonym="cleo")
    with pytest.raises(InvalidInput):
        services.profile_save(actor=nico, pseudonym="Deleted participant")
    idea = make_idea(cleo, open_process)
    shown = selectors.idea_detail(public_id=idea.public_id)
    assert shown is not None
    assert selectors.author_label(shown.author) == "Cleo"
    assert selectors.author_label(None) == "Deleted participant"


def test_draft_strategy_can_change_until_opened(make_process, buyer, outsider):
    process = make_process(open_it=False)
    services.process_update(
        actor=buyer,
        process=process,
        title="Greener centre",
        scope="Centre",
        goals="Shade",
        commitment="Answer all",
        phases=today_phases("ideas"),
    )
    process.refresh_from_db()
    assert process.title == "Greener centre"
    assert [p.kind for p in process.phases.all()] == ["ideas"]
    with pytest.raises(NotAllowed):
        services.process_update(
            actor=outsider,
            process=process,
            title="X",
            scope="S",
            goals="G",
            commitment="C",
            phases=today_phases("ideas"),
        )
    services.process_open(actor=buyer, process=process)
    with pytest.raises(InvalidTransition):
        services.process_update(
            actor=buyer,
            process=process,
            title="Changed after opening",
            scope="S",
            goals="G",
            commitment="C",
            phases=today_phases("ideas"),
        )
    process.refresh_from_db()
    assert process.title == "Greener centre"
