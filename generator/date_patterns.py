"""Babel's date and time patterns, applied without Babel's per-field dispatch.

Babel applies a pattern as `pattern.format % DateTimeFormat(value, locale)`: every
field goes through DateTimeFormat.__getitem__ and re-reads the locale data, 7-13 µs
a date or a time. Here a pattern is compiled once per locale from that same
`pattern.format` string (so quoting and literals are Babel's own tokenising) into a
%-template and one small function per field, with the names read once from the
locale data Babel would read: about 1 µs. A field not handled here makes the whole
pattern decline (None), and the caller keeps Babel for it; tests/test_localize.py
compares every rule with Babel.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time

from babel import Locale
from babel.dates import DateTimePattern

Writer = Callable[[date | datetime | time], str]

DATE_FIELDS = "GyMLdEec"  # what a `date` has: Babel fails on an hour of a date, so those decline
TIME_FIELDS = "ahHKkms"  # what a `time` has

# All Babel's %-template holds: a field, an escaped % (a literal '%(d)s' is '%%(d)s'), or text.
_PIECE = re.compile(r"%\((?P<field>[A-Za-z]+)\)s|%%|[^%]+")
_NAME_WIDTHS = {3: "abbreviated", 4: "wide", 5: "narrow", 6: "short"}


def compile_pattern(pattern: DateTimePattern, locale: Locale, fields: str) -> Writer | None:
    """A function writing a value as `pattern.apply(value, locale)` does, or None if a field is not handled."""
    template: list[str] = []
    getters: list[Writer] = []
    end = 0
    for piece in _PIECE.finditer(pattern.format):
        if piece.start() != end:  # a lone % skipped over: not a template Babel writes
            return None
        end = piece.end()
        if piece["field"] is None:
            template.append(piece[0])  # stays %-escaped: the template is filled with % as Babel's is
            continue
        try:
            getter = _field(piece["field"], locale, fields)
        except KeyError:  # data Babel would miss too: let it raise its own error
            return None
        if getter is None:
            return None
        template.append("%s")
        getters.append(getter)
    if end != len(pattern.format):
        return None
    return _writer("".join(template), tuple(getters))


def _writer(template: str, getters: tuple[Writer, ...]) -> Writer:
    """The template filled by the getters; up to four spelt out, as a comprehension costs as much as the fields."""
    if len(getters) == 1:
        (first,) = getters
        return lambda value: template % (first(value),)
    if len(getters) == 2:
        first, second = getters
        return lambda value: template % (first(value), second(value))
    if len(getters) == 3:
        first, second, third = getters
        return lambda value: template % (first(value), second(value), third(value))
    if len(getters) == 4:
        first, second, third, fourth = getters
        return lambda value: template % (first(value), second(value), third(value), fourth(value))
    return lambda value: template % tuple([get(value) for get in getters])


def _field(name: str, locale: Locale, fields: str) -> Writer | None:
    """DateTimeFormat.__getitem__ for one field, as Babel 2.19 writes it."""
    char, num = name[0], len(name)
    if char not in fields:
        return None
    digits = f"%0{num}d"  # Babel's '%0*d' % (num, value): zero-padded to the letter count
    if char == "y":
        if num == 2:  # the last two digits of a year padded to two
            return lambda value: f"{value.year:02d}"[-2:]
        return lambda value: digits % value.year
    if char in "ML":
        if num <= 2:
            return lambda value: digits % value.month
        if num not in (3, 4, 5):
            return None
        context = "format" if char == "M" else "stand-alone"
        months = locale.months[context][_NAME_WIDTHS[num]]
        month_names = ("", *(months[month] for month in range(1, 13)))
        return lambda value: month_names[value.month]
    if char == "d":
        return lambda value: digits % value.day
    if char in "Eec":
        if num < 3 and char != "E":  # e, ee, c: the local day number, counted from the locale's first weekday
            first = locale.first_week_day
            return lambda value: digits % ((7 - first + value.weekday()) % 7 + 1)
        width = _NAME_WIDTHS.get(max(num, 3))
        if width is None:
            return None
        days = locale.days["stand-alone" if char == "c" else "format"][width]
        day_names = tuple(days[weekday] for weekday in range(7))
        return lambda value: day_names[value.weekday()]
    if char == "G":  # a Python date is never before year 1, so always the second era
        if num > 5:
            return None
        era = locale.eras[_NAME_WIDTHS[max(num, 3)]][1]
        return lambda value: era
    if char == "a":
        return _period(num, locale)
    if char == "h":
        return lambda value: digits % (value.hour % 12 or 12)
    if char == "H":
        return lambda value: digits % value.hour
    if char == "K":
        return lambda value: digits % (value.hour % 12)
    if char == "k":
        return lambda value: digits % (value.hour or 24)
    if char == "m":
        return lambda value: digits % value.minute
    if char == "s":
        return lambda value: digits % value.second
    return None


def _period(num: int, locale: Locale) -> Writer | None:
    """'a': am/pm from the format-context day periods, trying widths in Babel's order.

    The order matters: Arabic's wide names have no 'am'/'pm', only its abbreviated ones (ص / م).
    """
    if num > 5:
        return None
    widths = (_NAME_WIDTHS[max(num, 3)], "wide", "narrow", "abbreviated")
    am, pm = (_period_name(period, widths, locale) for period in ("am", "pm"))
    if am is None or pm is None:
        return None
    return lambda value: pm if value.hour >= 12 else am


def _period_name(period: str, widths: tuple[str, ...], locale: Locale) -> str | None:
    for width in widths:
        names = locale.day_periods["format"][width]
        if period in names:
            return names[period]
    return None
