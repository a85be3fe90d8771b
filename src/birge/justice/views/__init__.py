"""The justice app's pages, one module per part."""
