"""Synthetic briefing files for the benchmarks, deterministic from a seed.

`synthetic_plan_text` writes a plan text in the same shape as the shipped
one (areas, items, bullets, a sub-list), so the benchmark runs the real
importer; `make_synthetic` builds a whole file: that plan plus notes, sources,
links and meetings, inserted in bulk (the generator is not what we measure).
"""

from __future__ import annotations

import random
import sqlite3
import uuid
from pathlib import Path

WORDS = ["cooperation", "dialogue", "security", "resilience", "supply", "chain", "critical", "minerals", "semiconductors", "energy", "transition", "hydrogen", "space", "research", "exchange", "investment", "trade", "partnership", "defence", "maritime", "cyber", "innovation", "startups", "culture", "tourism", "heritage", "education", "youth", "mobility", "agriculture", "geographical", "indications", "food", "governance", "development", "africa", "indo-pacific", "strengthen", "promote", "enhance", "explore", "ensure", "support", "coordinate", "implement", "consultations", "bilateral", "multilateral", "framework", "agreement", "memorandum", "ministry", "agency", "institute", "joint", "città", "università", "cooperazione", "sicurezza", "Cortina", "d'Ampezzo", "Milano", "Roma", "Osaka", "Tokyo", "高市早苗", "岸田文雄", "経済安全保障", "重要鉱物", "半導体", "宇宙", "協力"]


def _vocabulary(size: int = 6000) -> list[str]:
    """Real words first, then pronounceable made-up ones: a vocabulary of `size` words."""
    rng = random.Random(99)
    syllables = [c + v for c in "bcdfglmnprstvz" for v in "aeiou"]
    vocab = list(dict.fromkeys(WORDS))
    seen = set(vocab)
    while len(vocab) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            vocab.append(word)
    rng.shuffle(vocab)
    return vocab


#: Words are drawn with Zipf-like frequencies, as in real prose: a few words are
#: everywhere, most are rare (so a search is as selective as on real notes).
VOCAB = _vocabulary()
_WEIGHTS = [1 / (rank + 1) ** 1.07 for rank in range(len(VOCAB))]
_CUM = list(__import__("itertools").accumulate(_WEIGHTS))


def _sentence(rng: random.Random, n: int) -> str:
    words = rng.choices(VOCAB, cum_weights=_CUM, k=n)
    return " ".join(words).capitalize() + "."


def synthetic_plan_text(commitments: int = 10_000, seed: int = 1, title: str = "Synthetic Action Plan (2025-2028)") -> str:
    """A plan text with `commitments` commitments (20 per item, 25 items per area)."""
    rng = random.Random(seed)
    per_item, items_per_area = 20, 25
    lines = [f"# {title}", "", _sentence(rng, 40), ""]
    made = 0
    area = 0
    while made < commitments:
        area += 1
        lines += [f"## {area} {_sentence(rng, 3)[:-1]}", ""]
        for item in range(1, items_per_area + 1):
            if made >= commitments:
                break
            lines += [f"### ({item}) {_sentence(rng, 5)[:-1]}", ""]
            for _ in range(min(per_item, commitments - made)):
                lines.append(f"- {_sentence(rng, rng.randint(12, 40))}")
                made += 1
            lines.append("")
    lines += ["", "1st March 2025"]
    return "\n".join(lines) + "\n"


