"""The live poll of the session (*Stimmungsbild*): the office opens a question, parents in the room vote with their
phones (no account, one vote per phone), the projector shows the result, closing stores it with the minutes.

Privacy: a result is shown only from `threshold` voters on, and it moves in steps. Whoever watches the projector
while one person votes would otherwise see that person's vote as the difference of two screens; so the shown state
(`Poll.shown`, the same for every app process and every screen) only moves when at least `threshold` voters came
since the state shown before. Closing stores the last state reached that way, which is the full count whenever the
votes after the last step are at least `threshold` (or nothing was shown yet); otherwise the late votes stay out of
the result, which says how many there were.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from participation.dialogues.services.agenda import SessionError, list_agenda
from participation.dialogues.tables import Poll, PollOption, PollVote
from participation.i18n import gettext as _

KINDS = ("top3", "yes_no", "scale")
MAX_QUESTION_CHARS = 300
MAX_POLLS_PER_ROUND = 50
#: Short codes for the address on the projector: no 0/O, 1/I/L, so they can be read from the back of a room.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 4


class PollError(SessionError):
    """A request about a poll cannot be done as asked."""


#: The question a poll gets when the office leaves it empty, stored in German and shown in the reader's language.
DEFAULT_QUESTIONS = {
    "top3": "Welche drei Themen sind Ihnen am wichtigsten?",
    "yes_no": "Stimmen Sie zu?",
    "scale": "Wie zufrieden sind Sie? (1 = gar nicht, 5 = sehr)",
}


def _default_question_catalogue() -> None:  # pragma: no cover - only for the message extraction
    _("Welche drei Themen sind Ihnen am wichtigsten?")
    _("Stimmen Sie zu?")
    _("Wie zufrieden sind Sie? (1 = gar nicht, 5 = sehr)")


def shown_question(question: str) -> str:
    """The question in the reader's language where it is one of the default questions (the office's own stay)."""
    return _(question) if question in DEFAULT_QUESTIONS.values() else question


def max_choices(kind: str) -> int:
    return 3 if kind == "top3" else 1


@dataclass(frozen=True, slots=True)
class OptionOut:
    id: int
    value: str
    label: str

    @property
    def display(self) -> str:
        """The label in the reader's language (yes/no are translated; agenda titles and numbers stay)."""
        if self.value == "yes":
            return _("Ja")
        if self.value == "no":
            return _("Nein")
        return self.label


@dataclass(frozen=True, slots=True)
class PollOut:
    id: int
    round_id: int
    kind: str
    question: str
    status: str
    code: str
    opened_at: Any
    closed_at: Any
    options: tuple[OptionOut, ...]
    result: dict

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def max_choices(self) -> int:
        return max_choices(self.kind)

    @property
    def shown_question(self) -> str:
        return shown_question(self.question)

    @property
    def stored(self) -> dict:
        """The stored result of a closed poll, as the minutes' snapshot holds it."""
        return {"id": self.id, **self.result}


@dataclass(frozen=True, slots=True)
class ShownOption:
    label: str
    count: int
    percent: float


@dataclass(frozen=True, slots=True)
class PollView:
    """What a screen shows of a poll: the number of votes received, and the stepped result (None below the
    threshold)."""

    poll_id: int
    status: str
    received: int
    threshold: int
    voters: int = 0
    options: list[ShownOption] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.voters >= self.threshold

    def as_json(self) -> dict:
        return {
            "status": self.status, "received": self.received, "threshold": self.threshold, "shown": self.shown,
            "voters": self.voters,
            "options": [{"label": o.label, "count": o.count, "percent": o.percent} for o in self.options],
        }


def _now() -> datetime:
    return datetime.now(UTC)


def _loads(value: Any) -> dict:
    import json

    if isinstance(value, str):
        return json.loads(value) if value else {}
    return value or {}


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normal_code(code: str) -> str:
    return (code or "").strip().upper()[:8]


