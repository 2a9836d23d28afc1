"""The portal's dates in Danish, as the seeds write them: "31-01-2018 17:00" in lists and documents, "31. januar
2018 kl. 17:00" in running text. Templates use these names (SHORT_DATETIME_FORMAT …), never a pattern of their own,
so a date looks the same on every page, PDF, email and feed. Other names fall back to Django's Danish formats."""

DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = r"j. F Y \k\l. H:i"
SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
TIME_FORMAT = "H:i"
