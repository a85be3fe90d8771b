"""The text of a PDF that fpdf2 wrote, for tests: enough of PDF to read our own output.

fpdf2 writes text in embedded TrueType fonts as two-byte glyph ids, one font subset per
style, each with a ToUnicode map. This follows the `/Fn size Tf` font changes in the
content streams and maps every shown string back to its letters. Whitespace is left out
of the result, so that line breaks and word spacing do not matter to comparisons.
"""

import re
import zlib

OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.DOTALL)
STREAM = re.compile(rb"^(.*?)stream\r?\n(.*)\r?\nendstream", re.DOTALL)
BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.DOTALL)
PAIR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
FONT_REF = re.compile(rb"/(F\d+) (\d+) 0 R")
TO_UNICODE = re.compile(rb"/ToUnicode (\d+) 0 R")
DESCENDANT = re.compile(rb"/DescendantFonts \[(\d+) 0 R\]")
ESCAPES = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}


def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    objects = {}
    for number, body in OBJECT.findall(pdf):
        stream = STREAM.match(body)
        if stream is None:
            objects[int(number)] = (body, None)
            continue
        head, data = stream.groups()
        if b"/FlateDecode" in head:
            data = zlib.decompressobj().decompress(data)
        objects[int(number)] = (head, data)
    return objects


def _cmap(data: bytes) -> dict[int, str]:
    mapping = {}
    for block in BFCHAR.findall(data):
        for glyph, text in PAIR.findall(block):
            mapping[int(glyph, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    return mapping


def _literal(content: bytes, start: int) -> tuple[bytes, int]:
    """The bytes of the literal string opening at content[start] ("("), and its end."""
    out, depth, i = bytearray(), 1, start + 1
    while True:
        c = content[i]
        if c == ord("\\"):
            nxt = content[i + 1]
            if nxt in ESCAPES:
                out.append(ESCAPES[nxt])
                i += 2
            elif ord("0") <= nxt <= ord("7"):
                digits = re.match(rb"[0-7]{1,3}", content[i + 1 : i + 4]).group()
                out.append(int(digits, 8) & 0xFF)
                i += 1 + len(digits)
            else:
                out.append(nxt)
                i += 2
            continue
        if c == ord("("):
            depth += 1
        elif c == ord(")"):
            depth -= 1
            if depth == 0:
                return bytes(out), i + 1
        out.append(c)
        i += 1


def pdf_text(pdf: bytes) -> str:
    objects = _objects(pdf)
    fonts: dict[bytes, dict[int, str]] = {}
    for head, data in objects.values():
        if data is not None:
            continue
        for name, ref in FONT_REF.findall(head):
            font = objects[int(ref)][0]
            to_unicode = TO_UNICODE.search(font)
            if to_unicode:
                fonts[name] = _cmap(objects[int(to_unicode.group(1))][1])
    letters = []
    token = re.compile(rb"/(F\d+)\s+[\d.]+\s+Tf|\(")
    for _head, content in objects.values():
        if not content or (b"Tj" not in content and b"TJ" not in content):
            continue
        cmap, i = {}, 0
        while match := token.search(content, i):
            if match.group(1):
                cmap = fonts.get(match.group(1), {})
                i = match.end()
                continue
            raw, i = _literal(content, match.start())
            glyphs = [int.from_bytes(raw[j : j + 2], "big") for j in range(0, len(raw) - 1, 2)]
            letters += [cmap.get(g, "\ufffd") for g in glyphs]
    return "".join(ch for ch in "".join(letters) if not ch.isspace())


def squeeze(text: str) -> str:
    """`text` as pdf_text gives it back: without whitespace."""
    return "".join(ch for ch in text if not ch.isspace())
