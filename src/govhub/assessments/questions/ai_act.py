"""The EU AI Act questionnaire (Regulation (EU) 2024/1689): prohibited practices (Art. 5),
high-risk uses (Art. 6, Annex I and III) and transparency duties (Art. 50)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .base import MULTIPLE, Option, Question, Questionnaire, Section

AI_ACT = Questionnaire(
    kind="ai_act",
    title=_("EU AI Act classification"),
    sections=(
        Section(
            key="prohibited",
            title=_("Prohibited practices (Article 5)"),
            intro=_(
                "Article 5 forbids some uses of AI outright. A system that does any of them "
                "cannot be placed on the EU market or used."
            ),
            questions=(
                Question(
                    key="ai_prohibited_practices",
                    title=_("Prohibited practices"),
                    text=_("Does the system do any of the following?"),
                    hint=_("Tick all that apply, or “None of these”."),
                    kind=MULTIPLE,
                    options=(
                        Option(
                            "manipulation",
                            _(
                                "Uses subliminal, manipulative or deceptive techniques that "
                                "distort people's behaviour and cause significant harm"
                            ),
                            citation=_("Art. 5(1)(a)"),
                        ),
                        Option(
                            "exploiting_vulnerabilities",
                            _(
                                "Exploits the vulnerabilities of people due to their age, "
                                "disability or social or economic situation"
                            ),
                            citation=_("Art. 5(1)(b)"),
                        ),
                        Option(
                            "social_scoring",
                            _(
                                "Scores people on their social behaviour or personal "
                                "characteristics, leading to unjustified or unfavourable treatment"
                            ),
                            citation=_("Art. 5(1)(c)"),
                        ),
                        Option(
                            "crime_prediction_profiling",
                            _(
                                "Predicts whether a person will commit a crime based only on "
                                "profiling or personality traits"
                            ),
                            citation=_("Art. 5(1)(d)"),
                        ),
                        Option(
                            "facial_scraping",
                            _(
                                "Builds facial recognition databases by untargeted scraping of "
                                "images from the internet or CCTV"
                            ),
                            citation=_("Art. 5(1)(e)"),
                        ),
                        Option(
                            "emotion_workplace_education",
                            _(
                                "Infers emotions of people at work or in education (other than "
                                "for medical or safety reasons)"
                            ),
                            citation=_("Art. 5(1)(f)"),
                        ),
                        Option(
                            "biometric_sensitive_categorisation",
                            _(
                                "Categorises people by their biometric data to infer race, "
                                "political opinions, trade union membership, religion, sex life "
                                "or sexual orientation"
                            ),
                            citation=_("Art. 5(1)(g)"),
                        ),
                        Option(
                            "realtime_remote_biometric_id",
                            _(
                                "Identifies people remotely and in real time from biometric data "
                                "in publicly accessible spaces for law enforcement"
                            ),
                            citation=_("Art. 5(1)(h)"),
                        ),
                        Option("none", _("None of these"), exclusive=True),
                    ),
                ),
            ),
        ),
        Section(
            key="high_risk",
            title=_("High-risk uses (Article 6 and Annex III)"),
            intro=_(
                "A system is high-risk when it is a safety component of a regulated product "
                "(Annex I) or is used in one of the areas listed in Annex III, unless it only "
                "performs a narrow or preparatory task and does not profile people."
            ),
            questions=(
                Question(
                    key="ai_annex_i_safety_component",
                    title=_("Safety component of a regulated product"),
                    text=_(
                        "Is the system a safety component of a product covered by the EU "
                        "harmonisation legislation in Annex I (such as machinery, medical "
                        "devices, lifts or vehicles), or is it such a product itself?"
                    ),
                    options=(
                        Option("yes", _("Yes"), citation=_("Art. 6(1) and Annex I")),
                        Option("no", _("No")),
                    ),
                ),
                Question(
                    key="ai_annex_iii_areas",
                    title=_("Annex III areas"),
                    text=_("Is the system intended to be used in any of these areas?"),
                    hint=_("Tick all that apply, or “None of these”."),
                    kind=MULTIPLE,
                    options=(
                        Option(
                            "biometrics",
                            _(
                                "Remote biometric identification, biometric categorisation or "
                                "emotion recognition"
                            ),
                            citation=_("Annex III, point 1"),
                        ),
                        Option(
                            "critical_infrastructure",
                            _(
                                "Safety of critical infrastructure (digital infrastructure, "
                                "road traffic, water, gas, heating, electricity)"
                            ),
                            citation=_("Annex III, point 2"),
                        ),
                        Option(
                            "education",
                            _(
                                "Education and training: admission, assessing learning outcomes, "
                                "monitoring students during tests"
                            ),
                            citation=_("Annex III, point 3"),
                        ),
                        Option(
                            "employment",
                            _(
                                "Employment: recruitment, selection, decisions on promotion, "
                                "termination or task allocation, monitoring of workers"
                            ),
                            citation=_("Annex III, point 4"),
                        ),
                        Option(
                            "essential_services",
                            _(
                                "Access to essential public services and benefits: eligibility "
                                "for public assistance, creditworthiness, life and health "
                                "insurance pricing, triage of emergency calls"
                            ),
                            citation=_("Annex III, point 5"),
                        ),
                        Option(
                            "law_enforcement",
                            _(
                                "Law enforcement: risk assessment of victims or offenders, "
                                "evaluating evidence, profiling in investigations"
                            ),
                            citation=_("Annex III, point 6"),
                        ),
                        Option(
                            "migration_border",
                            _(
                                "Migration, asylum and border control: risk assessment, "
                                "examining applications, identifying people"
                            ),
                            citation=_("Annex III, point 7"),
                        ),
                        Option(
                            "justice_democracy",
                            _(
                                "Administration of justice and democratic processes: assisting "
                                "judicial decisions, influencing elections or voting behaviour"
                            ),
                            citation=_("Annex III, point 8"),
                        ),
                        Option("none", _("None of these"), exclusive=True),
                    ),
                ),
                Question(
                    key="ai_narrow_task",
                    title=_("Narrow or preparatory task"),
                    text=_(
                        "In those areas, does the system only perform a narrow procedural task, "
                        "improve the result of a human activity already completed, detect "
                        "patterns without replacing human assessment, or perform a preparatory "
                        "task?"
                    ),
                    hint=_("Answer “No” if you did not tick any Annex III area."),
                    options=(
                        Option("yes", _("Yes, only such a task"), citation=_("Art. 6(3)")),
                        Option("no", _("No")),
                    ),
                ),
                Question(
                    key="ai_profiling",
                    title=_("Profiling of people"),
                    text=_(
                        "Does the system profile natural persons (automated evaluation of "
                        "personal aspects such as work performance, economic situation, health, "
                        "behaviour or location)?"
                    ),
                    options=(
                        Option("yes", _("Yes"), citation=_("Art. 6(3), last subparagraph")),
                        Option("no", _("No")),
                    ),
                ),
            ),
        ),
        Section(
            key="transparency",
            title=_("Transparency duties (Article 50)"),
            intro=_(
                "Some systems must tell people that they are dealing with AI or that content "
                "was generated or manipulated by AI."
            ),
            questions=(
                Question(
                    key="ai_transparency_uses",
                    title=_("Uses with transparency duties"),
                    text=_("Does the system do any of the following?"),
                    hint=_("Tick all that apply, or “None of these”."),
                    kind=MULTIPLE,
                    options=(
                        Option(
                            "interacts_with_people",
                            _(
                                "Interacts directly with people, such as a chatbot or a voice "
                                "assistant"
                            ),
                            citation=_("Art. 50(1)"),
                        ),
                        Option(
                            "generates_content",
                            _("Generates synthetic audio, images, video or text"),
                            citation=_("Art. 50(2)"),
                        ),
                        Option(
                            "emotion_or_biometric_categorisation",
                            _("Recognises emotions or categorises people from biometric data"),
                            citation=_("Art. 50(3)"),
                        ),
                        Option(
                            "deep_fakes_public_text",
                            _(
                                "Produces deep fakes, or text published to inform the public on "
                                "matters of public interest"
                            ),
                            citation=_("Art. 50(4)"),
                        ),
                        Option("none", _("None of these"), exclusive=True),
                    ),
                ),
            ),
        ),
    ),
)
