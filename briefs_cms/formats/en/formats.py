"""One date format across the admin (lists, read-only fields, history): "Tue 8 Dec 2026, 09:00 CET".

Django reads these before its own English formats; the time zone is named, as the newsroom's
clocks may not be the reader's."""

DATE_FORMAT = "D j M Y"
DATETIME_FORMAT = "D j M Y, H:i T"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i T"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
