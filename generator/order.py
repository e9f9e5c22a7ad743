"""Order stage: the one chronological order of events, stable for equal input."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from generator.model import Event


def timeline_key(event: Event) -> tuple[datetime, int, int, str]:
    """Start instant (offsets applied), then coarser precision first, then `order`, then id."""
    anchor = event.when.anchor
    return (anchor.instant(event.timezone), int(anchor.precision), event.order, event.id)


def in_timeline_order(events: Iterable[Event]) -> tuple[Event, ...]:
    return tuple(sorted(events, key=timeline_key))


class RememberedOrder:
    """in_timeline_order for a builder that rebuilds often: an event's sort key is computed once
    (unchanged events are the same objects from one rebuild to the next)."""

    def __init__(self) -> None:
        self._keys: dict[int, tuple[Event, tuple]] = {}

    def __call__(self, events: Iterable[Event]) -> tuple[Event, ...]:
        keys = {}
        for event in events:
            known = self._keys.get(id(event))
            keys[id(event)] = known if known is not None and known[0] is event else (event, timeline_key(event))
        self._keys = keys  # only the events of this build: keeps it from growing across rebuilds
        return tuple(event for event, _ in sorted(keys.values(), key=lambda known: known[1]))
