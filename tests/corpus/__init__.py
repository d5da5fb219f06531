"""A corpus of broken bundles, each with the exact `validate` output it must produce."""
