"""Disclosure control: how the respondents of one question are grouped before any figure is published.

Pure and without a database (DESIGN.md, "Privacy and trust"). Every figure any role sees is computed over *blocks*
that this module chooses, per question:

* A **group** is small for a question when ``0 < n < threshold``, where ``n`` is the number of its people who
  *answered that question* (not its size in the round).
* **Recoding before hiding.** Districts with enough answers are blocks of their own. The small ones are combined
  into one named residual block ("weitere Stadtteile: Hoheneck, Poppenweiler"), shown when it reaches the
  threshold. If even the residual stays below the threshold, its answers are left out of every figure of that
  question (the city figures then cover the shown blocks only, and say so). This is the complementary step, and it
  is chosen because it loses least: a few answers drop out of the city figures, instead of a large district losing
  its own results by being merged with the small ones (Census-style cell suppression would hide a large district's
  column too).
* **Centres** inside a district with enough answers are broken down the same way: centres (and "no centre named")
  with enough answers are blocks; the rest form the district's residual block, which must itself reach the
  threshold, else the smallest centre block is merged into it (the district's figure is already published, so its
  remainder cannot simply be left out).

Because all figures of a question are sums over the blocks of one partition (the city figure is the sum of the
shown district blocks, a district the sum of its centre blocks), no difference of two published figures is ever
smaller than a block: subtraction across pages, exports, themes and minutes yields nothing finer than a block of at
least ``threshold`` people. A run of themes over several questions groups by blocks that are unions of every one of
its questions' blocks (`common_blocks`). `participation audit` checks all of this with a solver.

A *cell* is the finest unit: a district and a centre in it (None: no centre named). Blocks are sets of cells.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

Cell = tuple[int, int | None]

DISTRICT = "district"
RESIDUAL = "residual"
CENTRE = "centre"
CENTRE_RESIDUAL = "centre_residual"


def is_small(count: int, threshold: int) -> bool:
    """True for a group that must not be shown on its own (zero describes nobody and is shown)."""
    return 0 < count < threshold


@dataclass(frozen=True)
class Block:
    """A set of cells whose figures are published together.

    `district_ids` are the districts with answers in it (a district block has one; a centre block the one it lies
    in); `centre_ids` the centres of a centre-level block.
    """

    key: str
    kind: str
    cells: frozenset[Cell]
    respondents: int
    district_ids: tuple[int, ...]
    centre_ids: tuple[int | None, ...] = ()

    @property
    def is_residual(self) -> bool:
        return self.kind in (RESIDUAL, CENTRE_RESIDUAL)


@dataclass(frozen=True)
class Grouping:
    """The publication plan of one question (or of the responses of a round).

    `shown` is False when nothing but the number of respondents may be published (fewer than `threshold` overall).
    `blocks` partition the shown cells by district; `excluded` are cells whose answers appear in no figure;
    `centre_blocks[d]` partition district d's cells by centre when d is a block of its own and can be broken down.
    """

    threshold: int
    total: int
    shown: bool
    blocks: tuple[Block, ...] = ()
    excluded: frozenset[Cell] = frozenset()
    centre_blocks: Mapping[int, tuple[Block, ...]] = field(default_factory=dict)

    @property
    def shown_cells(self) -> frozenset[Cell]:
        return frozenset(cell for block in self.blocks for cell in block.cells)

    @property
    def shown_total(self) -> int:
        return sum(block.respondents for block in self.blocks)

    @property
    def excluded_count(self) -> int:
        return self.total - self.shown_total if self.shown else self.total

    def block_of_district(self, district_id: int) -> Block | None:
        """The block a district's answers are published in (its own or the residual), None when left out."""
        for block in self.blocks:
            if district_id in block.district_ids:
                return block
        return None

    def own_block(self, district_id: int) -> Block | None:
        block = self.block_of_district(district_id)
        return block if block is not None and block.kind == DISTRICT else None

    def block_of_cell(self, cell: Cell) -> Block | None:
        for block in self.blocks:
            if cell in block.cells:
                return block
        return None

    def centre_block(self, district_id: int, centre_id: int | None) -> Block | None:
        """The centre-level block of a centre, None when its district has no centre breakdown."""
        for block in self.centre_blocks.get(district_id, ()):
            if (district_id, centre_id) in block.cells:
                return block
        return None


def _sum(counts: Mapping[Cell, int], cells: Iterable[Cell]) -> int:
    return sum(counts.get(cell, 0) for cell in cells)


