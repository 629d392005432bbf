"""The figures of the dashboards and the annual report, by topic, computed in the database for
a period and, optionally, one site. Each function runs a fixed number of aggregate queries,
whatever the data size."""
