"""The interoperability questionnaire: the four layers of the European Interoperability
Framework, with what an Interoperable Europe Act assessment asks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .base import MULTIPLE, Option, Question, Questionnaire, Section, yes_partly_no

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
                    options=yes_partly_no(
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
                    options=yes_partly_no(
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
                    options=yes_partly_no(_("Yes"), _("Partly"), _("No")),
                ),
                Question(
                    key="org_agreements",
                    title=_("Agreements between organisations"),
                    text=_(
                        "Are service level and interoperability agreements offered to the "
                        "organisations that connect to the solution?"
                    ),
                    options=yes_partly_no(_("Yes"), _("On request"), _("No")),
                ),
                Question(
                    key="org_change_governance",
                    title=_("Governance of changes"),
                    text=_(
                        "Is there a published policy for changes to interfaces and data "
                        "(versioning, notice before a change, a public roadmap)?"
                    ),
                    options=yes_partly_no(_("Yes, published"), _("Informal only"), _("No")),
                ),
                Question(
                    key="org_once_only",
                    title=_("Once-only principle"),
                    text=_(
                        "Can the solution reuse data that administrations already hold, so that "
                        "people and businesses do not have to provide it again?"
                    ),
                    options=yes_partly_no(
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
                    options=yes_partly_no(_("Yes"), _("Partly"), _("No")),
                ),
                Question(
                    key="sem_vocabularies",
                    title=_("Shared vocabularies"),
                    text=_(
                        "Does the solution use European or international vocabularies and code "
                        "lists (SEMIC Core Vocabularies, DCAT-AP, EU Vocabularies code lists)?"
                    ),
                    options=yes_partly_no(_("Yes"), _("Some"), _("No")),
                ),
                Question(
                    key="sem_multilingual",
                    title=_("Multilingual reference data"),
                    text=_("Are its code lists and reference data available in several languages?"),
                    options=yes_partly_no(_("Yes"), _("Some of them"), _("No")),
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
                    options=yes_partly_no(_("Yes"), _("Some of the data"), _("No")),
                ),
                Question(
                    key="tech_security_standards",
                    title=_("Secure exchange"),
                    text=_(
                        "Are data exchanges protected with standard, documented security "
                        "(TLS, signed or encrypted messages, standard authentication)?"
                    ),
                    options=yes_partly_no(_("Yes"), _("Partly"), _("No")),
                ),
            ),
        ),
    ),
)
