"""The portal's dates in English: the same numeric form as in Danish (31-01-2018 17:00), and "31 January 2018" in
running text."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
TIME_FORMAT = "H:i"
