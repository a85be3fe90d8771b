"""The API's JSON parser: DRF's, with limits that turn absurd bodies into a 400.

Python's json module recurses once per level of nesting, so a body nested a thousand
deep raised RecursionError, a server error, even before sign-in (the token endpoint
reads its body without authentication). No Birge body is deeper than a few levels and
no number in one is longer than a 64-bit id, so both are refused with a clear message.
"""

import codecs
import json
import math

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32
# Characters of one number (sign, digits, point, exponent): a 64-bit id has 20 at most.
MAX_NUMBER_LENGTH = 40


class _Refused(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _number_too_long(text: str) -> None:
    if len(text) > MAX_NUMBER_LENGTH:
        raise _Refused(_("A number in the request is too long."))


def _parse_int(text: str) -> int:
    _number_too_long(text)
    return int(text)


def _parse_float(text: str) -> float:
    _number_too_long(text)
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(_("A number in the request is too large."))
    return value


def _parse_constant(text: str):
    raise _Refused(_("NaN and Infinity are not numbers in JSON."))


def _depth(data) -> int:
    """How deep lists and objects nest in parsed JSON, without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        stack.extend((child, depth + 1) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    """JSON bodies nested at most MAX_DEPTH deep, with numbers of sane length."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        too_deep = ParseError(
            _("The request is nested more than %(depth)d levels deep.") % {"depth": MAX_DEPTH}
        )
        try:
            text = codecs.getreader(encoding)(stream).read()
            data = json.loads(
                text,
                parse_int=_parse_int,
                parse_float=_parse_float,
                parse_constant=_parse_constant,
            )
        except RecursionError:
            raise too_deep from None
        except _Refused as error:
            raise ParseError(error.message) from None
        except json.JSONDecodeError as error:
            raise ParseError(
                _("The request is not valid JSON (line %(line)d, column %(column)d).")
                % {"line": error.lineno, "column": error.colno}
            ) from None
        except ValueError:
            raise ParseError(_("The request is not valid JSON.")) from None
        if _depth(data) > MAX_DEPTH:
            raise too_deep
        return data
