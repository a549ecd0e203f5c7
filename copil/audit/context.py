"""The author of the current change travels in a ContextVar (set by the web
middleware or the CLI), so services never need a `request` to attribute a write."""

from __future__ import annotations

import contextlib
import getpass
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    label: str
    user: Any = None  # a django User, or None for CLI/system writes


_current: ContextVar[Actor | None] = ContextVar("copil_actor", default=None)


def current_actor() -> Actor:
    actor = _current.get()
    if actor is None:
        try:
            name = getpass.getuser()
        except Exception:  # noqa: BLE001 - no login name in some containers
            name = "inconnu"
        return Actor(label=f"système ({name})")
    return actor


@contextlib.contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def actor_for_user(user: Any) -> Actor:
    return Actor(label=user.get_username(), user=user)
