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
