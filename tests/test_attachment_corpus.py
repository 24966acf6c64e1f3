"""The attachment corpus (tests/data/attachments) is what cases.json says it is.

The script rebuilds the same bytes; every kind issue 10 lists is present
with clean look-alikes; and each file really holds the hidden thing its
case is about, read back with the library the study names for it.
"""

from __future__ import annotations

import importlib.util
import io
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).resolve().parent / "data" / "attachments"


def load_script() -> Any:
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module
    spec.loader.exec_module(module)
    return module


SCRIPT = load_script()
MANIFEST = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))
CASES = {case["file"]: case for case in MANIFEST["cases"]}


def data(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def test_the_script_rebuilds_the_committed_bytes(tmp_path: Path) -> None:
    assert SCRIPT.main(["--dest", str(tmp_path)]) == 0
    rebuilt = sorted(p.name for p in tmp_path.iterdir())
    committed = sorted([name for name, case in CASES.items() if case["committed"]] + ["cases.json"])
    assert rebuilt == committed
    changed = [name for name in rebuilt if (tmp_path / name).read_bytes() != data(name)]
    assert changed == [], "rebuild with make_corpus.py and review the difference"


def test_every_kind_the_issue_lists_has_cases_and_look_alikes() -> None:
    cases = MANIFEST["cases"]
    assert len(cases) >= 30
    kinds = {case["kind"] for case in cases}
    assert {"xlsx", "xlsm", "ods", "csv", "docx", "odt", "pdf", "eml", "msg", "other"} <= kinds
    for kind in ("xlsx", "ods", "docx", "odt", "pdf", "eml", "msg", "csv"):
        decisions = {case["decision"] for case in cases if case["kind"] == kind}
        assert "block" in decisions and decisions & {"pass", "warn"}, kind
    features = " ".join(case["feature"] for case in cases)
    for feature in ("very hidden", "hidden rows", "hidden column", "comment", "pivot cache", "defined name",
                    "external link", "embedded", "properties", "header", "footnote", "text box", "tracked deletion",
                    "tracked insertion", "w:vanish", "filled black rectangle", "redaction annotation", "Author",
                    "sticky note", "embedded file", "incremental", "password", "truncated", "no known type",
                    "zip bomb", "100,000 objects", "entity expansion"):
        assert feature in features, feature


@pytest.mark.parametrize("case", MANIFEST["cases"], ids=lambda case: case["file"])
def test_each_case_is_well_formed(case: dict[str, Any]) -> None:
    assert case["decision"] in {"block", "warn", "pass"}
    assert (case["overridable"] is None) == (case["decision"] != "block")
    assert bool(case["findings"]) == (case["decision"] != "pass")
    for finding in case["findings"]:
        assert finding["attachment"] == case["file"] or finding["attachment"].startswith(case["file"] + "/")
        assert ("location" in finding) != ("within" in finding)
    if case["committed"]:
        assert (CORPUS / case["file"]).is_file()
    else:
        builders = {large.file: large.build.__name__ for large in sys.modules["corpus_cases"].LARGE_CASES}
        assert builders[case["file"]] == case["builder"]


def test_the_large_cases_are_written_on_demand(tmp_path: Path) -> None:
    (written,) = SCRIPT.write_large(tmp_path, {"pdf-deep-nesting.pdf"})
    assert written.name == "pdf-deep-nesting.pdf" and written.read_bytes().startswith(b"%PDF-1.7")


def test_the_psni_workbook_hides_every_officer_on_a_hidden_sheet() -> None:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data("xlsx-hidden-sheet-staff.xlsx")), read_only=True)
    assert [(ws.title, ws.sheet_state) for ws in wb.worksheets] == [("Summary", "visible"), ("Staff", "hidden")]
    rows = list(wb["Staff"].iter_rows(values_only=True))
    assert rows[0] == ("Surname", "Initials", "Rank", "Role", "Staff number") and len(rows) == 9483 + 1


