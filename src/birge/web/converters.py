class IdConverter:
    """A database id in a URL: digits that fit a 64-bit column.

    Django's `int` converter takes any number of digits, and a 30-digit id makes the
    database driver raise instead of finding nothing; this one answers 404 by not
    matching at all."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))
