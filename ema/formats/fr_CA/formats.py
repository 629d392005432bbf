# Django's fr_CA time formats leave the "h" of "15 h 30" unescaped, so it prints the 12-hour
# hour ("15 03 30"). These escape it; every other format comes from Django's fr_CA module.
TIME_FORMAT = "H\xa0\\h\xa0i"  # 15 h 30
DATETIME_FORMAT = "j F Y, H\xa0\\h\xa0i"  # 31 janvier 2024, 15 h 30
SHORT_DATETIME_FORMAT = "Y-m-d H\xa0\\h\xa0i"  # 2024-01-31 15 h 30
