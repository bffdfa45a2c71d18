"""The classifier honours scikit-learn's contract and the project's promises."""

from __future__ import annotations

import json

import joblib
import numpy as np
import pandas as pd
import pytest
from conftest import LABELLED

from stance import classify as clf
from stance.dataset import read_labelled
from stance.labels import LABELS


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    """A small, fixed, stratified slice of our labelled set: fast to fit."""
    data = read_labelled(LABELLED)
    return data.groupby("label").sample(40, random_state=0).reset_index(drop=True)


@pytest.fixture(scope="module")
def small_model(sample):
    return clf.fit(sample["text"], sample["label"], seed=3)


def test_pipeline_is_plain_scikit_learn(small_model):
    for _, step in small_model.steps:
        assert type(step).__module__.startswith("sklearn.")
    assert list(small_model.classes_) == sorted(LABELS)


def test_predict_proba_is_a_distribution(small_model):
    proba = small_model.predict_proba(["The ministry denied the report.", "It rained."])
    assert proba.shape == (2, len(LABELS))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)


def test_bare_string_is_rejected(small_model):
    with pytest.raises(ValueError, match="string object received"):
        small_model.predict("The ministry denied the report.")
    with pytest.raises(TypeError, match="single string"):
        clf.classify_sentences("The ministry denied the report.", small_model)


def test_save_and_reload_give_identical_predictions(tmp_path, small_model, sample):
    path = tmp_path / "m.joblib"
    card = clf.make_card(sample, LABELLED, 3, None)
    clf.save_model(small_model, path, card)
    again = joblib.load(path)  # plain joblib, no stance code involved
    texts = sample["text"].tolist()[:50]
    assert list(again.predict(texts)) == list(small_model.predict(texts))
    np.testing.assert_array_equal(again.predict_proba(texts), small_model.predict_proba(texts))
    assert list(again.classes_) == list(small_model.classes_)
    np.testing.assert_array_equal(again[:-1].transform(texts).toarray(),
                                  small_model[:-1].transform(texts).toarray())
    saved = json.loads(clf.card_path(path).read_text())
    assert saved["model_sha256"] == clf.sha256_file(path)
    assert saved["training_data"]["sentences"] == len(sample)
    assert saved["labels"] == list(LABELS)


def test_same_seed_same_model_file(tmp_path, sample):
    paths = []
    for run in ("a", "b"):
        model = clf.fit(sample["text"], sample["label"], seed=5)
        path = tmp_path / f"{run}.joblib"
        clf.save_model(model, path, clf.make_card(sample, LABELLED, 5, None))
        paths.append(path)
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_classify_frame(small_model):
    frame = clf.classify_sentences(["Officials declined to comment.", "It rained."], small_model)
    assert list(frame.columns[:3]) == ["text", "stance", "confidence"]
    assert set(frame.columns[3:]) == {f"p_{lab}" for lab in LABELS}
    assert frame["confidence"].between(0, 1).all()
    assert clf.classify_sentences([], small_model).empty


def test_explain_names_the_cue(model):
    feats, other = clf.explain(["The spokesman declined to comment on the report.",
                                "Police warned residents to stay indoors."], model)
    assert feats and other, "no features explained the decision"
    assert any("warn" in f for f, _ in other)
    assert any("comment" in f for f, _ in feats)
    assert all(w > 0 for _, w in feats)


def test_metrics_and_report():
    m = clf.metrics(["denial", "none", "none"], ["denial", "none", "denial"])
    assert m["per_class"]["denial"]["precision"] == 0.5
    assert m["per_class"]["none"]["recall"] == 0.5
    assert m["confusion_matrix"][LABELS.index("none")][LABELS.index("denial")] == 1
    text = clf.format_metrics(m)
    assert "macro-F1" in text and "confusion matrix" in text
    assert "by_confidence" not in m


def test_metrics_by_confidence_band():
    m = clf.metrics(["denial", "none", "none", "none"], ["denial", "none", "denial", "none"],
                    [0.95, 1.0, 0.5, 0.45])
    bands = {(b["from"], b["to"]): (b["n"], b["accuracy"]) for b in m["by_confidence"]}
    assert bands[(0.8, 1.0)] == (2, 1.0)  # 1.0 itself falls in the top band
    assert bands[(0.4, 0.6)] == (2, 0.5)
    assert bands[(0.0, 0.4)] == (0, None)
    assert "accuracy by confidence" in clf.format_metrics(m)


def test_cross_validation_holds_groups_out(sample):
    cv = clf.cross_validate(sample["text"], sample["label"], sample["group"], seed=1, folds=3,
                            progress=False)
    assert cv["grouped"] and cv["folds"] == 3 and cv["n"] == len(sample)
    assert 0.0 <= cv["macro_f1"] <= 1.0


def test_train_twice_gives_identical_model_card_and_predictions(tmp_path, sample, capsys):
    """`stance train` with the same data and seed: byte-identical model files, cards equal
    but for the creation date, identical predictions."""
    from stance.cli import main

    data = tmp_path / "labelled.csv"
    sample[["text", "label", "group"]].to_csv(data, index=False)
    outputs = []
    for run in ("a", "b"):
        model = tmp_path / run / "m.joblib"
        assert main(["train", str(data), "-o", str(model), "--seed", "7", "--folds", "2"]) == 0
        card = json.loads(clf.card_path(model).read_text())
        card.pop("created")
        outputs.append((model.read_bytes(), card,
                        clf.load_model(model).predict_proba(sample["text"].tolist())))
    capsys.readouterr()
    (bytes_a, card_a, proba_a), (bytes_b, card_b, proba_b) = outputs
    assert bytes_a == bytes_b and card_a == card_b
    assert card_a["cross_validation"]["macro_f1"] > 0
    np.testing.assert_array_equal(proba_a, proba_b)
