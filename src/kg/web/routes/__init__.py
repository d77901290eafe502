"""One blueprint a concern; create_app registers them in one list."""
