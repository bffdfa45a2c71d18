"""Attribution rules: speakers, official flag, cited outlets (not channels), claims."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stance.attribute import attribute_article, find_claim, find_outlet, find_speaker


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("The leak was minor, port authority spokesman Elena Vasquez said on Tuesday.",
         "port authority spokesman Elena Vasquez"),
        ("Defence Minister Tomas Okafor told reporters that no troops had moved.",
         "Defence Minister Tomas Okafor"),
        ("“We have nothing to add,” said Anna Lindqvist, a spokeswoman for the airline.",
         "Anna Lindqvist"),
        ("Meanwhile, Governor Ruth Adeyemi denied that the bridge was unsafe.",
         "Governor Ruth Adeyemi"),
        ("Prime Minister Lena Park publicly acknowledged the error.", "Prime Minister Lena Park"),
        ("Joe Blake, 54, a fisherman from the bay, said he had seen oil on the water.",
         "Joe Blake"),
        ("The operator, Halden Energy, said in a statement that no one was hurt.",
         "Halden Energy"),
        ("According to Interior Minister Rosa Kemal, the march was peaceful.",
         "Interior Minister Rosa Kemal"),
        ("“We are being forced to choose,” said regional director Amina Sow.",
         "regional director Amina Sow"),
        ("Energy Minister Faisal al-Harbi said on Saturday that supply was stable.",
         "Energy Minister Faisal al-Harbi"),
        ("Heavy rain fell across the region on Sunday.", None),
        ("The bridge was closed in 2019.", None),
    ],
)
def test_speaker(sentence, speaker):
    assert find_speaker(sentence) == speaker


@pytest.mark.parametrize(
    ("sentence", "outlet"),
    [
        ("The Washington Post reported on Friday that the talks had stalled.",
         "The Washington Post"),
        ("According to The New York Times, the plan was shelved.", "The New York Times"),
        ("Reuters, citing three sources, said the deal was close.", "Reuters"),
        ("Media reports claimed the plant had closed.", "media reports"),
        # channels, not reports
        ("The ambassador told Sputnik that there was no such plan.", None),
        ("The minister said in an interview with CNN that talks would continue.", None),
        ("He made the remarks to the Rossiya 1 broadcaster on Sunday.", None),
        ("Local media reported last week that the cabinet was split.", "media reports"),
        ("According to the Times of India, vendors had three weeks' notice.", "Times of India"),
        # a wire's byline in a dateline is not a cited report
        ("KYIV, Nov. 3 (Reuters) - A bridge was damaged overnight, officials said.", None),
        # a plain mention without a report cue
        ("She worked at the BBC for ten years.", None),
    ],
)
def test_outlet(sentence, outlet):
    assert find_outlet(sentence) == outlet


def test_claim_is_the_that_clause_or_the_quote():
    assert find_claim("The Coastal Courier reported on Monday that a tanker had leaked "
                      "diesel into the harbour.") == "a tanker had leaked diesel into the harbour"
    assert find_claim("Officials denied that the dam was leaking, the mayor said.") == \
        "the dam was leaking"
    assert find_claim("“There has been no leak of any kind,” she said.") == \
        "There has been no leak of any kind"
    assert find_claim("The ministry denied the report on Friday.") == "the report"
    assert find_claim("The mayor dismissed the claims of a secret deal with the port "
                      "operator, calling them fiction.") == \
        "the claims of a secret deal with the port operator"
    assert find_claim("The club confirmed the signing of a new striker.") == \
        "the signing of a new striker"
    assert find_claim("The court dismissed him.") is None
    assert find_claim("It rained.") is None


def test_article_context_resolves_pronouns_surnames_and_roles():
    sentences = [
        "The Guardian reported that a tanker had leaked diesel.",
        "The report added that the spill had reached the beach.",
        "“That is simply not true,” port spokesman Elena Vasquez told reporters.",
        "Vasquez said divers had found nothing.",
        "She added that the port would stay open.",
        "The spokesman also rejected calls for an inquiry.",
        "Fisherman Joe Blake, 54, said he had seen oil on the water.",
    ]
    stances = ["report-citation", "report-citation", "denial", "denial", "reassurance",
               "denial", "none"]
    got = attribute_article(sentences, stances)
    assert [a.outlet for a in got[:3]] == ["The Guardian", "The Guardian", None]
    assert [a.speaker for a in got[2:6]] == ["port spokesman Elena Vasquez"] * 4
    assert [a.speaker_official for a in got[2:6]] == [True] * 4
    assert got[6].speaker == "Fisherman Joe Blake" and got[6].speaker_official is False


def test_a_quotation_keeps_its_speaker_across_sentences():
    got = attribute_article([
        "“We are being forced to choose between the hungry and the starving,” said regional "
        "director Amina Sow.",
        "“This is not a choice anyone should have to make.",
        "It is a failure of generosity.”",
        "The cuts take effect in May.",
    ])
    assert [a.speaker for a in got] == ["regional director Amina Sow"] * 3 + [None]


def test_the_report_resolves_to_the_last_cited_outlet():
    got = attribute_article([
        "Reuters reported on Friday, citing two officials, that the ferry had sunk.",
        "The report added that two crew members were missing.",
        "The envoy told Sputnik that the story was pure invention.",
        "The state-run agency said several officers were hurt.",
    ], ["report-citation", "report-citation", "denial", "report-citation"])
    assert [a.outlet for a in got] == ["Reuters", "Reuters", None, "Reuters"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=120), max_size=8))
def test_never_raises_and_keeps_one_record_per_sentence(sentences):
    got = attribute_article(sentences)
    assert len(got) == len(sentences)
    for a in got:
        assert a.speaker is None or isinstance(a.speaker, str)
        assert a.speaker_official in (None, True, False)
