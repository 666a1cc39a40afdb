"""The one timestamp format of the shop: UTC with milliseconds, as in 2026-11-26T10:15:30.123Z.

Its strings sort in time order, so they serve as DynamoDB sort keys.
"""

from datetime import UTC, datetime


def utc_millis(moment: datetime) -> str:
    """Naive datetimes are taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
