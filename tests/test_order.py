"""Timeline order: by start instant with offsets applied; ties by precision, then `order`, then id."""

from __future__ import annotations

from generator.dates import parse_event_date
from generator.model import Event, Translation
from generator.order import in_timeline_order


def event(event_id: str, when: str, zone: str = "Asia/Damascus", order: int = 0) -> Event:
    text = Translation("en", event_id, "", "", f"{event_id}.en.md")
    return Event(event_id, parse_event_date(when), zone, {"en": text}, order=order)


def ids(events) -> list[str]:
    return [e.id for e in in_timeline_order(events)]


def test_offsets_are_applied_before_comparing():
    # 21:30 in Damascus (UTC+2) is 19:30 UTC; 22:00 in Baghdad (UTC+3) is 19:00 UTC: Baghdad first.
    damascus = event("damascus", "2022-01-20T21:30")
    baghdad = event("baghdad", "2022-01-20T22:00", zone="Asia/Baghdad")
    explicit = event("explicit", "2022-01-20T19:15Z")
    assert ids([damascus, baghdad, explicit]) == ["baghdad", "explicit", "damascus"]


def test_ties_break_by_precision_coarser_first():
    day = event("b-day", "2022-01-01")
    month = event("c-month", "2022-01")
    year = event("d-year", "2022")
    minute = event("a-minute", "2022-01-01T00:00")
    assert ids([minute, day, month, year]) == ["d-year", "c-month", "b-day", "a-minute"]


def test_then_by_order_field_then_by_id():
    first = event("zzz", "2022-01-20", order=-1)
    second = event("aaa", "2022-01-20")
    third = event("bbb", "2022-01-20")
    last = event("aab", "2022-01-20", order=5)
    assert ids([last, third, second, first]) == ["zzz", "aaa", "bbb", "aab"]


def test_periods_sort_by_start_and_open_starts_by_end():
    period = event("period", "2022-01-20/2022-01-30")
    open_start = event("open-start", "../2022-01-25")
    point = event("point", "2022-01-22")
    assert ids([open_start, point, period]) == ["period", "point", "open-start"]


def test_order_is_the_same_whatever_the_input_order():
    events = [event(f"e{i}", f"2022-01-{1 + i % 5:02d}") for i in range(20)]
    assert ids(events) == ids(reversed(events)) == ids(sorted(events, key=lambda e: e.id[::-1]))
