"""Word and OpenDocument text files: every story, and what Word keeps out of sight.

Read with lxml over the package's parts, not python-docx, whose paragraph
text silently includes ``w:vanish`` hidden text and drops tracked
insertions, deletions, text boxes and footnotes (docs/attachments-study.md).
Each place is a piece of its own: ``body``, ``header 1``, ``footnote 1``,
``text box 1``, ``comment 1``, ``tracked deletion 1``, ``hidden text 1``.
"""

from __future__ import annotations

import re
import zipfile

from lxml import etree

from crumail.checks.attachments import package as pkg
from crumail.checks.attachments.caps import Caps
from crumail.checks.attachments.model import Inspection

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SKIP = {"Fallback", "del", "ins", "txbxContent", "footnoteReference"}  # read apart, or a VML copy
FALSE = {"0", "false", "off"}


def _numbered(package: zipfile.ZipFile, pattern: str) -> list[str]:
    rx = re.compile(pattern)
    found = [(int(m.group(1) or 0), name) for name in pkg.names(package) if (m := rx.fullmatch(name))]
    return [name for _, name in sorted(found)]


class _Story:
    """One story's text, with tracked changes, hidden runs and text boxes counted across the file."""

    def __init__(self, found: Inspection) -> None:
        self.found = found
        self.counts = {"tracked insertion": 0, "tracked deletion": 0, "hidden text": 0, "text box": 0}

    def read(self, root: etree._Element, location: str) -> None:
        self.found.piece(location, self._visible(root))
        for box in root.iter(f"{{{W}}}txbxContent"):
            if not _inside(box, {"Fallback"}) and not _inside(box.getparent(), {"txbxContent"}):
                self._count("text box", self._visible(box))
        for node in root.iter(f"{{{W}}}ins", f"{{{W}}}del"):
            if _inside(node, {"Fallback"}):
                continue
            deleted = pkg.local(node.tag) == "del"
            text = "".join(pkg.texts(node, "delText" if deleted else "t"))
            where = self._count("tracked deletion" if deleted else "tracked insertion", text)
            if where:
                self.found.mark("tracked_change", where, f"{where}: the change is still in the file", severity="warn")
        self._hidden(root)

    def _count(self, kind: str, text: str) -> str | None:
        if not text.strip():
            return None
        self.counts[kind] += 1
        where = f"{kind} {self.counts[kind]}"
        self.found.piece(where, text, where if kind == "hidden text" else None)
        return where

    def _visible(self, root: etree._Element) -> str:
        lines = []
        for para in root.iter(f"{{{W}}}p"):
            if _inside(para.getparent(), {"txbxContent", "Fallback"}) and para.getparent() is not root:
                continue
            lines.append("".join(t.text or "" for t in para.iter(f"{{{W}}}t")
                                 if not _inside(t, SKIP, para) and not _vanished(t)))
        return "\n".join(lines)

    def _hidden(self, root: etree._Element) -> None:
        for para in root.iter(f"{{{W}}}p"):
            if _inside(para, {"Fallback"}):
                continue
            run_text, last = [], None
            for t in para.iter(f"{{{W}}}t"):
                if _vanished(t) and not _inside(t, {"Fallback", "del"}, para):
                    run_text.append(t.text or "")
            text = "".join(run_text)
            where = self._count("hidden text", text) if text else last
            if where:
                self.found.mark("hidden_text", where, f"{where} is formatted hidden and holds text", group=where)


def _inside(node: etree._Element | None, names: set[str], stop: etree._Element | None = None) -> bool:
    while node is not None and node is not stop:
        if pkg.local(node.tag) in names:
            return True
        node = node.getparent()
    return False


def _vanished(t: etree._Element) -> bool:
    run = t.getparent()
    props = run.find(f"{{{W}}}rPr") if run is not None else None
    if props is None:
        return False
    for tag in ("vanish", "specVanish"):
        flag = props.find(f"{{{W}}}{tag}")
        if flag is not None and flag.get(f"{{{W}}}val", "1").lower() not in FALSE:
            return True
    return False


def inspect_docx(data: bytes, caps: Caps, kind: str = "docx") -> Inspection:
    package = pkg.open_zip(data, caps)
    found = Inspection(kind)
    story = _Story(found)
    body = pkg.part_xml(package, "word/document.xml")
    if body is None:
        raise pkg.UnreadableAttachmentError("a Word package with no document part")
    story.read(body, "body")
    for kind_name in ("header", "footer"):
        for number, part in enumerate(_numbered(package, rf"word/{kind_name}(\d*)\.xml"), start=1):
            story.read(pkg.part_xml(package, part), f"{kind_name} {number}")
    for notes, tag in (("footnote", "footnote"), ("endnote", "endnote")):
        root = pkg.part_xml(package, f"word/{notes}s.xml")
        notes_found = [n for n in root.iter(f"{{{W}}}{tag}") if n.get(f"{{{W}}}type") is None] if root is not None else []
        for number, note in enumerate(notes_found, start=1):
            story.read(note, f"{notes} {number}")
    _word_comments(package, found)
    for label, value in pkg.properties(package):
        found.piece(f"properties {label}", value)
    found.nested.extend(pkg.embedded(package, "word/embeddings/"))
    return found


