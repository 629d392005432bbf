# Django's fr_CA time formats leave the "h" of "15 h 30" unescaped, so it prints the 12-hour
# hour ("15 03 30"). These escape it, and write the hour without a leading zero, as Québec
# does ("9 h 05", not "09 h 05"); every other format comes from Django's fr_CA module.
TIME_FORMAT = "G\xa0\\h\xa0i"  # 9 h 05, 15 h 30
DATETIME_FORMAT = "j F Y, G\xa0\\h\xa0i"  # 31 janvier 2024, 9 h 05
SHORT_DATETIME_FORMAT = "Y-m-d G\xa0\\h\xa0i"  # 2024-01-31 9 h 05
