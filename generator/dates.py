"""Event dates: ISO 8601 and EDTF level 1, with precision and qualifiers kept.

A date is parsed once into plain frozen values; the instant it starts is computed
in the event's IANA time zone, so historical offsets (Syria: UTC+2 until
2022-10-28, UTC+3 after) come from the zone database, not from us.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from enum import IntEnum
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.relativedelta import relativedelta


class DateSyntaxError(ValueError):
    """A date string that does not follow the date syntax (message says how to mend it)."""


class Precision(IntEnum):
    """How much of a date is known; a lower value is coarser and sorts first on ties."""

    YEAR = 0
    MONTH = 1
    DAY = 2
    MINUTE = 3
    SECOND = 4


@dataclass(frozen=True)
class DatePoint:
    """One end of a date, as written: the fields given, the rest unknown."""

    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    offset_minutes: int | None = None  # an explicit offset (`+02:00`, `Z`), else the zone decides
    approximate: bool = False
    uncertain: bool = False

    @property
    def precision(self) -> Precision:
        if self.second is not None:
            return Precision.SECOND
        if self.minute is not None:
            return Precision.MINUTE
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    def local_start(self) -> datetime:
        """The first moment of this point as a naive local date-time."""
        return datetime(self.year, self.month or 1, self.day or 1, self.hour or 0, self.minute or 0, self.second or 0)

    def instant(self, zone: str) -> datetime:
        """The first moment of this point, in UTC."""
        local = self.local_start()
        if self.offset_minutes is not None:
            aware = local.replace(tzinfo=timezone(timedelta(minutes=self.offset_minutes)))
        else:
            aware = local.replace(tzinfo=ZoneInfo(zone))
        return aware.astimezone(UTC)

    def end_instant(self, zone: str) -> datetime:
        """The first moment after this point: a month-precision date covers the whole month."""
        step = {
            Precision.YEAR: relativedelta(years=1),
            Precision.MONTH: relativedelta(months=1),
            Precision.DAY: relativedelta(days=1),
            Precision.MINUTE: relativedelta(minutes=1),
            Precision.SECOND: relativedelta(seconds=1),
        }[self.precision]
        following = self.local_start() + step  # calendar arithmetic in local time, then the zone's offset
        offset = self.offset_minutes
        tz = timezone(timedelta(minutes=offset)) if offset is not None else ZoneInfo(zone)
        return following.replace(tzinfo=tz).astimezone(UTC)

    def utc_offset(self, zone: str) -> timedelta:
        """The offset in force at this point (explicit, or from the zone's history)."""
        if self.offset_minutes is not None:
            return timedelta(minutes=self.offset_minutes)
        offset = self.local_start().replace(tzinfo=ZoneInfo(zone)).utcoffset()
        assert offset is not None
        return offset

    def machine_value(self, zone: str) -> str:
        """The exact value for `<time datetime>`, at this point's precision."""
        if self.minute is None and self.second is None:  # a date without a time: as precise as its fields
            if self.month is None:
                return f"{self.year:04d}"
            if self.day is None:
                return f"{self.year:04d}-{self.month:02d}"
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        return _timed_machine_value(self, zone)

    def as_edtf(self) -> str:
        """The point written back in the content syntax (qualifier included)."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        if self.minute is not None:
            text += f"T{self.hour:02d}:{self.minute:02d}"
            if self.second is not None:
                text += f":{self.second:02d}"
            if self.offset_minutes is not None:
                text += format_offset(timedelta(minutes=self.offset_minutes))
        return text + qualifier_mark(self.approximate, self.uncertain)


@lru_cache(maxsize=1 << 16)  # 8 µs with the zone's offset, and each point is shown on several pages and files
def _timed_machine_value(point: DatePoint, zone: str) -> str:
    seconds = f":{point.second:02d}" if point.second is not None else ""
    return f"{point.local_start():%Y-%m-%dT%H:%M}{seconds}{format_offset(point.utc_offset(zone))}"


@dataclass(frozen=True)
class EventDate:
    """When an event happened: a start, and an end for periods.

    `start` is None for an unknown start (`../2022-01-20`); `open_end` marks an
    ongoing period (`2022-01-20/..`).
    """

    start: DatePoint | None
    end: DatePoint | None = None
    open_end: bool = False

    @property
    def is_period(self) -> bool:
        return self.end is not None or self.open_end or self.start is None

    @property
    def anchor(self) -> DatePoint:
        """The point the event is placed by on the time axis."""
        point = self.start or self.end
        assert point is not None
        return point

    def sort_instant(self, zone: str) -> datetime:
        return self.anchor.instant(zone)


def format_offset(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "Z"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def qualifier_mark(approximate: bool, uncertain: bool) -> str:
    if approximate and uncertain:
        return "%"
    return "~" if approximate else "?" if uncertain else ""


_POINT = re.compile(
    r"""^(?P<year>\d{4})
        (?:-(?P<month>\d{2})
          (?:-(?P<day>\d{2})
            (?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?
               (?P<offset>Z|[+-]\d{2}(?::?\d{2})?)?
            )?
          )?
        )?
        (?P<qualifier>[~?%])?$""",
    re.VERBOSE,
)

_OPEN = {"..", ""}
_HINT = (
    "write it as YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM (optionally with an offset"
    " like +02:00), with ~ (approximate), ? (uncertain) or % (both) at the end, or as an"
    " interval START/END where an end may be .. (open)"
)


def parse_point(text: str) -> DatePoint:
    """Parse one date (no interval). Raises DateSyntaxError with a mending hint."""
    match = _POINT.match(text.strip())
    if not match:
        raise DateSyntaxError(f"'{text}' is not a date; {_HINT}")
    parts = match.groupdict()
    numbers = {k: int(v) for k, v in parts.items() if v and k not in ("offset", "qualifier")}
    _check_calendar(text, numbers)
    qualifier = parts["qualifier"] or ""
    return DatePoint(
        **numbers,
        offset_minutes=_parse_offset(text, parts["offset"]),
        approximate=qualifier in ("~", "%"),
        uncertain=qualifier in ("?", "%"),
    )


def parse_event_date(value: object) -> EventDate:
    """Parse a `date` field value: a point, or an interval START/END."""
    text = _as_text(value)
    if "/" not in text:
        return EventDate(start=parse_point(text))
    if text.count("/") > 1:
        raise DateSyntaxError(f"'{text}' has more than one '/'; an interval is START/END")
    first, second = (part.strip() for part in text.split("/"))
    if first in _OPEN and second in _OPEN:
        raise DateSyntaxError(f"'{text}' has neither a start nor an end; give at least one date")
    start = None if first in _OPEN else parse_point(first)
    end = None if second in _OPEN else parse_point(second)
    period = EventDate(start=start, end=end, open_end=end is None)
    check_order(period)
    return period


def with_end(when: EventDate, end_value: object) -> EventDate:
    """Combine a `date` with a separate `end` field."""
    if when.is_period:
        raise DateSyntaxError("'date' is already an interval; drop 'end' or write 'date' as one date")
    text = _as_text(end_value)
    period = (
        EventDate(start=when.start, open_end=True)
        if text == ".."
        else EventDate(start=when.start, end=parse_point(text))
    )
    check_order(period)
    return period


def check_order(period: EventDate) -> None:
    """An end must not come before the start (compared at the coarser precision)."""
    if period.start is None or period.end is None:
        return
    precision = min(period.start.precision, period.end.precision, Precision.DAY)
    if _truncate(period.end, precision) < _truncate(period.start, precision):
        raise DateSyntaxError(
            f"the end {period.end.as_edtf()} comes before the start {period.start.as_edtf()}; swap them or correct one"
        )
    both_timed = period.start.precision >= Precision.MINUTE and period.end.precision >= Precision.MINUTE
    if both_timed and period.end.local_start() < period.start.local_start():
        raise DateSyntaxError(f"the end {period.end.as_edtf()} comes before the start {period.start.as_edtf()}")


def check_zone(name: str) -> None:
    """Raise DateSyntaxError unless `name` is a known IANA time zone."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError) as error:  # OSError: a name too long for a file
        raise DateSyntaxError(
            f"unknown time zone '{name}'; use an IANA name such as Asia/Damascus or Asia/Baghdad"
        ) from error


def _truncate(point: DatePoint, precision: Precision) -> tuple[int, ...]:
    fields = (point.year, point.month or 0, point.day or 0)
    return fields[: int(precision) + 1]


def _as_text(value: object) -> str:
    # YAML reads a bare year as an int; the date syntax is text.
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise DateSyntaxError(f"a date must be text such as 2022-01-20, not {type(value).__name__}")
    return str(value).strip()


def _check_calendar(text: str, numbers: dict[str, int]) -> None:
    month, day = numbers.get("month"), numbers.get("day")
    if month is not None and not 1 <= month <= 12:
        raise DateSyntaxError(f"'{text}' has month {month}; months run from 01 to 12")
    if day is not None and month is not None:
        last = calendar.monthrange(numbers["year"], month)[1]
        if not 1 <= day <= last:
            raise DateSyntaxError(f"'{text}' does not exist: {numbers['year']:04d}-{month:02d} has {last} days")
    if numbers.get("hour", 0) > 23 or numbers.get("minute", 0) > 59 or numbers.get("second", 0) > 59:
        raise DateSyntaxError(f"'{text}' has an impossible time; use 00:00 to 23:59")
    # Years 0001 and 9999 are refused too: an offset could move their instant outside what datetime holds.
    if not 1 < numbers["year"] < 9999:
        raise DateSyntaxError(f"'{text}' has year {numbers['year']:04d}; use a year from 0002 to 9998")


def _parse_offset(text: str, offset: str | None) -> int | None:
    if offset is None:
        return None
    if offset == "Z":
        return 0
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 14 or minutes > 59:
        raise DateSyntaxError(f"'{text}' has an impossible UTC offset {offset}")
    total = hours * 60 + minutes
    return -total if offset.startswith("-") else total


def calendar_date(point: DatePoint) -> date:
    """The first calendar day a point covers (for formatting)."""
    return date(point.year, point.month or 1, point.day or 1)
