"""Numbers, decimals and dates as German readers expect them: a decimal comma, grouped thousands, and every date and
time in the city's time zone (Europe/Berlin). Pages, PDFs, charts and services format through here (pure: no app
imports), so a figure reads the same wherever it appears.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

#: The city's time (every German city's): dates and times are entered and shown in it, and stored in UTC.
CITY_TIMEZONE = ZoneInfo("Europe/Berlin")
#: The thousands separator of printed figures: a narrow no-break space ("12 345").
NARROW_SPACE = "\u202f"
#: What stands where there is no value.
MISSING = "–"


def number(value: float | None, decimals: int | None = 0, *, thousands: str = NARROW_SPACE, decimal: str = ",",
           missing: str = MISSING) -> str:
    """`value` with a decimal comma and grouped thousands: `number(12345.67, 1)` is "12 345,7".

    `decimals=None` keeps as many places as the value has (2.5 -> "2,5", 3.0 -> "3").
    """
    if value is None:
        return missing
    if decimals is None:
        text = f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
    else:
        text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def _aware(moment: datetime) -> datetime:
    """A stored moment without a time zone is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def day(value: date | datetime | str | None, style: str = "long", locale: str = "de") -> str:
    """A date in words, e.g. "12. März 2027": a moment by its date in the city, text as an ISO date."""
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    elif isinstance(value, datetime):
        value = value.astimezone(CITY_TIMEZONE).date()
    return format_date(value, style, locale=locale)


def moment(value: datetime | None, style: str = "medium", locale: str = "de") -> str:
    """A point in time in the city's time zone, in words of `locale`."""
    if value is None:
        return ""
    return format_datetime(value, style, tzinfo=CITY_TIMEZONE, locale=locale)


def numeric_date(value: date | None) -> str:
    """A date in digits, e.g. "01.03.2027"."""
    return value.strftime("%d.%m.%Y") if value else MISSING


def city_time(value: datetime | None) -> str:
    """A stored moment in the city's time, in digits, e.g. "01.03.2027, 09:00"."""
    return _aware(value).astimezone(CITY_TIMEZONE).strftime("%d.%m.%Y, %H:%M") if value else MISSING


def from_city_time(local: datetime) -> datetime:
    """A time entered without a zone (a datetime-local field), read as the city's time, in UTC."""
    return local.replace(tzinfo=CITY_TIMEZONE).astimezone(UTC)


def to_city_time(value: datetime | None) -> datetime | None:
    """A stored moment as the naive city time a datetime-local field shows."""
    return _aware(value).astimezone(CITY_TIMEZONE).replace(tzinfo=None) if value else None