def test_the_norfolk_workbook_keeps_raw_records_in_its_pivot_cache() -> None:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data("xlsx-pivot-cache-victims.xlsx")))
    assert wb.sheetnames == ["Summary"]
    cache = wb["Summary"]._pivots[0].cache
    assert [f.name for f in cache.cacheFields][:3] == ["Crime ref", "Name", "Address"]
    assert len(cache.records.r) == 1230
    assert openpyxl.load_workbook(io.BytesIO(data("xlsx-pivot-no-records.xlsx")))["Summary"]._pivots[0].cache.records is None


def test_workbook_hiding_places_are_where_the_cases_say() -> None:
    import openpyxl

    def book(name: str) -> Any:
        return openpyxl.load_workbook(io.BytesIO(data(name)))

    assert book("xlsx-very-hidden-sheet.xlsx")["Lookup"].sheet_state == "veryHidden"
    assert book("xlsx-hidden-rows.xlsx")["Summary"].row_dimensions[12].hidden
    assert book("xlsx-hidden-column.xlsx")["Summary"].column_dimensions["E"].hidden
    assert "07700 900238" in book("xlsx-comment-personal.xlsx")["Summary"]["C4"].comment.text
    assert book("xlsx-defined-name-personal.xlsx").defined_names["Contact"].attr_text.startswith('"Harriet')
    assert book("xlsx-external-link-personal.xlsx")._external_links[0].file_link.Target.endswith("Victims 2023.xlsx")
    assert book("xlsx-properties-person.xlsx").properties.lastModifiedBy == "Declan Venn"
    assert book("xlsx-hidden-sheet-empty.xlsx")["Sheet2"].max_row == 1
    assert "xl/embeddings/Microsoft_Word_Document.docx" in zipfile.ZipFile(io.BytesIO(data("xlsx-embedded-docx.xlsx"))).namelist()
    assert b"macroEnabled" in zipfile.ZipFile(io.BytesIO(data("xlsm-very-hidden-sheet.xlsm"))).read("[Content_Types].xml")


def test_documents_keep_their_hidden_text_in_the_xml() -> None:
    import docx

    def xml(name: str, part: str = "word/document.xml") -> bytes:
        return zipfile.ZipFile(io.BytesIO(data(name))).read(part)

    assert b"<w:delText" in xml("docx-tracked-deletion.docx") and b"<w:ins " in xml("docx-tracked-insertion.docx")
    assert b"<w:vanish/>" in xml("docx-hidden-text-personal.docx")
    assert xml("docx-text-box-personal.docx").count(b"<w:txbxContent>") == 2  # DrawingML and its VML fallback
    assert b"07700 900238" in xml("docx-footnote-personal.docx", "word/footnotes.xml")
    comments = docx.Document(io.BytesIO(data("docx-comment-author.docx"))).comments
    assert [c.author for c in comments] == ["Declan Venn"]
    assert docx.Document(io.BytesIO(data("docx-properties-person.docx"))).core_properties.author == "Rhiannon Ashdown"
    assert docx.Document(io.BytesIO(data("minutes.pdf"))).paragraphs[-1].text.startswith("Present:")
    assert b"<text:deletion>" in zipfile.ZipFile(io.BytesIO(data("odt-tracked-deletion.odt"))).read("content.xml")
    assert b'table:display="false"' in zipfile.ZipFile(io.BytesIO(data("ods-hidden-sheet.ods"))).read("content.xml")


