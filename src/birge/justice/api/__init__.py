"""The justice API, one module per part."""