def group_cells(counts: Mapping[Cell, int], threshold: int) -> Grouping:
    """The publication plan for respondents counted per cell (cells with 0 may be left out of `counts`)."""
    counts = {cell: n for cell, n in counts.items() if n > 0}
    plan = _too_few(counts, threshold)
    if plan is not None:
        return plan
    by_district: dict[int, list[Cell]] = {}
    for cell in counts:
        by_district.setdefault(cell[0], []).append(cell)
    own = [d for d in sorted(by_district) if _sum(counts, by_district[d]) >= threshold]
    rest = [cell for d in sorted(by_district) if d not in own for cell in by_district[d]]
    plan = _district_plan(counts, own, rest, threshold)
    centre_blocks = {
        block.district_ids[0]: parts
        for block in plan.blocks if block.kind == DISTRICT
        for parts in [_centre_blocks(block, counts, threshold)] if parts
    }
    return replace(plan, centre_blocks=centre_blocks)


def _centre_blocks(district: Block, counts: Mapping[Cell, int], threshold: int) -> tuple[Block, ...]:
    """The centre breakdown of a district block; empty when the district cannot be broken down."""
    district_id = district.district_ids[0]
    own = sorted((cell for cell in district.cells if counts.get(cell, 0) >= threshold),
                 key=lambda cell: (counts[cell], -1 if cell[1] is None else cell[1]))
    rest = [cell for cell in district.cells if cell not in own]
    if 0 < _sum(counts, rest) < threshold:
        if not own:
            return ()
        rest.append(own.pop(0))  # the smallest centre block joins the remainder
    if not own:
        return ()
    parts = [Block(key=f"d{district_id}c{cell[1] if cell[1] is not None else 'x'}", kind=CENTRE,
                   cells=frozenset([cell]), respondents=counts[cell], district_ids=(district_id,),
                   centre_ids=(cell[1],)) for cell in sorted(own, key=lambda c: (c[1] is None, c[1] or 0))]
    if rest:
        parts.append(Block(key=f"d{district_id}rest", kind=CENTRE_RESIDUAL, cells=frozenset(rest),
                           respondents=_sum(counts, rest), district_ids=(district_id,),
                           centre_ids=tuple(sorted((c[1] for c in rest), key=lambda c: (c is None, c or 0)))))
    return tuple(parts)


def common_blocks(groupings: Iterable[Grouping], counts: Mapping[Cell, int], threshold: int) -> Grouping:
    """One district-level plan for figures that add up answers of several questions (a topic's themes).

    A district is a block of its own only where it is one in every question it answered; the other districts form
    one residual. So every block here is a union of each question's blocks, and no figure over several questions can
    be combined with one question's figures into something finer than a block. Cells left out of a question must
    be left out of `counts` by the caller (their answers are dropped from such figures).
    """
    groupings = list(groupings)
    counts = {cell: n for cell, n in counts.items() if n > 0}
    plan = _too_few(counts, threshold)
    if plan is not None:
        return plan
    districts = sorted({cell[0] for cell in counts})
    own = [
        d for d in districts
        if all(g.own_block(d) is not None or not any(cell[0] == d for cell in g.shown_cells) for g in groupings)
        and _sum(counts, [c for c in counts if c[0] == d]) >= threshold
    ]
    return _district_plan(counts, own, [c for c in counts if c[0] not in own], threshold)


def _too_few(counts: Mapping[Cell, int], threshold: int) -> Grouping | None:
    """The plan when there is nothing to group: no answers, or fewer than `threshold` in all (then nothing but the
    number of respondents is shown); None otherwise."""
    total = sum(counts.values())
    if total == 0:
        return Grouping(threshold=threshold, total=0, shown=True)
    if total < threshold:
        return Grouping(threshold=threshold, total=total, shown=False, excluded=frozenset(counts))
    return None


def _district_plan(counts: Mapping[Cell, int], own: Iterable[int], rest: Iterable[Cell], threshold: int) -> Grouping:
    """The district-level plan: a block for each district in `own` (in that order), then the `rest` cells as one
    residual block when it reaches the threshold, else left out of every figure."""
    rest = frozenset(rest)
    blocks = [
        Block(key=f"d{d}", kind=DISTRICT, cells=frozenset(c for c in counts if c[0] == d),
              respondents=_sum(counts, [c for c in counts if c[0] == d]), district_ids=(d,))
        for d in own
    ]
    excluded: frozenset[Cell] = frozenset()
    if rest:
        n = _sum(counts, rest)
        if n >= threshold:
            blocks.append(Block(key="rest", kind=RESIDUAL, cells=rest, respondents=n,
                                district_ids=tuple(sorted({c[0] for c in rest}))))
        else:
            excluded = rest
    return Grouping(threshold=threshold, total=sum(counts.values()), shown=True, blocks=tuple(blocks),
                    excluded=excluded)


def rounded_count(count: int, step: int = 5) -> int:
    """A count rounded to a multiple of `step` (at least `step` when there is any), for surveys still open."""
    if count <= 0:
        return 0
    return max(step, step * round(count / step))


Labeller = Callable[[Block], str]