def test_pdfs_hold_what_their_cases_say() -> None:
    import pdfplumber
    from pypdf import PdfReader

    with pdfplumber.open(io.BytesIO(data("pdf-text-under-box.pdf"))) as pdf:
        page = pdf.pages[1]
        box = page.rects[0]
        under = [c["text"] for c in page.chars if box["x0"] <= c["x0"] and c["x1"] <= box["x1"] and box["top"] <= c["top"]]
        assert "".join(under).startswith("Victim:")
    with pdfplumber.open(io.BytesIO(data("pdf-black-box-over-nothing.pdf"))) as pdf:
        page = pdf.pages[0]
        box = page.rects[0]
        assert not [c for c in page.chars if box["x0"] <= c["x0"] and c["x1"] <= box["x1"] and box["top"] <= c["top"] <= box["bottom"]]
    annots = PdfReader(io.BytesIO(data("pdf-redact-annotation.pdf"))).pages[0]["/Annots"]
    assert [a.get_object()["/Subtype"] for a in annots] == ["/Redact"]
    assert list(PdfReader(io.BytesIO(data("pdf-embedded-csv.pdf"))).attachments) == ["victims.csv"]
    revised = data("pdf-incremental-personal.pdf")
    first = revised[: revised.index(b"%%EOF") + 5]
    assert revised.count(b"%%EOF") == 2
    assert "07700 900417" in PdfReader(io.BytesIO(first)).pages[0].extract_text()
    assert "07700 900417" not in PdfReader(io.BytesIO(revised)).pages[0].extract_text()
    opened = PdfReader(io.BytesIO(data("pdf-encrypted-no-password.pdf")))
    assert opened.is_encrypted and opened.decrypt("") and opened.pages[0].extract_text()
    locked = PdfReader(io.BytesIO(data("pdf-encrypted.pdf")))
    assert locked.is_encrypted and not locked.decrypt("")


def test_pdfium_gives_page_objects_in_paint_order() -> None:
    """What tells a box drawn over text (a failed redaction) from a shaded cell under it."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    def kinds(name: str, page: int) -> list[str]:
        pdf = pdfium.PdfDocument(data(name))
        held = pdf[page]  # keep the page: a freed one under a raw call crashes the process
        return ["text" if o.type == raw.FPDF_PAGEOBJ_TEXT else "path" for o in held.get_objects()]

    assert kinds("pdf-text-under-box.pdf", 1) == ["text", "text", "path"]
    assert kinds("pdf-shaded-cells.pdf", 0)[-4:] == ["path", "text", "path", "text"]


def test_encrypted_office_files_open_only_with_their_password() -> None:
    import msoffcrypto

    for name in ("docx-encrypted.docx", "xlsx-encrypted.xlsx"):
        office = msoffcrypto.OfficeFile(io.BytesIO(data(name)))
        assert office.is_encrypted()
        office.load_key(password=CASES[name]["password"])
        plain = io.BytesIO()
        office.decrypt(plain)
        assert zipfile.is_zipfile(plain)


def test_attached_mail_nests_as_the_cases_say() -> None:
    from email import message_from_bytes
    from email.policy import default

    outer = message_from_bytes(data("eml-chain.eml"), policy=default)
    inner = [p for p in outer.iter_attachments() if p.get_content_type() == "message/rfc822"]
    assert inner and "07700 900238" in inner[0].get_content().get_body().get_content()
    import extract_msg

    with extract_msg.openMsg(io.BytesIO(data("msg-body-personal.msg"))) as msg:
        assert "07700 900417" in msg.body


def test_the_zip_bombs_are_small_on_disk_and_huge_when_unpacked() -> None:
    bomb = zipfile.ZipFile(io.BytesIO(data("xlsx-zip-bomb.xlsx")))
    sheet = bomb.getinfo("xl/worksheets/sheet1.xml")
    assert sheet.file_size > 64 * 10**6 and sheet.file_size / sheet.compress_size > 900
    liar = zipfile.ZipFile(io.BytesIO(data("xlsx-zip-lying-size.xlsx"))).getinfo("xl/worksheets/sheet1.xml")
    assert liar.file_size == 1024 and liar.compress_size > 8000  # the stream inflates far past what it claims
    big = sys.modules["corpus_mail"].zip_bomb(2 << 30)
    info = zipfile.ZipFile(io.BytesIO(big)).getinfo("xl/worksheets/sheet1.xml")
    assert len(big) < 3 * 10**6 and info.file_size > 2 * 10**9


def test_the_hostile_pdf_builders_make_what_they_say_at_a_small_scale() -> None:
    from pypdf import PdfReader

    pdf = sys.modules["corpus_pdf"]
    assert len(PdfReader(io.BytesIO(pdf.many_annotations(1000))).pages[0]["/Annots"]) == 1000
    assert len(PdfReader(io.BytesIO(pdf.many_pages(1000))).pages) == 1000
    assert pdf.deep_nesting(50).count(b"[" * 50) == 1
