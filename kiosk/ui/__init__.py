"""The UI layer: Qt widgets and the map scene. Reads the content model; never parses files."""