def _word_comments(package: zipfile.ZipFile, found: Inspection) -> None:
    root = pkg.part_xml(package, "word/comments.xml")
    for number, comment in enumerate(root.iter(f"{{{W}}}comment") if root is not None else (), start=1):
        where = f"comment {number}"
        found.piece(where, "\n".join("".join(pkg.texts(p, "t")) for p in comment.iter(f"{{{W}}}p")))
        found.piece(f"{where} author", comment.get(f"{{{W}}}author", ""))
        found.mark("comment", where, f"{where}: the recipient can read it", severity="warn")


# -- OpenDocument text ---------------------------------------------------------------

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
ODF_SKIP = {"tracked-changes", "annotation", "hidden-text", "hidden-paragraph"}


def hidden_styles(root: etree._Element, family_props: str, attribute: str, hidden_value: str) -> set[str]:
    """Names of automatic styles whose properties hide what uses them."""
    names = set()
    for style in root.iter(f"{{{STYLE}}}style"):
        for props in style.iter(f"{{{STYLE}}}{family_props}"):
            for key, value in props.attrib.items():
                if pkg.local(key) == attribute and value == hidden_value:
                    names.add(style.get(f"{{{STYLE}}}name", ""))
    return names


def inspect_odt(data: bytes, caps: Caps, kind: str = "odt") -> Inspection:
    package, root = pkg.odf_content(data, caps)
    found = Inspection(kind)
    hidden = hidden_styles(root, "text-properties", "display", "none")
    styles = pkg.part_xml(package, "styles.xml")
    if styles is not None:
        hidden |= hidden_styles(styles, "text-properties", "display", "none")
    body = root.find(f"{{{OFFICE}}}body")
    lines, secret = [], []
    for para in (body.iter(f"{{{TEXT}}}p", f"{{{TEXT}}}h") if body is not None else ()):
        if _inside(para, ODF_SKIP):
            continue
        shown, concealed = _odf_text(para, hidden)
        lines.append(shown)
        secret.extend(concealed)
    found.piece("body", "\n".join(lines))
    for number, text in enumerate((s for s in secret if s.strip()), start=1):
        where = f"hidden text {number}"
        found.piece(where, text, where)
        found.mark("hidden_text", where, f"{where} is formatted hidden and holds text", group=where)
    _odf_changes(root, found)
    for number, note in enumerate(root.iter(f"{{{OFFICE}}}annotation"), start=1):
        where = f"comment {number}"
        found.piece(where, "\n".join("".join(p.itertext()) for p in note.iter(f"{{{TEXT}}}p")))
        found.mark("comment", where, f"{where}: the recipient can read it", severity="warn")
    for label, value in pkg.properties(package):
        found.piece(f"properties {label}", value)
    return found


def _odf_text(para: etree._Element, hidden: set[str]) -> tuple[str, list[str]]:
    shown: list[str] = []
    concealed: list[str] = []

    def walk(node: etree._Element, is_hidden: bool) -> None:
        name = pkg.local(node.tag)
        if name in ODF_SKIP:
            return
        if name in ("hidden-text",):
            concealed.append(node.get(f"{{{TEXT}}}string-value", ""))
            return
        is_hidden = is_hidden or node.get(f"{{{TEXT}}}style-name") in hidden
        if node.text:
            (concealed if is_hidden else shown).append(node.text)
        for child in node:
            walk(child, is_hidden)
            if child.tail:
                (concealed if is_hidden else shown).append(child.tail)

    walk(para, False)
    return "".join(shown), ["".join(concealed)] if concealed else []


def _odf_changes(root: etree._Element, found: Inspection) -> None:
    counts = {"insertion": 0, "deletion": 0}
    for region in root.iter(f"{{{TEXT}}}changed-region"):
        for change in region:
            kind = pkg.local(change.tag)
            if kind not in counts:
                continue
            text = "\n".join("".join(p.itertext()) for p in change.iter(f"{{{TEXT}}}p"))
            if kind == "insertion" or text.strip():
                counts[kind] += 1
                where = f"tracked {kind} {counts[kind]}"
                found.piece(where, text)
                found.mark("tracked_change", where, f"{where}: the change is still in the file", severity="warn")
