"""Rounds and what belongs to them, loaded from path ids for Litestar's dependency injection (404 when unknown).

A provider of a round's part takes the round as a dependency, so an unknown round answers first and the database
sees one query at a time.
"""

from __future__ import annotations

from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from participation.dialogues.schemas import RoundOut, TopicOut
from participation.dialogues.services import actions, agenda, published
from participation.dialogues.services.rounds import get_round
from participation.i18n import gettext as _


async def provide_round(round_id: FromPath[int]) -> RoundOut:
    """The round of the path with its topics."""
    round_ = await get_round(round_id)
    if round_ is None:
        raise NotFoundException(_("Diese Runde gibt es nicht."))
    return round_


def provide_topic(round_: NamedDependency[RoundOut], topic_id: FromPath[int]) -> TopicOut:
    """A topic of the path's round."""
    topic = next((topic for topic in round_.topics if topic.id == topic_id), None)
    if topic is None:
        raise NotFoundException(_("Dieses Thema gibt es in dieser Runde nicht."))
    return topic


async def provide_agenda_item(round_: NamedDependency[RoundOut], item_id: FromPath[int]) -> agenda.AgendaItemOut:
    """An agenda item of the path's round."""
    item = await agenda.get_agenda_item(round_.id, item_id)
    if item is None:
        raise NotFoundException(_("Diesen Tagesordnungspunkt gibt es in dieser Runde nicht."))
    return item


async def provide_action(round_: NamedDependency[RoundOut], action_id: FromPath[int]) -> actions.ActionItemOut:
    """An action item of the path's round (published or not: the office's minutes)."""
    action = await actions.get_action(round_.id, action_id)
    if action is None:
        raise NotFoundException(_("Diese Maßnahme gibt es in dieser Runde nicht."))
    return action


async def provide_round_version(round_id: FromPath[int], version_id: FromPath[int]) -> published.VersionOut:
    """A published version of the path's round's minutes."""
    version = await published.get_version(version_id)
    if version is None or version.round_id != round_id:
        raise NotFoundException(_("Diese Protokollversion gibt es nicht."))
    return version


async def provide_version(version_id: FromPath[int]) -> published.VersionOut:
    """Any published version of minutes (centre staff read them all)."""
    version = await published.get_version(version_id)
    if version is None:
        raise NotFoundException(_("Diese Protokollversion gibt es nicht."))
    return version


async def provide_public_version(version_id: FromPath[int]) -> published.VersionOut:
    """A version of minutes the office marked public; any other answers 404 like an unknown id."""
    version = await published.get_version(version_id)
    if version is None or not version.public:
        raise NotFoundException(_("Dieses Protokoll gibt es nicht oder es ist nicht öffentlich."))
    return version


#: The office's pages of a round: the round, its topics, agenda items and action items.
ROUND_DEPENDENCIES = {
    "round_": Provide(provide_round),
    "topic": Provide(provide_topic, sync_to_thread=False),
    "item": Provide(provide_agenda_item),
    "action": Provide(provide_action),
    "version": Provide(provide_round_version),
}
