"""The parse stage's small readers: charset repair, HTML to text, RTF."""

from __future__ import annotations

import compressed_rtf
import pytest

from crumail.parse import rtf
from crumail.parse.text import decode_text, html_to_text, repair_c1


@pytest.mark.parametrize("data, charset, text, repaired", [
    (b"plain ascii", None, "plain ascii", False),
    ("caf\u00e9".encode(), "utf-8", "caf\u00e9", False),
    ("caf\u00e9".encode("cp1252"), "windows-1252", "caf\u00e9", False),
    (b"caf\xe9", "utf-8", "caf\u00e9", True),
    (b"caf\xc3\xa9 \x96 ok", "utf-8", "caf\u00e9 \u2013 ok", True),
    (b"caf\xe9", None, "caf\u00e9", True),
    (b"\x93quoted\x94", "iso-8859-1", "\u201cquoted\u201d", False),
    (b"caf\xe9", "no-such-charset", None, True),
])
def test_decode_text(data, charset, text, repaired):
    decoded, defect = decode_text(data, charset)
    if text is not None:
        assert decoded == text
    assert bool(defect) == repaired


def test_repair_c1():
    assert repair_c1("a \x96 b \x93c\x94") == "a \u2013 b \u201cc\u201d"
    assert repair_c1("plain") == "plain"


def test_html_to_text_structure():
    html = """<html><head><title>t</title><script>var x = 1;</script></head><body>
    <div>First&nbsp;line</div><div>Second   line</div>
    <table><tr><th>Question</th><th>Answer</th></tr>
    <tr><td><p class=MsoNormal><b>Case worker:</b><o:p></o:p></p></td><td><p>Jo Example</p></td></tr></table>
    <ol start="3"><li>third</li><li>fourth</li></ol>
    <ul><li>dot</li></ul><pre>  keep   spacing</pre>
    <p>a<br>b</p></body></html>"""
    lines = html_to_text(html).splitlines()
    assert lines[:2] == ["First line", "Second line"]
    assert "Question\tAnswer" in lines
    assert "Case worker: Jo Example" in lines
    assert "3. third" in lines and "4. fourth" in lines
    assert "- dot" in lines
    assert "  keep   spacing" in lines
    assert lines[-2:] == ["a", "b"]
    assert "var x" not in html_to_text(html)


def test_html_to_text_letters_lists_as_they_are_shown():
    html = ('<ol type="a"><li>Alpha</li><li>Beta</li></ol><ol type="A" start="3"><li>Gamma</li></ol>'
            '<ol type="i"><li>Roman</li></ol><ol type="a" start="27"><li>Past z</li></ol>')
    assert html_to_text(html).splitlines() == ["(a) Alpha", "(b) Beta", "(C) Gamma", "1. Roman", "(aa) Past z"]


def test_html_to_text_reads_what_no_reader_sees_only_when_asked():
    html = "<html><head><title>Jo Example</title><style>p {color: red}</style></head><body><p>Hello</p></body></html>"
    assert html_to_text(html) == "Hello\n"
    assert html_to_text(html, hidden=True).split() == ["Jo", "Example", "p", "{color:", "red}", "Hello"]


def test_html_to_text_never_raises():
    assert html_to_text("<p>unclosed <b>bold <table><td>cell") .strip() == "unclosed bold\ncell"
    assert html_to_text("") == ""


SAMPLE_RTF = (rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Arial;}}{\colortbl;\red0\green0\blue0;}"
              rb"{\*\generator Example;}\pard Log Number: 12/23\par Caf\'e9 \u8211? done\tab x\par"
              rb"{\pntext 1.\tab}first\par}")
HTML_RTF = (rb"{\rtf1\ansi\ansicpg1252\fromhtml1 \deff0{\fonttbl{\f0\fswiss Arial;}}"
            rb"{\*\htmltag64 <p>}\htmlrtf {\htmlrtf0 Case worker:\htmlrtf }\htmlrtf0 "
            rb"{\*\htmltag72 </p>}{\*\htmltag0 \par }\htmlrtf \par \htmlrtf0 caf\'e9}")


def test_read_rtf_text():
    text, is_html = rtf.read_rtf(SAMPLE_RTF)
    assert not is_html
    assert text == "Log Number: 12/23\nCaf\u00e9 \u2013 done\tx\n1.\tfirst\n"


def test_read_rtf_encapsulated_html():
    html, is_html = rtf.read_rtf(HTML_RTF)
    assert is_html
    assert html == "<p>Case worker:</p>\ncaf\u00e9"


@pytest.mark.parametrize("data", [SAMPLE_RTF, HTML_RTF, SAMPLE_RTF * 40])
def test_decompress_matches_the_reference(data):
    packed = compressed_rtf.compress(data)
    assert rtf.decompress(packed) == compressed_rtf.decompress(packed) == data
    assert rtf.decompress(compressed_rtf.compress(data, compressed=False)) == data


def test_decompress_refuses_damage():
    packed = bytearray(compressed_rtf.compress(SAMPLE_RTF))
    packed[-3] ^= 0xFF
    with pytest.raises(rtf.RtfError, match="CRC"):
        rtf.decompress(bytes(packed))
    with pytest.raises(rtf.RtfError, match="shorter"):
        rtf.decompress(b"LZFu")
