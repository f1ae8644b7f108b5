"""A sender killed mid-batch (kill -9 right after the SMTP server accepted a mail, before it was marked sent): no
mail is lost, and only the one in flight may arrive twice. A real `participation worker` process dies; the next
run (here in the test's process, with the clock moved past the dead sender's claim) sends the rest."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from participation import jobs
from participation.notifications.services import sending, subscriptions
from participation.notifications.tables import Mail, SentCount, Subscription
from tests.jobs.test_worker_process import start_worker, wait_exit

ADDRESSES = [f"familie{n}@example.org" for n in range(6)]


async def _confirmed_subscriptions(round_id: int, secret_key: str) -> None:
    for address in ADDRESSES:
        await subscriptions.subscribe(round_id, address, "de", secret_key=secret_key)
    for row in await Subscription.select(Subscription.id, Subscription.address_key):
        await subscriptions.confirm(subscriptions.link_token(secret_key, row["id"], row["address_key"]))
    await Mail.update({Mail.status: "sent"}).where(Mail.kind == subscriptions.CONFIRM)  # not under test here


async def test_a_sender_killed_mid_batch_loses_no_mail_and_sends_at_most_the_one_in_flight_twice(
        make, smtp, mail_settings, tmp_path):
    round_id = await make.round()
    await _confirmed_subscriptions(round_id, mail_settings.secret_key)
    assert await subscriptions.queue_outcome_mails(round_id) == len(ADDRESSES)
    job_id = await jobs.enqueue(sending.SEND_JOB, {"audience": jobs.OFFICE})

    log = tmp_path / "worker.log"
    worker = start_worker(log, SMTP_URL=smtp.url, MAIL_FROM="familiendialog@stadt.example",
                          PARTICIPATION_FAULT="after:notifications.accepted")
    assert await wait_exit(worker, log) == -9, log.read_text()
    # The server has the mail; the sender died before marking it: it is still queued, like every other.
    assert len(smtp.inbox.messages) == 1
    assert await Mail.count().where((Mail.kind == subscriptions.OUTCOMES) & (Mail.status == "queued")) == 6
    assert (await jobs.get_job(job_id)).status == jobs.JobStatus.RUNNING

    # The next run, once the dead sender's claim on its mail has run out.
    later = datetime.now(UTC) + timedelta(seconds=sending.claim_seconds(mail_settings) + 1)
    result = await sending.send_due_mails(mail_settings, now=later)
    assert result == {"configured": True, "sent": 6, "failed": 0}

    received = Counter(message["To"] for message in smtp.inbox.messages)
    assert set(received) == set(ADDRESSES)  # every address got its mail
    assert sorted(received.values()) == [1, 1, 1, 1, 1, 2]  # only the one in flight went twice
    assert (await SentCount.select(SentCount.outcomes_sent).first())["outcomes_sent"] == 6
    assert not await Subscription.exists()  # told, then deleted
