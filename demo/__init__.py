"""Demo and benchmark data: invented sites, households, a year of work and the partner network.

Development only: settings install this app (and its `seed_demo` command) with DEBUG on, under
the test suite or with EMA_DEMO=1, never in production. It may import every app; no other app
imports it. The benchmark (bench/data.py) builds its data sets from these generators.
"""
