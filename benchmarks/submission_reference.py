"""The reference for the submission benchmark: a minimal Litestar handler with plain asyncpg.

It parses the same form as the parents' final page and writes the same rows (one response, one answer per value) in
one transaction: what the hardware and the framework can do without our validation, templates and ORM. No CSRF, no
rate limit, no checks beyond what the insert needs. Run by `benchmarks/submissions.py`, not meant to be served:

    DATABASE_URL=postgresql://… SURVEY_ID=1 uvicorn benchmarks.submission_reference:app
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import asyncpg
from litestar import Litestar, Request, post
from litestar.response import Redirect

state: dict = {}


async def startup() -> None:
    state["pool"] = pool = await asyncpg.create_pool(os.environ["DATABASE_URL"], min_size=1, max_size=20)
    survey_id = int(os.environ["SURVEY_ID"])
    rows = await pool.fetch("SELECT id, key, kind FROM survey_question WHERE survey = $1", survey_id)
    state["questions"] = {f"q_{row['key']}": (row["id"], row["kind"]) for row in rows}


async def shutdown() -> None:
    await state["pool"].close()


@post("/umfrage/{survey_id:int}/antworten", status_code=303)
async def submit(request: Request, survey_id: int) -> Redirect:
    form = await request.form()
    records = []
    for name, (question_id, kind) in state["questions"].items():
        values = form.getall(name, [])
        other = " ".join(form.getall(f"{name}_other", [])) or None
        for value in values:
            if kind in ("number",):
                records.append((question_id, None, float(value.replace(",", ".")), None))
            elif kind in ("short_text", "long_text"):
                records.append((question_id, None, None, value))
            elif kind == "scale":
                records.append((question_id, value, float(value), None))
            else:
                records.append((question_id, value, None, other if value == "other" else None))
    async with state["pool"].acquire() as connection, connection.transaction():
        response_id = await connection.fetchval(
            "INSERT INTO survey_response (survey, district, centre, language, submitted_on, submission_id) "
            "VALUES ($1, $2, NULL, 'de', $3, $4) RETURNING id",
            survey_id, int(form["district"]), datetime.now(UTC).date(), form["submission_id"],
        )
        await connection.execute(
            "INSERT INTO survey_answer (response, question, choice, number, text, hidden) "
            "SELECT $1, q, c, n, t, false "
            "FROM unnest($2::int[], $3::text[], $4::float8[], $5::text[]) AS u(q, c, n, t)",
            response_id, [r[0] for r in records], [r[1] for r in records], [r[2] for r in records],
            [r[3] for r in records],
        )
    return Redirect(f"/umfrage/{survey_id}/danke", status_code=303)


app = Litestar([submit], on_startup=[startup], on_shutdown=[shutdown])
