"""stance: track how official denials line up with what third parties report.

Public API (everything else is internal and may change)::

    import stance
    model = stance.load_model()                  # the shipped classifier
    stance.classify_sentences(["Peskov called the report a hoax."], model)
    stance.score_frame(stance.read_articles(["articles/"]))   # one row per sentence
"""

__version__ = "0.1.0"

from stance.classify import classify_sentences, default_model_path, load_model
from stance.errors import DataError, ModelError, StanceError
from stance.labels import LABELS

__all__ = [
    "LABELS",
    "DataError",
    "ModelError",
    "StanceError",
    "__version__",
    "classify_sentences",
    "default_model_path",
    "load_model",
    "read_articles",
    "score_frame",
]
