"""Helpers shared by the tests: archives to build, built HTML to read, a served site and a
browser to read it with. Imported by tests only, never by scripts/ (and no test imports another
test module)."""
