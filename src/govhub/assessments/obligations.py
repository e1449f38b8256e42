"""The obligations of the EU AI Act (Regulation (EU) 2024/1689) that follow from a risk
category, with the article each comes from and who bears it (provider or deployer)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .questions import Text


@dataclass(frozen=True)
class Obligation:
    key: str
    citation: Text
    title: Text
    text: Text
    who: Text


_PROVIDER = _("Provider")
_DEPLOYER = _("Deployer (the buying body)")
_BOTH = _("Provider and deployer")

OBLIGATIONS: dict[str, Obligation] = {
    ob.key: ob
    for ob in (
        Obligation(
            "art5_prohibited",
            _("Art. 5"),
            _("Prohibited practice"),
            _(
                "The system cannot be placed on the market, put into service or used in the "
                "EU. A public body must not buy or deploy it."
            ),
            _BOTH,
        ),
        Obligation(
            "art9_risk_management",
            _("Art. 9"),
            _("Risk management system"),
            _(
                "Identify, analyse and mitigate the risks to health, safety and fundamental "
                "rights throughout the system's life, and test against them."
            ),
            _PROVIDER,
        ),
        Obligation(
            "art10_data_governance",
            _("Art. 10"),
            _("Data and data governance"),
            _(
                "Training, validation and test data must be relevant, representative, as free "
                "of errors as possible and examined for possible biases."
            ),
            _PROVIDER,
        ),
        Obligation(
            "art11_technical_documentation",
            _("Art. 11"),
            _("Technical documentation"),
            _("Draw up and keep up to date the technical documentation of Annex IV."),
            _PROVIDER,
        ),
        Obligation(
            "art12_logging",
            _("Art. 12"),
            _("Record-keeping"),
            _(
                "The system must automatically log events over its lifetime so that its "
                "functioning can be traced."
            ),
            _PROVIDER,
        ),
        Obligation(
            "art13_transparency_to_deployers",
            _("Art. 13"),
            _("Transparency and instructions for deployers"),
            _(
                "Provide instructions for use stating the system's purpose, accuracy, limits "
                "and the human oversight it needs."
            ),
            _PROVIDER,
        ),
        Obligation(
            "art14_human_oversight",
            _("Art. 14"),
            _("Human oversight"),
            _(
                "Design the system so that people can understand, monitor, override and stop "
                "it while it is in use."
            ),
            _PROVIDER,
        ),
        Obligation(
            "art15_accuracy_robustness",
            _("Art. 15"),
            _("Accuracy, robustness and cybersecurity"),
            _(
                "Achieve and declare appropriate levels of accuracy, resilience to errors and "
                "protection against attacks."
            ),
            _PROVIDER,
        ),
        Obligation(
            "art17_quality_management",
            _("Art. 17"),
            _("Quality management system"),
            _("Put in place a documented quality management system."),
            _PROVIDER,
        ),
        Obligation(
            "art43_conformity_assessment",
            _("Art. 43"),
            _("Conformity assessment"),
            _(
                "Have the system's conformity assessed before placing it on the market, then "
                "draw up the EU declaration of conformity and affix the CE marking."
            ),
            _PROVIDER,
        ),
        Obligation(
            "art49_registration",
            _("Art. 49"),
            _("Registration in the EU database"),
            _(
                "Register the system in the EU database before placing it on the market; "
                "public bodies register their use of it too."
            ),
            _BOTH,
        ),
        Obligation(
            "art26_deployer_duties",
            _("Art. 26"),
            _("Duties of deployers"),
            _(
                "Use the system following its instructions, assign trained people to oversee "
                "it, monitor it, keep its logs and inform the people affected."
            ),
            _DEPLOYER,
        ),
        Obligation(
            "art27_fundamental_rights_impact",
            _("Art. 27"),
            _("Fundamental rights impact assessment"),
            _(
                "A public body must assess the impact on fundamental rights before first "
                "using the system, and notify the market surveillance authority of the results."
            ),
            _DEPLOYER,
        ),
        Obligation(
            "art50_1_interaction",
            _("Art. 50(1)"),
            _("Tell people they are interacting with AI"),
            _("People must be informed that they are interacting with an AI system."),
            _PROVIDER,
        ),
        Obligation(
            "art50_2_marking",
            _("Art. 50(2)"),
            _("Mark generated content"),
            _(
                "Generated audio, images, video and text must be marked in a machine-readable "
                "format and detectable as artificially generated."
            ),
            _PROVIDER,
        ),
        Obligation(
            "art50_3_emotion_biometric",
            _("Art. 50(3)"),
            _("Inform people exposed to emotion recognition"),
            _(
                "People exposed to emotion recognition or biometric categorisation must be "
                "informed of it."
            ),
            _DEPLOYER,
        ),
        Obligation(
            "art50_4_deep_fakes",
            _("Art. 50(4)"),
            _("Disclose deep fakes and generated public texts"),
            _(
                "Disclose that deep fakes, and text published to inform the public, were "
                "artificially generated or manipulated."
            ),
            _DEPLOYER,
        ),
        Obligation(
            "art6_4_documented_exemption",
            _("Art. 6(4)"),
            _("Document why it is not high-risk"),
            _(
                "Document the assessment that the system is not high-risk before placing it on "
                "the market, and register it in the EU database (Art. 49(2))."
            ),
            _PROVIDER,
        ),
        Obligation(
            "art4_ai_literacy",
            _("Art. 4"),
            _("AI literacy"),
            _("Make sure the staff who operate and use the system have sufficient AI literacy."),
            _BOTH,
        ),
        Obligation(
            "art95_codes_of_conduct",
            _("Art. 95"),
            _("Voluntary codes of conduct"),
            _(
                "No mandatory requirements; providers and deployers are encouraged to apply "
                "voluntary codes of conduct."
            ),
            _BOTH,
        ),
    )
}

HIGH_RISK_OBLIGATIONS = (
    "art9_risk_management",
    "art10_data_governance",
    "art11_technical_documentation",
    "art12_logging",
    "art13_transparency_to_deployers",
    "art14_human_oversight",
    "art15_accuracy_robustness",
    "art17_quality_management",
    "art43_conformity_assessment",
    "art49_registration",
    "art26_deployer_duties",
    "art27_fundamental_rights_impact",
)

TRANSPARENCY_OBLIGATIONS = {
    "interacts_with_people": "art50_1_interaction",
    "generates_content": "art50_2_marking",
    "emotion_or_biometric_categorisation": "art50_3_emotion_biometric",
    "deep_fakes_public_text": "art50_4_deep_fakes",
}
