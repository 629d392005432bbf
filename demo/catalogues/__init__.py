"""The demo generators' catalogues: data only, one module per generator."""
