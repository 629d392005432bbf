"""The benchmark (`make bench`) and the load test (`make loadtest`); see docs/benchmarks.md.

`bench.run` builds or reuses one PostgreSQL data set per scale (`bench.data`), measures the
key pages in a fresh process per scale against the framework's floor (`bench.measure`,
`bench.pages`, `bench.urls`) and writes docs/benchmarks.md (`bench.report`). `bench.loadtest`
serves the scale-1 data set with gunicorn and drives it with locust (`bench.loadplan`,
`bench.locustfile`). `bench.config` holds what these processes share, without Django.
"""
