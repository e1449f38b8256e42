"""The questionnaires as data: sections, questions and options with stable keys.

Keys are stored in the answers and results and must never change; the texts may. A question
is either a single choice (radios) or a multiple choice (checkboxes, where an ``exclusive``
option such as “none of these” cannot be ticked with another). Each option of an
interoperability question carries the score (0–100) it contributes to its layer; ``None``
means “not applicable”: the question then does not count towards the layer's score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    Text: TypeAlias = str | _StrPromise
else:
    Text = Any

SINGLE = "single"
MULTIPLE = "multiple"


@dataclass(frozen=True)
class Option:
    key: str
    label: Text
    score: int | None = 0
    # AI Act: the article, annex point or paragraph this option stands for.
    citation: Text = ""
    exclusive: bool = False


@dataclass(frozen=True)
class Question:
    key: str
    title: Text  # short, for summaries and evidence labels
    text: Text  # the question as asked
    options: tuple[Option, ...]
    kind: str = SINGLE
    hint: Text = ""

    def option(self, key: str) -> Option | None:
        return next((option for option in self.options if option.key == key), None)

    def choices(self) -> list[tuple[str, Text]]:
        return [(option.key, option.label) for option in self.options]


@dataclass(frozen=True)
class Section:
    key: str
    title: Text
    intro: Text
    questions: tuple[Question, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Questionnaire:
    kind: str
    title: Text
    sections: tuple[Section, ...]

    def section(self, key: str) -> Section | None:
        return next((section for section in self.sections if section.key == key), None)

    def questions(self) -> list[Question]:
        return [question for section in self.sections for question in section.questions]

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions() if q.key == key), None)

    def section_of(self, question_key: str) -> Section | None:
        for section in self.sections:
            if any(q.key == question_key for q in section.questions):
                return section
        return None

    def next_section(self, key: str) -> Section | None:
        keys = [section.key for section in self.sections]
        index = keys.index(key)
        return self.sections[index + 1] if index + 1 < len(keys) else None


def _yes_partly_no(yes: Text, partly: Text, no: Text, *, na: Text = "") -> tuple[Option, ...]:
    options = [Option("yes", yes, 100), Option("partly", partly, 50), Option("no", no, 0)]
    if na:
        options.append(Option("not_applicable", na, None))
    return tuple(options)


# --- Interoperability: the four layers of the European Interoperability Framework ---------

INTEROPERABILITY = Questionnaire(
    kind="interoperability",
    title=_("Interoperability assessment"),
    sections=(
        Section(
            key="legal",
            title=_("Legal interoperability"),
            intro=_(
                "Whether other public bodies may lawfully reuse the solution and exchange data "
                "with it: licences, reuse conditions and the legal basis of data exchanges."
            ),
            questions=(
                Question(
                    key="legal_reuse_conditions",
                    title=_("Reuse conditions"),
                    text=_("Under which conditions can other public bodies reuse the solution?"),
                    hint=_(
                        "The Interoperable Europe Act asks public bodies to share solutions "
                        "for reuse. Name the licence or the agreement in the evidence."
                    ),
                    options=(
                        Option(
                            "open_licence",
                            _("Under an open licence (such as the EUPL or another OSI licence)"),
                            100,
                        ),
                        Option(
                            "free_agreement",
                            _("Free of charge under a reuse agreement between public bodies"),
                            75,
                        ),
                        Option(
                            "commercial_licence",
                            _("Under a commercial licence that allows reuse by other bodies"),
                            40,
                        ),
                        Option("no_reuse", _("It cannot be reused by other bodies"), 0),
                    ),
                ),
                Question(
                    key="legal_data_protection",
                    title=_("Legal basis of data exchanges"),
                    text=_(
                        "Are the legal basis and the data protection roles of the data the "
                        "solution exchanges documented (GDPR roles, data processing agreement)?"
                    ),
                    options=_yes_partly_no(
                        _("Yes, documented for every exchange"),
                        _("Partly documented"),
                        _("No"),
                        na=_("Not applicable: no personal data is exchanged"),
                    ),
                ),
                Question(
                    key="legal_eu_instruments",
                    title=_("EU legal instruments"),
                    text=_(
                        "Does the solution support the EU instruments for cross-border public "
                        "services (eIDAS electronic identification and trust services, the "
                        "Single Digital Gateway's once-only technical system)?"
                    ),
                    options=_yes_partly_no(
                        _("Yes"),
                        _("Some of them"),
                        _("No"),
                        na=_("Not applicable to this kind of solution"),
                    ),
                ),
            ),
        ),
        Section(
            key="organisational",
            title=_("Organisational interoperability"),
            intro=_(
                "Whether organisations can align their processes around the solution: "
                "documented processes, agreements between organisations and governance of change."
            ),
            questions=(
                Question(
                    key="org_processes_documented",
                    title=_("Documented business processes"),
                    text=_(
                        "Are the business processes the solution supports documented and "
                        "shared with the organisations that use it (for example in BPMN)?"
                    ),
                    options=_yes_partly_no(_("Yes"), _("Partly"), _("No")),
                ),
                Question(
                    key="org_agreements",
                    title=_("Agreements between organisations"),
                    text=_(
                        "Are service level and interoperability agreements offered to the "
                        "organisations that connect to the solution?"
                    ),
                    options=_yes_partly_no(_("Yes"), _("On request"), _("No")),
                ),
                Question(
                    key="org_change_governance",
                    title=_("Governance of changes"),
                    text=_(
                        "Is there a published policy for changes to interfaces and data "
                        "(versioning, notice before a change, a public roadmap)?"
                    ),
                    options=_yes_partly_no(_("Yes, published"), _("Informal only"), _("No")),
                ),
                Question(
                    key="org_once_only",
                    title=_("Once-only principle"),
                    text=_(
                        "Can the solution reuse data that administrations already hold, so that "
                        "people and businesses do not have to provide it again?"
                    ),
                    options=_yes_partly_no(
                        _("Yes"),
                        _("For some data"),
                        _("No"),
                        na=_("Not applicable: it does not collect data from people or businesses"),
                    ),
                ),
            ),
        ),
        Section(
            key="semantic",
            title=_("Semantic interoperability"),
            intro=_(
                "Whether the meaning of the data exchanged is preserved: data formats, "
                "published data models and shared vocabularies."
            ),
            questions=(
                Question(
                    key="sem_data_formats",
                    title=_("Data formats"),
                    text=_("In which formats does the solution exchange data?"),
                    options=(
                        Option(
                            "open_documented",
                            _("Open, machine-readable formats with published documentation"),
                            100,
                        ),
                        Option(
                            "open_undocumented",
                            _("Open, machine-readable formats without documentation"),
                            50,
                        ),
                        Option("proprietary", _("Proprietary or closed formats"), 0),
                    ),
                ),
                Question(
                    key="sem_data_model",
                    title=_("Published data model"),
                    text=_(
                        "Is the data model published in a machine-readable schema "
                        "(JSON Schema, XSD, SHACL or an ontology)?"
                    ),
                    options=_yes_partly_no(_("Yes"), _("Partly"), _("No")),
                ),
                Question(
                    key="sem_vocabularies",
                    title=_("Shared vocabularies"),
                    text=_(
                        "Does the solution use European or international vocabularies and code "
                        "lists (SEMIC Core Vocabularies, DCAT-AP, EU Vocabularies code lists)?"
                    ),
                    options=_yes_partly_no(_("Yes"), _("Some"), _("No")),
                ),
                Question(
                    key="sem_multilingual",
                    title=_("Multilingual reference data"),
                    text=_("Are its code lists and reference data available in several languages?"),
                    options=_yes_partly_no(_("Yes"), _("Some of them"), _("No")),
                ),
            ),
        ),
        Section(
            key="technical",
            title=_("Technical interoperability"),
            intro=_(
                "Whether systems can connect to the solution: open standards and "
                "specifications, documented interfaces and the export of data."
            ),
            questions=(
                Question(
                    key="tech_open_standards",
                    title=_("Open standards and specifications"),
                    text=_("Which open standards and specifications does the solution implement?"),
                    hint=_("Tick all that apply. Each one adds to the score, up to the maximum."),
                    kind=MULTIPLE,
                    options=(
                        Option("openapi", _("OpenAPI description of its interfaces"), 25),
                        Option("oauth_oidc", _("OAuth 2.0 or OpenID Connect"), 25),
                        Option("saml_eidas", _("SAML or eIDAS identification"), 25),
                        Option("rdf_dcat", _("RDF, DCAT-AP or other linked data"), 25),
                        Option("edelivery", _("eDelivery AS4"), 25),
                        Option(
                            "peppol_ubl", _("Peppol, UBL or the European e-invoice standard"), 25
                        ),
                        Option("ogc", _("OGC or INSPIRE geospatial services"), 25),
                        Option(
                            "other_open", _("Other open standards (name them in the evidence)"), 25
                        ),
                        Option("none", _("None of these"), 0, exclusive=True),
                    ),
                ),
                Question(
                    key="tech_api_documented",
                    title=_("Documented APIs"),
                    text=_(
                        "Does the solution offer documented application programming interfaces?"
                    ),
                    options=(
                        Option(
                            "public_spec",
                            _("Yes, with a public machine-readable specification"),
                            100,
                        ),
                        Option("on_request", _("Yes, documented on request"), 60),
                        Option("undocumented", _("Yes, but not documented"), 20),
                        Option("no_api", _("No"), 0),
                    ),
                ),
                Question(
                    key="tech_data_export",
                    title=_("Export of data"),
                    text=_(
                        "Can a buyer export all its data in an open, documented format at any "
                        "time, so that it can change supplier?"
                    ),
                    options=_yes_partly_no(_("Yes"), _("Some of the data"), _("No")),
                ),
                Question(
                    key="tech_security_standards",
                    title=_("Secure exchange"),
                    text=_(
                        "Are data exchanges protected with standard, documented security "
                        "(TLS, signed or encrypted messages, standard authentication)?"
                    ),
                    options=_yes_partly_no(_("Yes"), _("Partly"), _("No")),
                ),
            ),
        ),
    ),
)


# --- EU AI Act (Regulation (EU) 2024/1689) -------------------------------------------------

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

QUESTIONNAIRES: dict[str, Questionnaire] = {
    INTEROPERABILITY.kind: INTEROPERABILITY,
    AI_ACT.kind: AI_ACT,
}


def questionnaire(kind: str) -> Questionnaire:
    return QUESTIONNAIRES[kind]


def is_answered(value: Any) -> bool:
    return value not in (None, "", [])
