"""What the plan importer builds: a parsed plan, node by node, before it is stored.

Unlike the values (`db.model.values`), drafts are built up and edited step by step
(the parser appends children, the import dialog moves and splits nodes), so
they are ordinary dataclasses; `Briefing.import_plan` stores one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from db.model.values import UnplacedLine


@dataclass
class NodeDraft:
    """One node of a parsed plan, before it is stored."""

    kind: str  # one of NODE_KINDS
    ref: str  # "3", "3.2", "3.2.1", "3.1.1.4"
    title: str  # short title ("Cooperation on Critical Minerals")
    text: str  # full text ("" for areas and items without body text)
    children: list[NodeDraft] = field(default_factory=list)
    #: What the importer guessed about this node, for the user to look at first (not stored).
    doubts: list[str] = field(default_factory=list)


@dataclass
class PlanDraft:
    """A parsed plan text: what `import_plan` stores."""

    title: str
    parties: list[str]
    period: str | None  # "2024-2027"
    adopted_on: str | None  # ISO date, possibly partial ("2024-06-14", "2024")
    preamble: str
    areas: list[NodeDraft]
    unplaced: list[UnplacedLine] = field(default_factory=list)
    #: The document's own names for its levels, by node kind ({"area": "Pillar"}); not stored.
    level_names: dict[str, str] = field(default_factory=dict)
    #: What the importer guessed about the whole plan (its title, what each level is); not stored.
    doubts: list[str] = field(default_factory=list)

    def guesses(self) -> list[tuple[str, str]]:
        """Every guess as (ref, what): the plan's own first (ref ""), then the nodes' in tree order."""
        return [("", d) for d in self.doubts] + [(n.ref, d) for n in self.walk() for d in n.doubts]

    def walk(self) -> list[NodeDraft]:
        """Every node, depth first, parents before children."""
        out: list[NodeDraft] = []
        stack = list(reversed(self.areas))
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.children))
        return out


