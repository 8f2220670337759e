"""The compliance check: every kind of finding, its span and rule, its fix, and the score."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from brandflow.contexts.brand_kit.public import BrandKit
from brandflow.contexts.campaigns.public import Channel
from brandflow.contexts.content.public import ChannelBody, parse_body
from brandflow.contexts.studio.checks import (
    CheckResult,
    Finding,
    FindingKind,
    KnowledgeEvidence,
    RuleRef,
    Section,
    Severity,
    TextFix,
    VoiceBrief,
    apply_fixes,
    check_body,
    compiled_rules,
    judge_tone,
    score,
    stored_body,
    voice_brief,
    with_findings,
)
from brandflow.contexts.studio.checks.normalize import fold
from brandflow.contexts.studio.checks.text_fields import body_fields, body_models, field_specs

# --- kits like the demo seed's ------------------------------------------------------------

ACME_DATA: dict[str, Any] = {
    "voice": {
        "summary": "The knowledgeable friend at the trailhead: practical and honest.",
        "tone": ["encouraging", "practical", "energetic", "honest"],
        "do_examples": ["Grip that holds on wet rock."],
        "dont_examples": ["The best running shoe ever made."],
    },
    "rules": {
        "banned_terms": [
            {"term": "injury-proof", "replacement": "supportive", "reason": "A medical claim"},
            {"term": "guaranteed", "reason": "Implies a warranty we do not offer"},
            {"term": "cheap", "replacement": "great value"},
            {"term": "best in the world", "reason": "A superlative without proof"},
        ],
        "disclaimers": [
            {
                "key": "weight-comparison",
                "text": "Weight compared with TrailFlow 2, men's UK size 9.",
                "triggers": ["lighter", "30%"],
            },
            {
                "key": "free-returns",
                "text": "Free returns within 60 days of delivery. "
                "Terms: acme-running.example/returns.",
                "channels": ["email", "landing_page", "search_ad"],
                "triggers": ["free returns"],
            },
            {
                "key": "training-health",
                "text": "Talk to your doctor before starting a new training programme.",
                "channels": ["blog_post", "landing_page"],
                "triggers": ["training plan", "16-week"],
            },
        ],
        "approved_claims": [
            {"claim": "30% lighter than TrailFlow 2", "source": "Acme lab weight test"},
            {"claim": "Grip that holds on wet rock", "source": "Traction test TR-114"},
            {"claim": "Free returns for 60 days", "source": "Acme returns policy"},
        ],
        "competitors": [
            {"name": "Summit Stride", "aliases": ["SummitStride"]},
            {"name": "Peakline"},
            {"name": "Trailhawk Footwear", "aliases": ["Trailhawk"]},
        ],
    },
    "channel_overrides": {
        "x": {"tone": ["punchy", "energetic"], "notes": "Lead with the benefit."},
        "search_ad": {"extra_banned_terms": [{"term": "#1", "reason": "Unproven ranking"}]},
    },
}
ACME = BrandKit.model_validate(ACME_DATA)

GLOBEX = BrandKit.model_validate(
    {
        "voice": {"summary": "The neighbourhood roaster that ships.", "tone": ["warm"]},
        "rules": {
            "banned_terms": [
                {"term": "burns fat", "reason": "A health claim"},
                {"term": "instant", "replacement": "ready in minutes"},
                {"term": "fair trade", "replacement": "directly traded"},
                {"term": "crème brûlée", "replacement": "caramel notes"},
                {"term": "Strasse", "reason": "Street names are not our brand"},
                {"term": "battery", "reason": "We sell coffee, not gadgets"},
            ],
            "disclaimers": [
                {
                    "key": "caffeine",
                    "text": "Contains caffeine. Not recommended for children or people "
                    "sensitive to caffeine.",
                    "triggers": ["energy", "caffeine"],
                },
                {
                    "key": "subscription-terms",
                    "text": "Subscriptions renew automatically; cancel any time before your "
                    "next roast date.",
                    "channels": ["email", "landing_page", "search_ad"],
                    "triggers": ["subscription", "subscribe", "subscribers"],
                },
            ],
            "approved_claims": [
                {"claim": "Roasted in small batches"},
                {"claim": "Ships the day it is roasted"},
            ],
            "competitors": [{"name": "Initech Beans", "aliases": ["Initech"]}, {"name": "Hooli"}],
        },
    }
)

# A kit for word-boundary cases: short and overlapping terms, an always-required disclaimer.
LAB = BrandKit.model_validate(
    {
        "rules": {
            "banned_terms": [
                {"term": "free", "reason": "Nothing is free"},
                {"term": "best"},
                {"term": "best in the world"},
                {"term": "miracle", "replacement": "remarkable"},
            ],
            "disclaimers": [
                {"key": "ad-label", "text": "Advertisement.", "channels": ["linkedin"]},
                {
                    "key": "results",
                    "text": "Results vary; nothing is guaranteed.",
                    "triggers": ["results"],
                },
            ],
        }
    }
)


# --- helpers ------------------------------------------------------------------------------


def body(channel: str, **fields: Any) -> ChannelBody:
    return parse_body({"channel": channel, **fields})


def x_post(text: str) -> ChannelBody:
    return body("x", text=text)


def linkedin(text: str) -> ChannelBody:
    return body("linkedin", text=text)


def search_ad(headlines: list[str], descriptions: list[str]) -> ChannelBody:
    return body(
        "search_ad",
        headlines=headlines,
        descriptions=descriptions,
        final_url="https://acme-running.example/trail",
    )


def texts(checked: ChannelBody) -> dict[str, str]:
    return {f.path: f.text for f in body_fields(checked).texts}


def of_kind(result: CheckResult, kind: FindingKind) -> list[Finding]:
    return [f for f in result.findings if f.kind is kind]


def flagged(checked: ChannelBody, result: CheckResult, kind: FindingKind) -> list[str]:
    """The flagged text of every finding of ``kind``, checking each span on the way."""
    fields = texts(checked)
    spans: list[str] = []
    for finding in of_kind(result, kind):
        assert finding.field is not None
        assert finding.start is not None
        assert finding.end is not None
        assert 0 <= finding.start < finding.end <= len(fields[finding.field])
        spans.append(fields[finding.field][finding.start : finding.end])
    return spans


def missing(checked: ChannelBody, kit: BrandKit) -> list[str | None]:
    """The keys of the disclaimers missing from ``checked``."""
    return [f.rule.name for f in of_kind(check_body(checked, kit), FindingKind.MISSING_DISCLAIMER)]


def fixed(checked: ChannelBody, result: CheckResult, kind: FindingKind) -> ChannelBody:
    fixes = [f.fix for f in of_kind(result, kind) if f.fix is not None]
    outcome = apply_fixes(checked, fixes)
    assert outcome.skipped == ()
    return outcome.body


# --- banned terms -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "injury-proof",
        "Injury-Proof",
        "INJURY PROOF",
        "injury\u2011proof",  # non-breaking hyphen
        "injury\u2014proof",  # em dash
        "injury -\nproof",
        "injuryproof",
        "in\u00adjury-proof",  # a soft hyphen cannot hide it
        "ｉｎｊｕｒｙ-ｐｒｏｏｆ",  # full-width  # noqa: RUF001
    ],
)
def test_a_banned_term_is_found_however_it_is_written(written: str) -> None:
    post = x_post(f"Meet the {written} TrailFlow 3 on wet rock.")
    result = check_body(post, ACME)
    assert flagged(post, result, FindingKind.BANNED_TERM) == [written]
    [finding] = of_kind(result, FindingKind.BANNED_TERM)
    assert finding.rule == RuleRef(section=Section.BANNED_TERMS, index=0, name="injury-proof")
    assert finding.severity is Severity.MAJOR
    assert finding.fix is not None
    assert finding.fix.replacement.casefold() == "supportive"
    assert finding.suggestion == f"Write “{finding.fix.replacement}” instead."


@pytest.mark.parametrize(
    "text",
    [
        "Freedom on every trail.",  # "free" is not a word of "freedom"
        "Carefree miles.",
        "A bestseller, run after run.",
        "The miraculous grip.",  # not "miracle"
        "Free2run club.",  # a word glued to digits is another word
    ],
)
def test_banned_terms_match_whole_words_only(text: str) -> None:
    post = linkedin(f"Advertisement. {text}")
    assert of_kind(check_body(post, LAB), FindingKind.BANNED_TERM) == []


def test_a_simple_plural_of_a_banned_term_is_found_but_not_other_inflections() -> None:
    post = x_post("Two miracles, no batteries. Guarantee: none; guaranteed: never.")
    assert flagged(post, check_body(post, LAB), FindingKind.BANNED_TERM) == ["miracles"]
    post = x_post("Batteries not included, battery life aside.")
    assert flagged(post, check_body(post, GLOBEX), FindingKind.BANNED_TERM) == [
        "Batteries",
        "battery",
    ]
    post = x_post("A guarantee, not guaranteed.")
    assert flagged(post, check_body(post, ACME), FindingKind.BANNED_TERM) == ["guaranteed"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Notes of CRÈME BRÛLÉE and cocoa.", ["CRÈME BRÛLÉE"]),
        ("Notes of creme brulee and cocoa.", ["creme brulee"]),
        ("Roasted on the Straße today.", ["Straße"]),  # ß folds to ss
        ("Roasted on the Hauptstraße today.", []),  # inside a longer word
        (
            "#FairTrade beans, fair-trade price, fair\ntrade promise.",
            ["FairTrade", "fair-trade", "fair\ntrade"],
        ),
    ],
)
def test_banned_terms_match_across_case_accents_and_unicode_forms(
    text: str, found: list[str]
) -> None:
    post = x_post(text)
    assert flagged(post, check_body(post, GLOBEX), FindingKind.BANNED_TERM) == found


def test_the_fix_of_a_banned_term_is_its_replacement_cased_like_the_text() -> None:
    post = x_post("Cheap miles. CHEAP grip. Not cheap, just cheap-looking.")
    result = check_body(post, ACME)
    replacements = [f.fix.replacement for f in of_kind(result, FindingKind.BANNED_TERM) if f.fix]
    assert replacements == ["Great value", "GREAT VALUE", "great value", "great value"]
    repaired = fixed(post, result, FindingKind.BANNED_TERM)
    assert repaired.model_dump()["text"] == (
        "Great value miles. GREAT VALUE grip. Not great value, just great value-looking."
    )
    assert of_kind(check_body(repaired, ACME), FindingKind.BANNED_TERM) == []


def test_a_banned_term_without_replacement_is_removed_with_its_space() -> None:
    post = x_post("Grip guaranteed on wet rock.")
    result = check_body(post, ACME)
    [finding] = of_kind(result, FindingKind.BANNED_TERM)
    assert finding.suggestion == "Remove “guaranteed” or rephrase."
    repaired = fixed(post, result, FindingKind.BANNED_TERM)
    assert repaired.model_dump()["text"] == "Grip on wet rock."
    assert of_kind(check_body(repaired, ACME), FindingKind.BANNED_TERM) == []


def test_a_term_inside_a_longer_banned_term_is_reported_once_as_the_longer() -> None:
    post = linkedin("Advertisement. The best in the world, and the best for you.")
    result = check_body(post, LAB)
    assert flagged(post, result, FindingKind.BANNED_TERM) == ["best in the world", "best"]
    assert [f.rule.name for f in of_kind(result, FindingKind.BANNED_TERM)] == [
        "best in the world",
        "best",
    ]


def test_a_channel_override_bans_terms_on_its_channel_only() -> None:
    ad = search_ad(["#1 Trail Shoe", "Grip On Wet Rock", "Acme TrailFlow 3"], ["New.", "Run."])
    [finding] = of_kind(check_body(ad, ACME), FindingKind.BANNED_TERM)
    assert finding.field == "headlines[0]"
    assert (finding.start, finding.end) == (0, 2)
    assert finding.rule == RuleRef(
        section=Section.OVERRIDE_BANNED_TERMS, index=0, name="#1", channel="search_ad"
    )
    assert "on search_ad" in finding.message
    assert of_kind(check_body(x_post("#1 trail shoe."), ACME), FindingKind.BANNED_TERM) == []
    ad = search_ad(["#10 In Our Range", "Grip On Wet Rock", "Acme TrailFlow 3"], ["A.", "B."])
    assert of_kind(check_body(ad, ACME), FindingKind.BANNED_TERM) == []


# --- competitors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found", "index"),
    [
        ("Lighter than Summit Stride shoes.", "Summit Stride", 0),
        ("Unlike SummitStride, we stay.", "SummitStride", 0),
        ("Unlike summit-stride, we stay.", "summit-stride", 0),
        ("Peakline's grip is no match.", "Peakline", 1),
        ("Trailhawk Footwear fans welcome.", "Trailhawk Footwear", 2),  # once, not twice
        ("Trailhawk fans welcome.", "Trailhawk", 2),
    ],
)
def test_competitors_are_found_by_name_and_alias(text: str, found: str, index: int) -> None:
    post = x_post(text)
    result = check_body(post, ACME)
    assert flagged(post, result, FindingKind.COMPETITOR_MENTION) == [found]
    [finding] = of_kind(result, FindingKind.COMPETITOR_MENTION)
    assert finding.rule.section is Section.COMPETITORS
    assert finding.rule.index == index
    assert finding.fix is None
    assert finding.suggestion


@pytest.mark.parametrize("text", ["Summit fever.", "A peak line of hills.", "Stride on."])
def test_parts_of_competitor_names_are_not_mentions(text: str) -> None:
    assert of_kind(check_body(x_post(text), ACME), FindingKind.COMPETITOR_MENTION) == []


# --- disclaimers --------------------------------------------------------------------------


def test_a_triggered_disclaimer_that_is_missing_gets_a_fix_that_satisfies_it() -> None:
    post = x_post("TrailFlow 3 is 30% lighter than TrailFlow 2.")
    result = check_body(post, ACME)
    [finding] = of_kind(result, FindingKind.MISSING_DISCLAIMER)
    assert finding.field is None
    assert finding.start is None
    assert finding.end is None
    assert finding.rule == RuleRef(section=Section.DISCLAIMERS, index=0, name="weight-comparison")
    assert "“lighter” appears in text" in finding.message
    assert finding.fix == TextFix(
        field="text",
        start=len("TrailFlow 3 is 30% lighter than TrailFlow 2."),
        end=len("TrailFlow 3 is 30% lighter than TrailFlow 2."),
        replacement=" Weight compared with TrailFlow 2, men's UK size 9.",
    )
    repaired = fixed(post, result, FindingKind.MISSING_DISCLAIMER)
    assert check_body(repaired, ACME).findings == []


def test_multi_paragraph_fields_get_the_disclaimer_as_a_paragraph() -> None:
    email = body(
        "email",
        subject="Your autumn box",
        body="Hi Sam,\n\nSubscribers get the autumn roast first.",
    )
    result = check_body(email, GLOBEX)
    [finding] = of_kind(result, FindingKind.MISSING_DISCLAIMER)
    assert finding.rule.name == "subscription-terms"
    assert finding.fix is not None
    assert finding.fix.replacement.startswith("\n\nSubscriptions renew automatically")
    repaired = fixed(email, result, FindingKind.MISSING_DISCLAIMER)
    assert of_kind(check_body(repaired, GLOBEX), FindingKind.MISSING_DISCLAIMER) == []


@pytest.mark.parametrize(
    "written",
    [
        "Weight compared with TrailFlow 2, men's UK size 9.",
        "weight compared with trailflow 2 \u2014 men\u2019s UK size 9",
        "WEIGHT COMPARED WITH TRAILFLOW 2, MEN'S UK SIZE 9!",
        "Weight compared\nwith TrailFlow 2 (men's UK size 9)",
    ],
)
def test_a_disclaimer_is_satisfied_despite_case_punctuation_and_spacing(written: str) -> None:
    post = x_post(f"30% lighter than TrailFlow 2. {written}")
    assert of_kind(check_body(post, ACME), FindingKind.MISSING_DISCLAIMER) == []


def test_a_disclaimer_with_a_word_missing_is_not_satisfied() -> None:
    post = x_post("30% lighter than TrailFlow 2. Weight compared with TrailFlow 2, UK size 9.")
    assert len(of_kind(check_body(post, ACME), FindingKind.MISSING_DISCLAIMER)) == 1


def test_a_disclaimer_is_required_only_by_its_triggers_and_on_its_channels() -> None:
    assert check_body(x_post("Grip that holds on wet rock."), ACME).findings == []
    # "free returns" triggers the returns disclaimer on email, landing page and search ads only
    assert missing(x_post("Free returns for 60 days."), ACME) == []
    email = body("email", subject="Try them", body="Free returns for 60 days.")
    assert missing(email, ACME) == ["free-returns"]
    # triggers are whole words: "energetic" is not "energy"; "energies" is its plural
    assert check_body(x_post("An energetic roast."), GLOBEX).findings == []
    assert missing(x_post("New energies."), GLOBEX) == ["caffeine"]


def test_a_disclaimer_without_triggers_is_always_required_on_its_channels() -> None:
    post = linkedin("Our new range is out.")
    [finding] = of_kind(check_body(post, LAB), FindingKind.MISSING_DISCLAIMER)
    assert finding.rule.name == "ad-label"
    assert "on every linkedin text" in finding.message
    assert check_body(x_post("Our new range is out."), LAB).findings == []


def test_a_disclaimer_that_cannot_fit_says_so_and_has_no_fix() -> None:
    ad = search_ad(
        ["Acme TrailFlow 3", "30% Lighter Than TrailFlow 2", "Grip On Wet Rock"],
        [
            "The new TrailFlow 3: a lug pattern built for wet rock and gravel, and more.",
            "Pre-order now and test it on your own trails with free returns for 60 days.",
        ],
    )
    findings = of_kind(check_body(ad, ACME), FindingKind.MISSING_DISCLAIMER)
    assert [f.rule.name for f in findings] == ["weight-comparison", "free-returns"]
    for finding in findings:
        assert finding.fix is None
        assert finding.suggestion is not None
        assert "does not fit" in finding.suggestion
        assert "of 90 free" in finding.suggestion


def test_a_disclaimer_fix_goes_to_the_description_with_room() -> None:
    ad = search_ad(
        ["Acme TrailFlow 3", "30% Lighter Than TrailFlow 2", "Grip On Wet Rock"],
        ["Pre-order.", "The new TrailFlow 3: a lug pattern built for wet rock and gravel, too."],
    )
    result = check_body(ad, ACME)
    [finding] = of_kind(result, FindingKind.MISSING_DISCLAIMER)
    assert finding.fix is not None
    assert finding.fix.field == "descriptions[0]"
    repaired = fixed(ad, result, FindingKind.MISSING_DISCLAIMER)
    assert check_body(repaired, ACME).findings == []


def test_the_words_of_a_present_disclaimer_count_as_nothing_else() -> None:
    post = linkedin("Advertisement. Results you can feel. Results vary; nothing is guaranteed.")
    assert check_body(post, LAB).findings == []
    kit = ACME.model_copy(
        update={
            "rules": ACME.rules.model_copy(
                update={
                    "disclaimers": [
                        *ACME.rules.disclaimers,
                        LAB.rules.disclaimers[1],  # contains "guaranteed", banned by Acme
                    ]
                }
            )
        }
    )
    post = x_post("Results that last. Results vary; nothing is guaranteed.")
    assert check_body(post, kit).findings == []
    post = x_post("Results guaranteed. Results vary; nothing is guaranteed.")
    assert flagged(post, check_body(post, kit), FindingKind.BANNED_TERM) == ["guaranteed"]


# --- claims -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "30% lighter than TrailFlow 2.",
        "TrailFlow 3: now 30 percent lighter than Trailflow 2!",
        "The new shoe is 30 % lighter than TrailFlow 2, and it grips.",
        "Grip that holds on wet rock.",
        "Plans for 50 to 500 staff, 16 weeks, four runs a week.",
        "Most plans assume a perfect week.",
        "Choose rather than settle.",
    ],
)
def test_approved_claims_and_plain_sentences_pass(text: str) -> None:
    post = x_post(f"{text} Weight compared with TrailFlow 2, men's UK size 9.")
    assert of_kind(check_body(post, ACME), FindingKind.UNAPPROVED_CLAIM) == []


@pytest.mark.parametrize(
    ("text", "claim", "severity"),
    [
        ("40% lighter than TrailFlow 2.", "40% lighter than TrailFlow 2.", Severity.MAJOR),
        ("Wet rock? The best grip there is. Go.", "The best grip there is.", Severity.MAJOR),
        ("The fastest shoe we made.", "The fastest shoe we made.", Severity.MAJOR),
        ("Clinically proven cushioning", "Clinically proven cushioning", Severity.MAJOR),
        ("Grippier than any shoe.", "Grippier than any shoe.", Severity.MAJOR),
        ("The No. 1 trail shoe.", "The No. 1 trail shoe.", Severity.MAJOR),
        ("The most comfortable ride.", "The most comfortable ride.", Severity.MAJOR),
        ("Only 250 g per shoe.", "Only 250 g per shoe.", Severity.MINOR),
    ],
)
def test_claims_not_in_the_approved_list_are_flagged_over_their_sentence(
    text: str, claim: str, severity: Severity
) -> None:
    post = x_post(text)
    result = check_body(post, ACME)
    assert flagged(post, result, FindingKind.UNAPPROVED_CLAIM) == [claim]
    [finding] = of_kind(result, FindingKind.UNAPPROVED_CLAIM)
    assert finding.severity is severity
    assert finding.rule == RuleRef(section=Section.APPROVED_CLAIMS)


def test_an_unapproved_claim_suggests_the_closest_approved_one() -> None:
    post = x_post("40% lighter than TrailFlow 2.")
    [finding] = of_kind(check_body(post, ACME), FindingKind.UNAPPROVED_CLAIM)
    assert finding.suggestion == (
        "Remove the claim, or use an approved one such as “30% lighter than TrailFlow 2”."
    )
    [finding] = of_kind(check_body(x_post("Unbeatable."), ACME), FindingKind.UNAPPROVED_CLAIM)
    assert finding.suggestion == (
        "Remove the claim, or use one of the 3 approved claims of the brand kit."
    )


def test_a_sign_off_is_not_a_superlative() -> None:
    email = body("email", subject="Hello", body="Hi Sam,\n\nSee you out there.\n\nBest,\nAcme")
    assert check_body(email, ACME).findings == []


def test_a_cue_inside_a_banned_term_is_reported_once() -> None:
    post = x_post("Grip guaranteed.")
    result = check_body(post, ACME)
    assert [f.kind for f in result.findings] == [FindingKind.BANNED_TERM]


def test_a_kit_without_approved_claims_flags_no_claims() -> None:
    assert check_body(x_post("The fastest shoe, 40% lighter."), LAB).findings == []


def test_a_claim_backed_by_a_knowledge_chunk_points_at_it_and_weighs_less() -> None:
    chunk = uuid.uuid4()
    evidence = KnowledgeEvidence(
        chunk_id=chunk,
        title="Lab report",
        text="In our lab test TrailFlow 3 dried twice as fast as TrailFlow 2: the fastest "
        "drying upper we have made.",
    )
    post = x_post("The fastest drying upper we have made.")
    [finding] = of_kind(
        check_body(post, ACME, knowledge_claims=[evidence]), FindingKind.UNAPPROVED_CLAIM
    )
    assert finding.rule == RuleRef(section=Section.KNOWLEDGE, chunk_id=chunk)
    assert finding.severity is Severity.MINOR
    assert str(chunk) in finding.message
    unrelated = KnowledgeEvidence(chunk_id=uuid.uuid4(), text="The fastest courier in town.")
    [finding] = of_kind(
        check_body(post, ACME, knowledge_claims=[unrelated]), FindingKind.UNAPPROVED_CLAIM
    )
    assert finding.rule.section is Section.APPROVED_CLAIMS
    assert finding.severity is Severity.MAJOR


# --- channel limits -----------------------------------------------------------------------


def test_limits_are_read_from_the_body_schema() -> None:
    specs = {
        (model.__name__, spec.name): spec
        for model in body_models().values()
        for spec in field_specs(model)
    }
    assert specs["XBody", "text"].text.max_length == 280
    assert specs["SearchAdBody", "headlines"].text.max_length == 30
    assert specs["SearchAdBody", "headlines"].items.min_length == 3
    assert specs["SearchAdBody", "headlines"].items.max_length == 15
    assert specs["BlogPostBody", "meta_description"].text.max_length == 160  # an optional one
    assert specs["LandingPageBody", "sections"].model is not None
    assert set(body_models()) == {c.value for c in Channel}


def test_an_over_long_text_saved_earlier_is_a_blocker_over_its_overflow() -> None:
    text = "Wet rock, loose gravel, steep descents. " * 8  # 320 characters
    post = stored_body({"channel": "x", "text": text})
    result = check_body(post, ACME)
    [finding] = of_kind(result, FindingKind.CHANNEL_LIMIT)
    assert finding.severity is Severity.BLOCKER
    assert (finding.field, finding.start, finding.end) == ("text", 280, len(text))
    assert finding.rule == RuleRef(
        section=Section.CHANNEL_LIMITS, name="text: at most 280 characters"
    )
    assert finding.suggestion == f"Shorten it by {len(text) - 280} characters."
    assert result.score <= 40
    assert not result.passed


def test_list_sizes_and_item_lengths_of_a_stored_search_ad_are_checked() -> None:
    ad = stored_body(
        {
            "channel": "search_ad",
            "headlines": ["Acme TrailFlow 3", "Grip That Holds on Wet Rock, Always"],
            "descriptions": ["Pre-order now.", "Test it on your own trails."],
            "final_url": "https://acme-running.example/trail",
        }
    )
    result = check_body(ad, ACME)
    limits = of_kind(result, FindingKind.CHANNEL_LIMIT)
    assert [(f.field, f.start, f.end) for f in limits] == [
        ("headlines", None, None),
        ("headlines[1]", 30, 35),
    ]
    assert "at least 3" in limits[0].message


def test_other_schema_rules_are_reported_from_validation() -> None:
    tags = [f"#tag{n}" for n in range(25)]
    caption = "Roast day. " + " ".join(f"#more{n}" for n in range(10))
    post = stored_body({"channel": "instagram", "caption": caption, "hashtags": tags})
    [finding] = of_kind(check_body(post, GLOBEX), FindingKind.CHANNEL_LIMIT)
    assert finding.field is None
    assert "at most 30 hashtags" in finding.message


def test_a_valid_body_has_no_limit_findings() -> None:
    ad = search_ad(["Acme TrailFlow 3", "Grip That Holds on Wet Rock", "New"], ["A.", "B."])
    assert of_kind(check_body(ad, ACME), FindingKind.CHANNEL_LIMIT) == []


# --- personal data ------------------------------------------------------------------------


def test_an_email_address_is_a_minor_finding_without_the_value_in_the_message() -> None:
    post = x_post("Questions? Ask jane.doe@example.com before Friday.")
    result = check_body(post, ACME)
    assert flagged(post, result, FindingKind.PII) == ["jane.doe@example.com"]
    [finding] = of_kind(result, FindingKind.PII)
    assert finding.severity is Severity.MINOR
    assert finding.fix is None
    assert finding.rule == RuleRef(section=Section.PII, name="EMAIL_ADDRESS")
    assert "jane" not in finding.message


def test_pii_in_a_list_item_points_at_that_item() -> None:
    ad = search_ad(
        ["Acme TrailFlow 3", "Grip That Holds on Wet Rock", "Call +44 20 7946 0958"],
        ["Pre-order now.", "Refunds to DE89 3704 0044 0532 0130 00 only."],
    )
    result = check_body(ad, ACME)
    assert flagged(ad, result, FindingKind.PII) == [
        "DE89 3704 0044 0532 0130 00",
        "+44 20 7946 0958",
    ]
    fields = [f.field for f in of_kind(result, FindingKind.PII)]
    assert fields == ["descriptions[1]", "headlines[2]"]
    iban = of_kind(result, FindingKind.PII)[0]
    assert iban.severity is Severity.MAJOR
    repaired = fixed(ad, result, FindingKind.PII)
    assert texts(repaired)["descriptions[1]"] == "Refunds to only."
    assert [f.rule.name for f in of_kind(check_body(repaired, ACME), FindingKind.PII)] == [
        "PHONE_NUMBER"
    ]


def test_a_payment_card_number_is_a_blocker_that_fails_any_minimum() -> None:
    post = x_post("Use card 4111 1111 1111 1111 at checkout.")
    result = check_body(post, ACME, min_score=0)
    [finding] = of_kind(result, FindingKind.PII)
    assert finding.severity is Severity.BLOCKER
    assert "1111 1111" not in finding.message
    assert "ending in 1111" in finding.message
    assert result.score <= 40
    assert result.passed is False
    repaired = fixed(post, result, FindingKind.PII)
    assert check_body(repaired, ACME).findings == []


# --- spans across every kind --------------------------------------------------------------


def test_spans_point_exactly_at_the_text_in_non_ascii_copy() -> None:
    text = (
        "Frühstück ☕🏃 mit CRÈME BRÛLÉE von Initech — kein instant! "
        "Schreib an jürgen@beispiel.de. Die beste Röstung."
    )
    post = x_post(text)
    result = check_body(post, GLOBEX)
    assert flagged(post, result, FindingKind.BANNED_TERM) == ["CRÈME BRÛLÉE", "instant"]
    assert flagged(post, result, FindingKind.COMPETITOR_MENTION) == ["Initech"]
    assert flagged(post, result, FindingKind.PII) == ["jürgen@beispiel.de"]
    assert flagged(post, result, FindingKind.UNAPPROVED_CLAIM) == ["Die beste Röstung."]


def test_folding_maps_every_character_back() -> None:
    original = "Straße ﬁne Cre\u0300me in\u00adjury"
    folded = fold(original)
    assert folded.text == "strasse fine creme injury"
    for word, written in [
        ("strasse", "Straße"),
        ("fine", "ﬁne"),
        ("creme", "Cre\u0300me"),
        ("injury", "in\u00adjury"),
        ("cre", "Cre\u0300"),  # the mark belongs to its letter
    ]:
        start = folded.text.rindex(word)
        begin, end = folded.span(start, start + len(word))
        assert original[begin:end] == written


# --- fixes --------------------------------------------------------------------------------


def test_every_fix_removes_its_own_finding() -> None:
    bodies = [
        (x_post("Cheap, injury-proof and guaranteed: 30% lighter."), ACME),
        (body("email", subject="Instant fair trade", body="Subscribers: no burns fat."), GLOBEX),
        (linkedin("A miracle, free for you. Results count."), LAB),
        (x_post("Card 5555 5555 5555 4444 please."), ACME),
    ]
    tried = 0
    for checked, kit in bodies:
        for finding in check_body(checked, kit).findings:
            if finding.fix is None:
                continue
            tried += 1
            outcome = apply_fixes(checked, [finding.fix])
            assert outcome.applied == (finding.fix,)
            again = check_body(outcome.body, kit).findings
            assert finding.rule_key() not in {f.rule_key() for f in again}, finding
    assert tried >= 10


def test_fixing_everything_at_once_leaves_only_findings_without_fixes() -> None:
    post = x_post("Cheap, injury-proof and guaranteed: 30% lighter than TrailFlow 2.")
    result = check_body(post, ACME)
    outcome = apply_fixes(post, [f.fix for f in result.findings if f.fix is not None])
    assert outcome.skipped == ()
    assert outcome.body.model_dump()["text"] == (
        "Great value, supportive and: 30% lighter than TrailFlow 2. "
        "Weight compared with TrailFlow 2, men's UK size 9."
    )
    assert check_body(outcome.body, ACME).findings == []


def test_overlapping_fixes_are_skipped_and_stale_ones_refused() -> None:
    post = x_post("Cheap shoes.")
    first = TextFix(field="text", start=0, end=5, replacement="Great value")
    overlapping = TextFix(field="text", start=3, end=11, replacement="")
    outside = TextFix(field="text", start=5, end=99, replacement="")
    unknown = TextFix(field="headline", start=0, end=1, replacement="")
    outcome = apply_fixes(post, [first, overlapping, outside, unknown])
    assert outcome.applied == (first,)
    assert outcome.skipped == (overlapping, outside, unknown)
    assert outcome.body.model_dump()["text"] == "Great value shoes."


# --- score --------------------------------------------------------------------------------


def finding(severity: Severity, name: str = "a") -> Finding:
    return Finding(
        kind=FindingKind.BANNED_TERM,
        severity=severity,
        message="m",
        field="text",
        start=0,
        end=1,
        rule=RuleRef(section=Section.BANNED_TERMS, name=name),
    )


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        ([], 100),
        ([finding(Severity.INFO)], 100),
        ([finding(Severity.MINOR)], 95),
        ([finding(Severity.MAJOR)], 85),
        ([finding(Severity.MAJOR, "a"), finding(Severity.MAJOR, "b")], 70),
        ([finding(Severity.MAJOR), finding(Severity.MAJOR)], 77),  # a repeat weighs half
        ([finding(Severity.MAJOR)] * 10, 70),  # ten repeats cost under twice one
        ([finding(Severity.BLOCKER)], 40),
        ([finding(Severity.BLOCKER), finding(Severity.MAJOR, "b")], 40),
        ([finding(Severity.MAJOR, str(n)) for n in range(8)], 0),
    ],
)
def test_the_score_deducts_by_severity_with_diminishing_repeats(
    findings: list[Finding], expected: int
) -> None:
    assert score(findings) == expected


def test_passing_needs_the_minimum_score_and_no_blocker() -> None:
    post = x_post("Cheap grip.")
    assert check_body(post, ACME, min_score=85).passed is True
    assert check_body(post, ACME, min_score=86).passed is False
    result = check_body(post, ACME, min_score=80)
    assert (result.score, result.min_score, result.passed) == (85, 80, True)
    assert result.counts() == {
        Severity.BLOCKER: 0,
        Severity.MAJOR: 1,
        Severity.MINOR: 0,
        Severity.INFO: 0,
    }
    assert result.checked_rules_count > len(ACME.rules.banned_terms)
    clean = check_body(x_post("Grip that holds on wet rock."), ACME, min_score=100)
    assert (clean.score, clean.passed) == (100, True)


def test_findings_come_most_severe_first_then_in_field_order() -> None:
    headlines = [f"Headline {n}" for n in range(12)]
    headlines[2], headlines[10], headlines[11] = "Cheap runs", "Cheap miles", "Grip " * 7
    ad = stored_body(
        {
            "channel": "search_ad",
            "headlines": headlines,
            "descriptions": ["Cheap now.", "Test it."],
            "final_url": "https://acme-running.example/trail",
        }
    )
    result = check_body(ad, ACME)
    assert [(f.severity, f.field) for f in result.findings] == [
        (Severity.BLOCKER, "headlines[11]"),
        (Severity.MAJOR, "descriptions[0]"),
        (Severity.MAJOR, "headlines[2]"),
        (Severity.MAJOR, "headlines[10]"),
    ]


def test_a_result_survives_a_round_trip_through_json_with_the_same_ids() -> None:
    result = check_body(x_post("Cheap and 40% lighter, call +44 20 7946 0958."), ACME)
    stored = result.model_dump(mode="json")
    assert all(len(f["id"]) == 16 for f in stored["findings"])
    assert len({f["id"] for f in stored["findings"]}) == len(result.findings) == 4
    again = CheckResult.model_validate_json(result.model_dump_json())
    assert again == result
    assert [f.id for f in again.findings] == [f["id"] for f in stored["findings"]]


# --- compiled rules -----------------------------------------------------------------------


def test_a_kit_is_compiled_once_per_version_and_channel() -> None:
    again = BrandKit.model_validate(ACME_DATA)
    assert again is not ACME
    assert compiled_rules(again, Channel.X) is compiled_rules(ACME, Channel.X)
    assert compiled_rules(ACME, Channel.EMAIL) is not compiled_rules(ACME, Channel.X)
    changed = ACME_DATA | {"channel_overrides": {}}
    assert compiled_rules(BrandKit.model_validate(changed), Channel.X) is not compiled_rules(
        ACME, Channel.X
    )


# --- tone ---------------------------------------------------------------------------------


class FakeJudge:
    """A stand-in for a model provider: flags "Crush" wherever it appears, badly."""

    def __init__(self) -> None:
        self.voices: list[VoiceBrief] = []

    async def judge(self, text: str, voice: VoiceBrief) -> list[Finding]:
        self.voices.append(voice)
        at = text.find("Crush")
        if at < 0:
            return []
        return [
            Finding(
                kind=FindingKind.BANNED_TERM,  # wrong kind, wrong field, too severe
                severity=Severity.BLOCKER,
                message="Aggressive; the voice is encouraging.",
                field="elsewhere",
                start=at,
                end=at + 500,
                rule=RuleRef(section=Section.COMPETITORS),
                suggestion="Say what the runner gains.",
                fix=TextFix(field="elsewhere", start=at, end=at + 5, replacement="Enjoy"),
            )
        ]


async def test_a_tone_judge_adds_sanitised_minor_findings() -> None:
    post = x_post("Crush everyone at your next race with TrailFlow 3.")
    judge = FakeJudge()
    extra = await judge_tone(post, ACME, judge)
    [tone] = extra
    assert tone.kind is FindingKind.TONE
    assert tone.severity is Severity.MINOR
    assert (tone.field, tone.start, tone.end) == ("text", 0, len(texts(post)["text"]))
    assert tone.rule == RuleRef(section=Section.VOICE, name="punchy, energetic", channel="x")
    assert tone.fix == TextFix(field="text", start=0, end=5, replacement="Enjoy")
    assert judge.voices[0].tone == ("punchy", "energetic")
    assert judge.voices[0] == voice_brief(ACME, Channel.X)
    checked = check_body(post, ACME)
    combined = with_findings(checked, extra, extra_rules=1)
    assert combined.score == checked.score - 5
    assert combined.checked_rules_count == checked.checked_rules_count + 1


async def test_short_fields_and_voiceless_kits_are_not_judged() -> None:
    judge = FakeJudge()
    assert await judge_tone(x_post("Crush it."), ACME, judge) == []  # too short to judge
    assert await judge_tone(x_post("Crush everyone at your next race."), LAB, judge) == []
    assert judge.voices == []