def make_synthetic(
    path: Path,
    commitments: int = 10_000,
    notes: int = 50_000,
    sources: int = 2_000,
    links_per_source: int = 2,
    meetings: int = 20,
    agenda_per_meeting: int = 15,
    seed: int = 1,
) -> Path:
    """Create `path`: a briefing file with the synthetic plan and its notes, sources, meetings."""
    from briefbook.plan_import.plan_parser import parse_plan
    from db.briefing.facade import Briefing
    from db.model.values import NOTE_KINDS

    rng = random.Random(seed)
    path = Path(path)
    path.unlink(missing_ok=True)
    with Briefing.create(path, user="synth") as briefing:
        report = briefing.import_plan(parse_plan(synthetic_plan_text(commitments, seed)))
        node_ids = [n.id for n in briefing.nodes(report.plan_id) if n.kind == "commitment"]
    conn = sqlite3.connect(path)
    stamp = "2025-03-01T09:00:00.000000Z"
    ids = lambda: str(uuid.UUID(int=rng.getrandbits(128), version=4))  # noqa: E731
    with conn:
        conn.executemany(
            "INSERT INTO note(id, node_id, kind, body, author, position, created_at, conflict_of,"
            " updated_at, updated_by, deleted_at) VALUES (?,?,?,?,?,?,?,NULL,?,?,NULL)",
            (
                (ids(), rng.choice(node_ids), rng.choice(NOTE_KINDS), _sentence(rng, rng.randint(10, 60)),
                 "synth", i, stamp, stamp, "synth")
                for i in range(notes)
            ),
        )
        source_rows = [(ids(), _sentence(rng, 6)[:-1], "Synthetic Times", f"https://example.org/{i}",
                        f"2025-{rng.randint(1, 12):02d}", _sentence(rng, 25), stamp, "synth") for i in range(sources)]
        conn.executemany(
            "INSERT INTO source(id, title, outlet, url, published, excerpt, updated_at, updated_by, deleted_at)"
            " VALUES (?,?,?,?,?,?,?,?,NULL)",
            source_rows,
        )
        from db.model.ids import link_id

        link_rows = {}
        for s in source_rows:
            for nid in rng.sample(node_ids, links_per_source):
                link_rows[link_id(s[0], nid)] = (link_id(s[0], nid), s[0], nid, _sentence(rng, 8), stamp, "synth")
        conn.executemany(
            "INSERT INTO source_link(id, source_id, node_id, quote, updated_at, updated_by, deleted_at)"
            " VALUES (?,?,?,?,?,?,NULL)",
            link_rows.values(),
        )
        for m in range(meetings):
            mid = ids()
            conn.execute(
                "INSERT INTO meeting(id, title, date, place, participants, classification, purpose,"
                " updated_at, updated_by, deleted_at) VALUES (?,?,?,?,?,?,?,?,?,NULL)",
                (mid, f"Meeting {m + 1}", f"2025-{m % 12 + 1:02d}-15", "Rome", "Delegations", "RESTRICTED",
                 _sentence(rng, 12), stamp, "synth"),
            )
            conn.executemany(
                "INSERT INTO agenda_item(id, meeting_id, node_id, position, points, updated_at, updated_by,"
                " deleted_at) VALUES (?,?,?,?,?,?,?,NULL)",
                [(ids(), mid, nid, pos, f"- {_sentence(rng, 10)}", stamp, "synth")
                 for pos, nid in enumerate(rng.sample(node_ids, agenda_per_meeting))],
            )
    conn.close()
    with Briefing.open(path, user="synth") as briefing:
        briefing.rebuild_search_index()
    return path


#: What notes on one commitment look like in bulk: prose of one to six sentences, some
#: Markdown (bold, a list, a link), lines typed one under another, Japanese and Italian.
_NOTE_SHAPES = (
    lambda rng: _sentence(rng, rng.randint(10, 60)),
    lambda rng: " ".join(_sentence(rng, rng.randint(8, 20)) for _ in range(rng.randint(3, 6))),
    lambda rng: f"**{_sentence(rng, 3)[:-1]}**: {_sentence(rng, 20)}\n- {_sentence(rng, 8)}\n- {_sentence(rng, 8)}",
    lambda rng: f"高市早苗総理と会談した。{_sentence(rng, 6)}\nIncontro con la Presidente Meloni a Roma, città eterna.",
    lambda rng: f"See [the readout](https://www.mofa.go.jp/{rng.randint(1, 999)}) — {_sentence(rng, 15)}",
)


def add_notes_on_one(path: Path, node_id: str, count: int, seed: int = 7) -> None:
    """Insert `count` notes on one node of `path` in bulk (every kind; a few conflicting copies)."""
    from db.model.values import NOTE_KINDS

    rng = random.Random(seed)
    ids = lambda: str(uuid.UUID(int=rng.getrandbits(128), version=4))  # noqa: E731
    stamp = "2025-03-01T09:00:00.000000Z"
    rows = []
    for i in range(count):
        note_id = ids()
        conflict_of = rows[-1][0] if i % 500 == 499 else None  # a merge's conflicting copy, now and then
        body = _NOTE_SHAPES[i % len(_NOTE_SHAPES)](rng)
        rows.append((note_id, node_id, NOTE_KINDS[i % len(NOTE_KINDS)], body, f"Writer {i % 7}", i, stamp,
                     conflict_of, stamp, "synth"))
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO note(id, node_id, kind, body, author, position, created_at, conflict_of,"
            " updated_at, updated_by, deleted_at) VALUES (?,?,?,?,?,?,?,?,?,?,NULL)",
            rows,
        )
    conn.close()


if __name__ == "__main__":
    import sys

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "synthetic.sqlite")
    make_synthetic(out)
    print(out)