def token_hash(poll_id: int, token: str) -> str:
    """What the database keeps of a phone's token: never the token itself."""
    return hashlib.sha256(f"poll:{poll_id}:{token}".encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(24)


# --- the office ------------------------------------------------------------------------------------------------------

async def create_poll(round_id: int, kind: str, question: str = "") -> int:
    """A draft poll of the round; a top-3 poll takes the agenda's items as its options (their titles copied)."""
    if kind not in KINDS:
        raise PollError(_("Bitte wählen Sie die Art der Abstimmung."), "kind")
    question = (question or "").strip() or DEFAULT_QUESTIONS[kind]
    if len(question) > MAX_QUESTION_CHARS:
        raise PollError(_("Die Frage ist zu lang (höchstens %(n)s Zeichen).", n=MAX_QUESTION_CHARS), "question")
    if await Poll.count().where(Poll.round == round_id) >= MAX_POLLS_PER_ROUND:
        raise PollError(_("Diese Runde hat schon %(n)s Abstimmungen; mehr sind nicht möglich.",
                          n=MAX_POLLS_PER_ROUND))
    if kind == "top3":
        items = await list_agenda(round_id)
        if len(items) < 2:
            raise PollError(_("Für „Die drei wichtigsten Themen“ braucht die Tagesordnung mindestens zwei Punkte."),
                            "kind")
        options = [("item", f"{n}. {item.title}"[:300]) for n, item in enumerate(items, 1)]
    elif kind == "yes_no":
        options = [("yes", "Ja"), ("no", "Nein")]
    else:
        options = [(str(n), str(n)) for n in range(1, 6)]
    for _attempt in range(20):
        code = _new_code()
        if not await Poll.exists().where(Poll.code == code):
            break
    else:  # pragma: no cover - 31^4 codes
        raise PollError(_("Es konnte keine Kurzadresse vergeben werden. Bitte versuchen Sie es noch einmal."))
    async with Poll._meta.db.transaction():
        rows = await Poll.insert(Poll(round=round_id, kind=kind, question=question, code=code)).returning(Poll.id)
        poll_id = rows[0]["id"]
        await PollOption.insert(*[
            PollOption(poll=poll_id, position=n, value=value, label=label) for n, (value, label) in enumerate(options)
        ])
    return poll_id


def _poll(row: dict, options: list[dict]) -> PollOut:
    return PollOut(
        id=row["id"], round_id=row["round"], kind=row["kind"], question=row["question"], status=row["status"],
        code=row["code"], opened_at=row["opened_at"], closed_at=row["closed_at"],
        options=tuple(OptionOut(id=o["id"], value=o["value"], label=o["label"]) for o in options),
        result=_loads(row["result"]),
    )


async def _with_options(rows: list[dict]) -> list[PollOut]:
    if not rows:
        return []
    options = await PollOption.select().where(PollOption.poll.is_in([r["id"] for r in rows])).order_by(
        PollOption.position)
    by_poll: dict[int, list[dict]] = {}
    for option in options:
        by_poll.setdefault(option["poll"], []).append(option)
    return [_poll(row, by_poll.get(row["id"], [])) for row in rows]


_POLL_COLUMNS = (Poll.id, Poll.round, Poll.kind, Poll.question, Poll.status, Poll.code, Poll.opened_at,
                 Poll.closed_at, Poll.result)


async def list_polls(round_id: int) -> list[PollOut]:
    rows = await Poll.select(*_POLL_COLUMNS).where(Poll.round == round_id).order_by(Poll.id)
    return await _with_options(rows)


async def get_poll(round_id: int, poll_id: int) -> PollOut | None:
    rows = await Poll.select(*_POLL_COLUMNS).where((Poll.id == poll_id) & (Poll.round == round_id))
    polls = await _with_options(rows)
    return polls[0] if polls else None


async def poll_by_code(code: str) -> PollOut | None:
    """The poll behind a short address (any status; the caller decides what a draft or closed one shows)."""
    code = normal_code(code)
    if not code:
        return None
    polls = await _with_options(await Poll.select(*_POLL_COLUMNS).where(Poll.code == code))
    return polls[0] if polls else None


async def open_poll(round_id: int, poll_id: int) -> None:
    """Open a draft poll for votes; several polls of a round may be open at once."""
    poll = await get_poll(round_id, poll_id)
    if poll is None or poll.status != "draft":
        raise PollError(_("Nur eine vorbereitete Abstimmung kann geöffnet werden."))
    await Poll.update({Poll.status: "open", Poll.opened_at: _now()}).where(
        (Poll.id == poll_id) & (Poll.status == "draft"))


async def close_poll(round_id: int, poll_id: int, *, threshold: int) -> dict:
    """Close an open poll and store its result (the last shown step, see the module's docstring)."""
    poll = await get_poll(round_id, poll_id)
    if poll is None or poll.status != "open":
        raise PollError(_("Nur eine offene Abstimmung kann geschlossen werden."))
    view = await live_view(poll_id, threshold=threshold)
    result = {
        "question": poll.question, "kind": poll.kind, "threshold": threshold, "received": view.received,
        "voters": view.voters if view.shown else 0,
        "options": [{"label": o.label, "count": o.count, "percent": o.percent} for o in view.options],
    }
    await Poll.update({Poll.status: "closed", Poll.closed_at: _now(), Poll.result: result}).where(
        (Poll.id == poll_id) & (Poll.status == "open"))
    return result


async def delete_poll(round_id: int, poll_id: int) -> None:
    """Remove a poll that was never opened (an opened one belongs to the session's record)."""
    poll = await get_poll(round_id, poll_id)
    if poll is None or poll.status != "draft":
        raise PollError(_("Nur eine vorbereitete, noch nicht geöffnete Abstimmung kann entfernt werden."))
    await Poll.delete().where((Poll.id == poll_id) & (Poll.status == "draft"))


# --- parents' phones -------------------------------------------------------------------------------------------------

async def has_voted(poll_id: int, token: str | None) -> bool:
    if not token:
        return False
    return await PollVote.exists().where(PollVote.token_hash == token_hash(poll_id, token))


def check_choices(poll: PollOut, raw: list[str]) -> list[int]:
    """The chosen option ids of a form, or PollError with the message for the parent."""
    ids = {o.id for o in poll.options}
    chosen: list[int] = []
    for value in raw:
        try:
            option_id = int(value)
        except (TypeError, ValueError):
            option_id = None
        if option_id not in ids:
            raise PollError(_("Diese Antwort gibt es bei dieser Abstimmung nicht."), "choice")
        if option_id not in chosen:
            chosen.append(option_id)
    if not chosen:
        if poll.max_choices > 1:
            raise PollError(_("Bitte wählen Sie mindestens ein Thema."), "choice")
        raise PollError(_("Bitte wählen Sie eine Antwort."), "choice")
    if len(chosen) > poll.max_choices:
        raise PollError(_("Bitte wählen Sie höchstens drei Themen."), "choice")
    return chosen


async def cast_vote(poll: PollOut, token: str, choices: list[int]) -> bool:
    """Record a phone's vote; False when this phone (token) has voted already.

    The unique token hash decides, in the database: two requests of one phone at once (a double click, two app
    processes) record one vote."""
    if not poll.is_open:
        raise PollError(_("Diese Abstimmung ist beendet."))
    padded = [*choices, None, None][:3]
    vote = PollVote(poll=poll.id, token_hash=token_hash(poll.id, token), choice_1=padded[0], choice_2=padded[1],
                    choice_3=padded[2])
    rows = await PollVote.insert(vote).on_conflict(action="DO NOTHING").returning(PollVote.id)
    return bool(rows)


# --- counting and the stepped view -----------------------------------------------------------------------------------

_COUNT_SQL = (
    "SELECT 1 AS slot, choice_1 AS choice, COUNT(*) AS n FROM dialogue_poll_vote WHERE poll = {} GROUP BY choice_1 "
    "UNION ALL SELECT 2, choice_2, COUNT(*) FROM dialogue_poll_vote WHERE poll = {} AND choice_2 IS NOT NULL "
    "GROUP BY choice_2 "
    "UNION ALL SELECT 3, choice_3, COUNT(*) FROM dialogue_poll_vote WHERE poll = {} AND choice_3 IS NOT NULL "
    "GROUP BY choice_3"
)


async def count_votes(poll_id: int) -> tuple[int, dict[int, int]]:
    """(voters, votes per option id) in one grouped query: what the live view costs per poll and second."""
    rows = await PollVote.raw(_COUNT_SQL, poll_id, poll_id, poll_id)
    voters = 0
    counts: dict[int, int] = {}
    for row in rows:
        if row["slot"] == 1:
            voters += row["n"]
        counts[row["choice"]] = counts.get(row["choice"], 0) + row["n"]
    return voters, counts


def _shown_options(poll_options: list[dict], counts: dict, voters: int) -> list[ShownOption]:
    return [
        ShownOption(label=o["label"], count=counts.get(str(o["id"]), 0),
                    percent=round(100 * counts.get(str(o["id"]), 0) / voters, 1) if voters else 0.0)
        for o in poll_options
    ]


async def live_view(poll_id: int, *, threshold: int) -> PollView:
    """The poll as every screen shows it now, moving the shared stepped state on when enough new voters came.

    The step is written with the state it replaces as condition, so when several app processes take a step at
    once one of them wins and all show its state."""
    poll = await Poll.select(Poll.status, Poll.shown_voters, Poll.shown, Poll.kind, Poll.result).where(
        Poll.id == poll_id).first()
    if poll is None:
        raise PollError(_("Diese Abstimmung gibt es nicht."))
    options = await PollOption.select(PollOption.id, PollOption.label, PollOption.value).where(
        PollOption.poll == poll_id).order_by(PollOption.position)
    labels = [{**o, "label": OptionOut(o["id"], o["value"], o["label"]).display} for o in options]
    if poll["status"] == "closed":
        result = _loads(poll["result"])
        stored = result.get("options", [])
        shown = [ShownOption(label=labels[n]["label"] if n < len(labels) else o["label"], count=o["count"],
                             percent=o["percent"]) for n, o in enumerate(stored)]
        return PollView(poll_id, "closed", result.get("received", 0), threshold, result.get("voters", 0), shown)
    voters, counts = await count_votes(poll_id)
    shown_voters = poll["shown_voters"]
    state = _loads(poll["shown"])
    if voters >= threshold and voters - shown_voters >= threshold:
        state = {"voters": voters, "counts": {str(k): v for k, v in counts.items()}}
        await Poll.update({Poll.shown: state, Poll.shown_voters: voters}).where(
            (Poll.id == poll_id) & (Poll.shown_voters == shown_voters))
        fresh = await Poll.select(Poll.shown).where(Poll.id == poll_id).first()
        state = _loads(fresh["shown"])
    shown_voters = state.get("voters", 0)
    return PollView(poll_id, poll["status"], voters, threshold, shown_voters,
                    _shown_options(labels, state.get("counts", {}), shown_voters) if shown_voters else [])


async def round_results(round_id: int) -> list[dict]:
    """The stored results of the round's closed polls, in order, for the minutes (a snapshot part)."""
    rows = await Poll.select(Poll.id, Poll.result).where((Poll.round == round_id) & (Poll.status == "closed")).order_by(
        Poll.id)
    return [{"id": row["id"], **_loads(row["result"])} for row in rows]
