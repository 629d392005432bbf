"""Concertation meetings of the local action network (« tables de concertation ») and the
commitments made there, followed until kept or dropped."""
