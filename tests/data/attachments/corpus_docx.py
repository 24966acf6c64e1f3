"""Word documents for the attachment corpus, written as raw WordprocessingML.

python-docx can make bodies, headers and comments but not footnotes,
tracked changes or text boxes, and its template adds 30 KB of styles to
every file; writing the few parts by hand keeps each case small and puts
each hidden thing exactly where a reader must look for it.  Every file
opens in python-docx (the corpus test checks that).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from corpus_zip import PKG_REL, REL, WORD, core_properties, relationships, write_entries

UNIT = "FOI Disclosure Unit"
DOC_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"
NS = (f'xmlns:w="{WORD}" xmlns:r="{REL}" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps"')
STAMP = 'w:author="%s" w:date="2024-03-01T09:30:00Z"'
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def t(text: str) -> str:
    return f'<w:t xml:space="preserve">{escape(text)}</w:t>'


def run(text: str, vanish: bool = False) -> str:
    props = "<w:rPr><w:vanish/></w:rPr>" if vanish else ""
    return f"<w:r>{props}{t(text)}</w:r>"


def para(*runs: str) -> str:
    return "<w:p>" + "".join(runs) + "</w:p>"


def inserted(text: str, author: str = UNIT, ident: int = 1) -> str:
    return f'<w:ins w:id="{ident}" {STAMP % escape(author)}>{run(text)}</w:ins>'


def deleted(text: str, author: str = UNIT, ident: int = 2) -> str:
    return f'<w:del w:id="{ident}" {STAMP % escape(author)}><w:r><w:delText xml:space="preserve">{escape(text)}</w:delText></w:r></w:del>'


def footnote_ref(ident: int = 1) -> str:
    return f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="{ident}"/></w:r>'


def commented(text: str, ident: int = 0) -> str:
    return (f'<w:commentRangeStart w:id="{ident}"/>{run(text)}<w:commentRangeEnd w:id="{ident}"/>'
            f'<w:r><w:commentReference w:id="{ident}"/></w:r>')


def text_box(text: str) -> str:
    """A text box as Word 2010+ saves it: a DrawingML shape with a VML fallback
    holding the same text, so a reader that reads both sees it twice."""
    content = f"<w:txbxContent>{para(run(text))}</w:txbxContent>"
    choice = ('<w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" '
              'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
              '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
              '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
              '<wp:extent cx="2743200" cy="457200"/><wp:wrapNone/><wp:docPr id="1" name="Text Box 1"/>'
              '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
              f"<wps:wsp><wps:spPr/><wps:txbx>{content}</wps:txbx><wps:bodyPr/></wps:wsp>"
              "</a:graphicData></a:graphic></wp:anchor></w:drawing>")
    fallback = f'<w:pict><v:shape id="Text Box 1" style="width:216pt;height:36pt"><v:textbox>{content}</v:textbox></v:shape></w:pict>'
    return f"<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\">{choice}</mc:Choice><mc:Fallback>{fallback}</mc:Fallback></mc:AlternateContent></w:r>"


@dataclass
class Docx:
    """The parts of one document; :meth:`build` writes the package."""

    body: list[str]
    header: str | None = None
    footer: str | None = None
    footnotes: list[str] = field(default_factory=list)
    comments: list[tuple[str, str]] = field(default_factory=list)  # (author, text)
    creator: str = UNIT
    modified_by: str = UNIT
    extra: dict[str, bytes] = field(default_factory=dict)

    def build(self) -> bytes:
        parts = {
            "[Content_Types].xml": self._content_types(),
            "_rels/.rels": relationships(("rId1", "officeDocument", "word/document.xml"))
            .replace(b"</Relationships>", f'<Relationship Id="rId2" Type="{PKG_REL}/metadata/core-properties" '
                                          'Target="docProps/core.xml"/></Relationships>'.encode()),
            "docProps/core.xml": core_properties(self.creator, self.modified_by),
            "word/document.xml": self._document(),
            "word/_rels/document.xml.rels": relationships(*self._rels()),
        }
        if self.header is not None:
            parts["word/header1.xml"] = self._story("hdr", para(run(self.header)))
        if self.footer is not None:
            parts["word/footer1.xml"] = self._story("ftr", para(run(self.footer)))
        if self.footnotes:
            parts["word/footnotes.xml"] = self._footnotes()
        if self.comments:
            parts["word/comments.xml"] = self._comments()
        parts.update(self.extra)
        return write_entries([(name, blob, zipfile.ZIP_DEFLATED) for name, blob in parts.items()])

    def _rels(self) -> list[tuple[str, str, str]]:
        rels = []
        for present, rel_id, kind, target in (
            (self.header is not None, "rIdH", "header", "header1.xml"),
            (self.footer is not None, "rIdF", "footer", "footer1.xml"),
            (bool(self.footnotes), "rIdN", "footnotes", "footnotes.xml"),
            (bool(self.comments), "rIdC", "comments", "comments.xml"),
        ):
            if present:
                rels.append((rel_id, kind, target))
        return rels + [(name, "package", target) for name, target in self._embedded()]

    def _embedded(self) -> list[tuple[str, str]]:
        return [(f"rIdE{i}", name.removeprefix("word/")) for i, name in enumerate(self.extra, start=1)]

    def _content_types(self) -> bytes:
        overrides = [("/word/document.xml", f"{DOC_CT}.document.main+xml"),
                     ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml")]
        for present, part, kind in ((self.header is not None, "header1", "header"), (self.footer is not None, "footer1", "footer"),
                                    (bool(self.footnotes), "footnotes", "footnotes"), (bool(self.comments), "comments", "comments")):
            if present:
                overrides.append((f"/word/{part}.xml", f"{DOC_CT}.{kind}+xml"))
        tags = "".join(f'<Override PartName="{p}" ContentType="{c}"/>' for p, c in overrides)
        return (f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Default Extension="xlsx" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/>'
                f"{tags}</Types>").encode()

    def _document(self) -> bytes:
        refs = ""
        if self.header is not None:
            refs += '<w:headerReference w:type="default" r:id="rIdH"/>'
        if self.footer is not None:
            refs += '<w:footerReference w:type="default" r:id="rIdF"/>'
        objects = "".join(para(f'<w:r><w:object><v:shape id="_x0000_i1025" style="width:72pt;height:48pt"/>'
                               f'<o:OLEObject xmlns:o="urn:schemas-microsoft-com:office:office" Type="Embed" '
                               f'ProgID="Excel.Sheet.12" ShapeID="_x0000_i1025" r:id="{rel_id}"/></w:object></w:r>')
                          for rel_id, _ in self._embedded())
        body = "".join(self.body) + objects
        return f'{XML_HEAD}<w:document {NS}><w:body>{body}<w:sectPr>{refs}</w:sectPr></w:body></w:document>'.encode()

    def _story(self, tag: str, content: str) -> bytes:
        return f"{XML_HEAD}<w:{tag} {NS}>{content}</w:{tag}>".encode()

    def _footnotes(self) -> bytes:
        notes = ('<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                 '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>')
        notes += "".join(f'<w:footnote w:id="{i}">{para(run(text))}</w:footnote>' for i, text in enumerate(self.footnotes, 1))
        return self._story("footnotes", notes)

    def _comments(self) -> bytes:
        body = "".join(f'<w:comment w:id="{i}" {STAMP % escape(author)} w:initials="{"".join(w[0] for w in author.split())}">'
                       f"{para(run(text))}</w:comment>" for i, (author, text) in enumerate(self.comments))
        return self._story("comments", body)


def letter(*paragraphs: str) -> list[str]:
    """A plain response letter's paragraphs, for the parts every case shares."""
    opening = [para(run("Freedom of Information request 2024/0193")),
               para(run("Thank you for your request. The information held is set out below."))]
    return opening + list(paragraphs)
