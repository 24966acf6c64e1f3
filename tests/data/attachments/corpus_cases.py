"""Every case of the attachment corpus: how its file is built and what must be found.

A case's ``findings`` are the findings that must be among those reported
(more may be); each names its check, the attachment (the case's own file
unless nested) and either an exact ``location`` or, with ``within``, the
start of one (for a table whose every row may be reported).  ``decision``
is "block", "warn" or "pass" for an outside recipient; ``overridable`` says
whether a written justification may release a block.  README.md gives the
rules these follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import corpus_docx as W
import corpus_mail as M
import corpus_odf as O
import corpus_pdf as P
import corpus_xlsx as X
from corpus_people import DECLAN, HARRIET, MOBILE, MOBILE_2, OFFICE, RHIANNON, ROLE_MAILBOX, TOBIAS, officers, victims

ADDRESS = "14 Acacia Avenue"


def find(check: str, location: str | None, text: str | None = None, *, within: bool = False,
         attachment: str | None = None) -> dict[str, Any]:
    """One expected finding (``attachment`` None means the case's own file)."""
    out: dict[str, Any] = {"check": check, "attachment": attachment}
    out["within" if within else "location"] = location
    if text is not None:
        out["text"] = text
    return out


@dataclass(frozen=True)
class Case:
    file: str
    kind: str
    feature: str
    decision: str
    overridable: bool | None
    findings: list[dict[str, Any]]
    build: Callable[[], bytes]
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def record(self, committed: bool = True) -> dict[str, Any]:
        findings = [{**f, "attachment": f["attachment"] or self.file} for f in self.findings]
        record = {"file": self.file, "kind": self.kind, "feature": self.feature, "decision": self.decision,
                  "overridable": self.overridable, "findings": findings, "committed": committed}
        if self.note:
            record["note"] = self.note
        return record | self.extra


@dataclass(frozen=True)
class LargeCase(Case):
    """A case built at test time (too big to commit); ``build`` returns its bytes."""

    def record(self, committed: bool = False) -> dict[str, Any]:
        return super().record(committed=False) | {"builder": self.build.__name__}

    def write(self, path: Path) -> None:
        path.write_bytes(self.build())


def clean(file: str, kind: str, feature: str, build: Callable[[], bytes], note: str = "") -> Case:
    return Case(file, kind, feature, "pass", None, [], build, note)


def unreadable(file: str, kind: str, feature: str, build: Callable[[], bytes], note: str = "", **extra: Any) -> Case:
    return Case(file, kind, feature, "block", True, [find("unreadable", None)], build, note, extra)


CONTACTS = [["Name", "Phone"], [HARRIET, MOBILE]]
WORKINGS = [["Quarter", "Recorded", "Detected"], ["Q1", 412, 97], ["Q2", 388, 102], ["Q3", 405, 88], ["Q4", 379, 91]]

# --- spreadsheets --------------------------------------------------------------------------------

XLSX = [
    Case("xlsx-hidden-sheet-staff.xlsx", "xlsx", "hidden sheet (PSNI)", "block", False,
         [find("hidden_sheet", "sheet Staff (hidden)"), find("name", "sheet Staff (hidden)!", within=True)],
         lambda: X.staff_roll(officers(9483)),
         "Built like the PSNI file: a visible headcount by rank; a hidden sheet of 9,483 officers and staff "
         "(surname in capitals, initials, rank, role, staff number). The surnames are names by their column heading."),
    Case("xlsx-very-hidden-sheet.xlsx", "xlsx", "very hidden sheet", "block", False,
         [find("hidden_sheet", "sheet Lookup (very hidden)"),
          find("name", "sheet Lookup (very hidden)!A2", HARRIET), find("phone", "sheet Lookup (very hidden)!B2", MOBILE)],
         lambda: X.hidden_sheet("veryHidden", "Lookup", CONTACTS), "Only VBA or the XML shows a very hidden sheet."),
    Case("xlsx-hidden-sheet-workings.xlsx", "xlsx", "hidden sheet without personal data", "block", True,
         [find("hidden_sheet", "sheet Workings (hidden)")], lambda: X.hidden_sheet("hidden", "Workings", WORKINGS),
         "A hidden sheet with data blocks by itself; with no personal data in it a justification may release it."),
    clean("xlsx-hidden-sheet-empty.xlsx", "xlsx", "hidden sheet, empty", lambda: X.hidden_sheet("hidden", "Sheet2", []),
          "Look-alike: a hidden sheet that holds nothing."),
    Case("xlsx-hidden-rows.xlsx", "xlsx", "hidden rows with data", "block", False,
         [find("hidden_rows", "sheet Summary row", within=True),
          find("name", "sheet Summary!A12", HARRIET), find("phone", "sheet Summary!B12", MOBILE)],
         lambda: X.hidden_rows({12: [HARRIET, MOBILE, "Victim"]}, range(11, 14))),
    clean("xlsx-hidden-rows-empty.xlsx", "xlsx", "hidden rows, empty", lambda: X.hidden_rows({}, range(20, 26)),
          "Look-alike: rows hidden for layout, nothing in them."),
    Case("xlsx-hidden-column.xlsx", "xlsx", "hidden column with data", "block", False,
         [find("hidden_columns", "sheet Summary column", within=True), find("phone", "sheet Summary!E3", MOBILE)],
         lambda: X.hidden_column("E", ["Contact number", MOBILE, MOBILE_2])),
    Case("xlsx-comment-personal.xlsx", "xlsx", "cell comment with personal data", "block", True,
         [find("phone", "sheet Summary!C4 comment", MOBILE_2), find("name", "sheet Summary!C4 comment", DECLAN)],
         lambda: X.with_comment("C4", f"Spoke to {DECLAN} on {MOBILE_2} about this figure.")),
    Case("xlsx-comment-clean.xlsx", "xlsx", "cell comment without personal data", "warn", None,
         [find("comment", "sheet Summary!B3 comment")],
         lambda: X.with_comment("B3", "Figures checked against the 2023 annual return."),
         "Look-alike: the comment is harmless, but it goes to the requester: warn, never block."),
    Case("xlsx-pivot-cache-victims.xlsx", "xlsx", "pivot cache records (Norfolk and Suffolk)", "block", False,
         [find("pivot_cache", "pivot cache 1"), find("name", "pivot cache 1", within=True)],
         lambda: X.pivot_workbook(*X.victim_records(victims(1230)), axis=5),
         "Built like the Norfolk and Suffolk file: a visible count by offence; the pivot cache keeps 1,230 raw "
         "records (name, address, postcode, date of birth, offence, role) though the source sheet is gone."),
    Case("xlsx-pivot-cache-counts.xlsx", "xlsx", "pivot cache records without personal data", "block", True,
         [find("pivot_cache", "pivot cache 1")], lambda: X.pivot_workbook(*X.count_records(), axis=1)),
    clean("xlsx-pivot-no-records.xlsx", "xlsx", "pivot table whose cache keeps no records",
          lambda: X.pivot_workbook(*X.count_records(), axis=1, save_data=False),
          "Look-alike: saveData=\"0\", no pivotCacheRecords part; the summary alone leaves."),
    Case("xlsx-defined-name-personal.xlsx", "xlsx", "defined name holding personal data", "block", True,
         [find("phone", "defined name Contact", MOBILE)], lambda: X.with_defined_name("Contact", f'"{HARRIET} {MOBILE}"')),
    clean("xlsx-defined-name-print-area.xlsx", "xlsx", "defined name, a print area",
          lambda: X.with_defined_name("Print_Area", "Summary!$A$1:$C$9")),
    Case("xlsx-external-link-personal.xlsx", "xlsx", "external link whose cached values name people", "block", True,
         [find("external_link", "external link 1"), find("name", "external link 1", RHIANNON)],
         lambda: X.external_link(r"file:///\\fs01\cid\Victims 2023.xlsx", [("A1", RHIANNON), ("B1", "Victim")])),
    Case("xlsx-external-link-clean.xlsx", "xlsx", "external link to a statistics workbook", "warn", None,
         [find("external_link", "external link 1")],
         lambda: X.external_link(r"file:///\\fs01\stats\crime-totals-2023.xlsx", [("A1", "Total"), ("B1", "2874")]),
         "Look-alike: the link names a server path but no person: warn."),
    Case("xlsx-embedded-docx.xlsx", "xlsx", "embedded Word document with personal data", "block", True,
         [find("phone", "body", MOBILE, attachment="xlsx-embedded-docx.xlsx/Microsoft_Word_Document.docx")],
         lambda: X.embedded_package("Microsoft_Word_Document.docx",
                                    W.Docx(W.letter(W.para(W.run(f"Contact {TOBIAS} on {MOBILE}.")))).build()),
         "An embedded package is read as a file of its own; its name joins the outer one with '/'."),
    Case("xlsx-properties-person.xlsx", "xlsx", "document properties naming people", "block", True,
         [find("name", "properties author", HARRIET), find("name", "properties last modified by", DECLAN)],
         lambda: X.with_properties(HARRIET, DECLAN)),
    clean("xlsx-properties-role.xlsx", "xlsx", "document properties naming a role mailbox",
          lambda: X.with_properties(X.UNIT, ROLE_MAILBOX), "Look-alike: author and last-modified-by are the unit and its role mailbox."),
    Case("xlsm-very-hidden-sheet.xlsm", "xlsm", "macro-enabled workbook, very hidden sheet", "block", False,
         [find("hidden_sheet", "sheet Macro (very hidden)"), find("phone", "sheet Macro (very hidden)!B2", MOBILE)],
         lambda: X.macro_enabled("Macro", CONTACTS)),
    Case("xlsx-visible-personal.xlsx", "xlsx", "personal data on a visible sheet", "block", True,
         [find("name", "sheet Contacts!A2", HARRIET), find("phone", "sheet Contacts!B2", MOBILE)], lambda: X.visible(CONTACTS)),
    clean("xlsx-clean-summary.xlsx", "xlsx", "a plain summary table", lambda: X.save(X.new_workbook()),
          "The file most responses attach: counts by offence and year."),
]

ODS = [
    Case("ods-hidden-sheet.ods", "ods", "hidden sheet", "block", False,
         [find("hidden_sheet", "sheet Contacts (hidden)"), find("phone", "sheet Contacts (hidden)!B2", MOBILE)],
         lambda: O.spreadsheet(hidden_sheet=CONTACTS)),
    Case("ods-hidden-rows.ods", "ods", "hidden rows with data", "block", False,
         [find("hidden_rows", "sheet Summary row", within=True), find("phone", "sheet Summary!B10", MOBILE)],
         lambda: O.spreadsheet(extra_rows=[["Total", 500, 470], [HARRIET, MOBILE, "Victim"]], hide=range(10, 11))),
    Case("ods-annotation-personal.ods", "ods", "cell annotation with personal data", "block", True,
         [find("phone", "sheet Summary!B3 comment", MOBILE_2)],
         lambda: O.spreadsheet(notes={(3, 2): f"Figure from {DECLAN}, {MOBILE_2}"})),
    clean("ods-clean.ods", "ods", "a plain summary table", lambda: O.spreadsheet()),
]

CSV = [
    Case("csv-contacts.csv", "csv", "personal data in a CSV", "block", True,
         [find("name", "A2", HARRIET), find("phone", "B2", MOBILE)],
         lambda: M.csv_bytes([["Name", "Phone", "Address"], [HARRIET, MOBILE, f"{ADDRESS}, Norwich NR2 9ZZ"]])),
    clean("csv-counts.csv", "csv", "counts only", lambda: M.csv_bytes([["Offence", "2022", "2023"], ["Burglary", 47, 43]])),
]

# --- documents -----------------------------------------------------------------------------------

DOCX = [
    Case("docx-body-personal.docx", "docx", "personal data in the body", "block", True,
         [find("phone", "body", MOBILE)], lambda: W.Docx(W.letter(W.para(W.run(f"Please call {HARRIET} on {MOBILE}.")))).build()),
    Case("docx-header-footer.docx", "docx", "header and footer", "block", True,
         [find("name", "header 1", RHIANNON), find("phone", "footer 1", MOBILE_2)],
         lambda: W.Docx(W.letter(), header=f"Prepared by {RHIANNON}", footer=f"Queries: {MOBILE_2}").build()),
    Case("docx-header-marking.docx", "docx", "protective marking in the header", "block", False,
         [find("marking", "header 1", "OFFICIAL-SENSITIVE")],
         lambda: W.Docx(W.letter(), header="OFFICIAL-SENSITIVE").build(),
         "A marked document going outside the police network: never overridable, as in a body."),
    Case("docx-footnote-personal.docx", "docx", "footnote", "block", True,
         [find("phone", "footnote 1", MOBILE_2)],
         lambda: W.Docx(W.letter(W.para(W.run("The figure was confirmed."), W.footnote_ref(1))),
                        footnotes=[f"Confirmed by {DECLAN} on {MOBILE_2}."]).build()),
    Case("docx-text-box-personal.docx", "docx", "text box", "block", True,
         [find("phone", "text box 1", MOBILE)],
         lambda: W.Docx(W.letter(W.para(W.text_box(f"Officer in case: {TOBIAS}, {MOBILE}")))).build(),
         "Word keeps the text twice (DrawingML and a VML fallback): report it once."),
    Case("docx-comment-personal.docx", "docx", "comment with personal data", "block", True,
         [find("phone", "comment 1", MOBILE)],
         lambda: W.Docx(W.letter(W.para(W.commented("The figure for 2023 is 412."))),
                        comments=[(W.UNIT, f"Source: {HARRIET}, {MOBILE}")]).build()),
    Case("docx-comment-clean.docx", "docx", "comment without personal data", "warn", None,
         [find("comment", "comment 1")],
         lambda: W.Docx(W.letter(W.para(W.commented("The figure for 2023 is 412."))),
                        comments=[(W.UNIT, "Check this against the s12 estimate.")]).build(),
         "Look-alike: a harmless comment still goes to the requester: warn."),
    Case("docx-comment-author.docx", "docx", "comment whose author is a person", "block", True,
         [find("name", "comment 1 author", DECLAN)],
         lambda: W.Docx(W.letter(W.para(W.commented("The figure for 2023 is 412."))),
                        comments=[(DECLAN, "Agreed.")]).build(),
         "Word stamps the author's name on every comment and tracked change."),
    Case("docx-tracked-deletion.docx", "docx", "tracked deletion", "block", True,
         [find("name", "tracked deletion 1", HARRIET), find("street_address", "tracked deletion 1", ADDRESS)],
         lambda: W.Docx(W.letter(W.para(W.run("The complainant "), W.deleted(f"{HARRIET} of {ADDRESS} "),
                                         W.run("was told of the outcome.")))).build(),
         "Deleted text is still in the file (w:delText)."),
    Case("docx-tracked-insertion.docx", "docx", "tracked insertion", "block", True,
         [find("phone", "tracked insertion 1", MOBILE_2)],
         lambda: W.Docx(W.letter(W.para(W.run("Contact the unit "), W.inserted(f"or {DECLAN} on {MOBILE_2}")))).build()),
    Case("docx-tracked-clean.docx", "docx", "tracked changes without personal data", "warn", None,
         [find("tracked_change", "tracked insertion 1"), find("tracked_change", "tracked deletion 1")],
         lambda: W.Docx(W.letter(W.para(W.run("The force "), W.deleted("holds"), W.inserted("does not hold"),
                                         W.run(" this information.")))).build(),
         "Look-alike: an edit that names nobody: warn (crumail redact can accept it)."),
    Case("docx-hidden-text-personal.docx", "docx", "hidden text (w:vanish) with personal data", "block", False,
         [find("hidden_text", "hidden text 1"), find("phone", "hidden text 1", MOBILE)],
         lambda: W.Docx(W.letter(W.para(W.run("No information is held. "), W.run(f"Informant: {TOBIAS} {MOBILE}", vanish=True)))).build()),
    Case("docx-hidden-text-clean.docx", "docx", "hidden text without personal data", "block", True,
         [find("hidden_text", "hidden text 1")],
         lambda: W.Docx(W.letter(W.para(W.run("No information is held. "), W.run("Para 4 to be reviewed by legal.", vanish=True)))).build(),
         "Hidden content blocks by itself, like a hidden sheet; a justification may release it when no personal data is in it."),
    Case("docx-properties-person.docx", "docx", "document properties naming a person", "block", True,
         [find("name", "properties author", RHIANNON)], lambda: W.Docx(W.letter(), creator=RHIANNON).build()),
    clean("docx-properties-role.docx", "docx", "document properties naming a role mailbox",
          lambda: W.Docx(W.letter(), creator=W.UNIT, modified_by=ROLE_MAILBOX).build()),
    Case("docx-embedded-xlsx.docx", "docx", "embedded workbook with a hidden sheet", "block", False,
         [find("hidden_sheet", "sheet Lookup (hidden)", attachment="docx-embedded-xlsx.docx/Microsoft_Excel_Worksheet.xlsx")],
         lambda: W.Docx(W.letter(), extra={"word/embeddings/Microsoft_Excel_Worksheet.xlsx":
                                           X.hidden_sheet("hidden", "Lookup", CONTACTS)}).build()),
    clean("docx-clean.docx", "docx", "a plain response letter",
          lambda: W.Docx(W.letter(W.para(W.run(f"For any questions call the unit on {OFFICE}.")))).build(),
          "The unit's switchboard is on the allow list."),
]

ODT = [
    Case("odt-body-personal.odt", "odt", "personal data in the body", "block", True,
         [find("phone", "body", MOBILE)], lambda: O.document(["Dear Sir or Madam,", f"Please call {HARRIET} on {MOBILE}."])),
    Case("odt-tracked-deletion.odt", "odt", "tracked deletion", "block", True,
         [find("name", "tracked deletion 1", HARRIET)],
         lambda: O.document(["Dear Sir or Madam,", "The complainant was told of the outcome."], deleted=f"{HARRIET} of {ADDRESS}")),
    Case("odt-hidden-text.odt", "odt", "hidden text (text:display none)", "block", False,
         [find("hidden_text", "hidden text 1"), find("phone", "hidden text 1", MOBILE)],
         lambda: O.document(["Dear Sir or Madam,", "No information is held."], hidden=f" Informant {MOBILE}")),
    Case("odt-properties-person.odt", "odt", "document properties naming a person", "block", True,
         [find("name", "properties author", DECLAN)], lambda: O.document(["Dear Sir or Madam,"], creator=DECLAN)),
    clean("odt-clean.odt", "odt", "a plain response letter", lambda: O.document(["Dear Sir or Madam,", "No information is held."])),
]

# --- PDF -----------------------------------------------------------------------------------------

VICTIM_LINE = P.Line(f"Victim: {HARRIET}, {MOBILE}", 700)
PDF = [
    Case("pdf-text-personal.pdf", "pdf", "personal data in the text layer", "block", True,
         [find("phone", "page 1", MOBILE)], lambda: P.draw([P.letter(VICTIM_LINE)])),
    Case("pdf-text-under-box.pdf", "pdf", "text under a filled black rectangle (failed redaction)", "block", False,
         [find("failed_redaction", "page 2")],
         lambda: P.draw([P.letter(), [P.Line("Annex A", 760), *P.covered(VICTIM_LINE)]]),
         "A black box drawn over text that is still in the text layer: a hard block."),
    Case("pdf-text-under-white-box.pdf", "pdf", "text under a white rectangle", "block", False,
         [find("failed_redaction", "page 1")], lambda: P.draw([P.letter(*P.covered(VICTIM_LINE, grey=1.0))]),
         "Any filled rectangle drawn after the text counts, whatever its colour."),
    Case("pdf-redact-annotation.pdf", "pdf", "redaction annotation never applied", "block", False,
         [find("failed_redaction", "page 1")],
         lambda: P.with_redact_annotation(P.draw([P.letter(VICTIM_LINE)]), (70, 697, 300, 711)),
         "Marked for redaction (/Subtype /Redact) but never applied: the text is untouched."),
    clean("pdf-black-box-over-nothing.pdf", "pdf", "black box where text was removed",
          lambda: P.draw([P.letter(P.Line("Victim:", 700), P.Box(120, 697, 180, 14))]),
          "Look-alike: a redaction done properly; the box covers no text."),
    clean("pdf-shaded-cells.pdf", "pdf", "shaded table cells under text",
          lambda: P.draw([P.letter(*P.shaded(P.Line("Burglary 47 43", 700)), *P.shaded(P.Line("Theft 61 58", 680)))]),
          "Look-alike: the boxes are drawn before the text, which lies on top of them."),
    Case("pdf-metadata-person.pdf", "pdf", "Author naming a person", "block", True,
         [find("name", "properties author", HARRIET)], lambda: P.draw([P.letter()], author=HARRIET)),
    clean("pdf-metadata-role.pdf", "pdf", "Author naming the unit", lambda: P.draw([P.letter()])),
    Case("pdf-annotation-personal.pdf", "pdf", "sticky note with personal data", "block", True,
         [find("phone", "page 1 annotation 1", MOBILE_2)], lambda: P.with_note(P.draw([P.letter()]), f"Ring {DECLAN} on {MOBILE_2}")),
    Case("pdf-annotation-clean.pdf", "pdf", "sticky note without personal data", "warn", None,
         [find("comment", "page 1 annotation 1")], lambda: P.with_note(P.draw([P.letter()]), "Checked against the disclosure log."),
         "Look-alike: a harmless note still goes to the requester: warn."),
    Case("pdf-embedded-csv.pdf", "pdf", "embedded file", "block", True,
         [find("phone", "B2", MOBILE, attachment="pdf-embedded-csv.pdf/victims.csv")],
         lambda: P.with_attachment(P.draw([P.letter()]), "victims.csv", M.csv_bytes(CONTACTS))),
    Case("pdf-incremental-personal.pdf", "pdf", "earlier revision kept by an incremental save", "block", False,
         [find("earlier_revision", "revision 1"), find("phone", "revision 1 page 1", MOBILE)],
         lambda: P.revised(P.draw([P.letter(VICTIM_LINE)]), new_page=P.letter(P.Line("Victim: [S.40(2)]", 700))),
         "Revision 2 replaced page 1; revision 1 (the bytes up to the first %%EOF) still holds the name and number."),
    clean("pdf-incremental-clean.pdf", "pdf", "incremental save that changes only the metadata",
          lambda: P.revised(P.draw([P.letter()]), author="FOI Disclosure Unit (reviewed)"),
          "Look-alike: two revisions, the same text in both."),
    clean("pdf-encrypted-no-password.pdf", "pdf", "encrypted with an empty user password",
          lambda: P.encrypted(P.draw([P.letter()]), "", "pdf-open"),
          "Owner-password restrictions only: opens without a password and must be read like any other."),
]

# --- mail ----------------------------------------------------------------------------------------

MAIL = [
    Case("eml-body-personal.eml", "eml", "attached mail with personal data", "block", True,
         [find("phone", "body", MOBILE)], lambda: M.eml("Referral", f"The applicant, {HARRIET}, can be reached on {MOBILE}.\n")),
    Case("eml-subject-personal.eml", "eml", "personal data in an attached mail's subject", "block", True,
         [find("phone", "subject", MOBILE)], lambda: M.eml(f"Request from {HARRIET} {MOBILE}", "Please log this request.\n")),
    Case("eml-nested-xlsx.eml", "eml", "attached mail carrying a workbook with a hidden sheet", "block", False,
         [find("hidden_sheet", "sheet Staff (hidden)", attachment="eml-nested-xlsx.eml/staff.xlsx")],
         lambda: M.eml("Staff figures", "Figures attached.\n", [("staff.xlsx", X.staff_roll(officers(40, seed=7)),
                                                                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")])),
    Case("eml-chain.eml", "eml", "mail attached to an attached mail", "block", True,
         [find("phone", "body", MOBILE_2, attachment="eml-chain.eml/original.eml")],
         lambda: M.eml("FW: original", "See below.\n", [("original.eml", M.eml("Original", f"Call {DECLAN} on {MOBILE_2}.\n"),
                                                         "message/rfc822")])),
    clean("eml-clean.eml", "eml", "attached acknowledgement from the role mailbox",
          lambda: M.eml("Acknowledgement", "Your request has been logged. No reply is needed.\n")),
    Case("msg-body-personal.msg", "msg", "attached Outlook message with personal data", "block", True,
         [find("phone", "body", MOBILE)], lambda: M.msg("Referral", f"The applicant, {HARRIET}, can be reached on {MOBILE}.\n")),
    clean("msg-clean.msg", "msg", "attached Outlook acknowledgement", lambda: M.msg("Acknowledgement", "Your request has been logged.\n")),
]

# --- unreadable and hostile ----------------------------------------------------------------------

PASSWORD = {"password": "Corpus-2024"}
PADDING = [W.para(W.run(f"Reference {M.noise(48, str(n)).hex()}")) for n in range(40)]
UNREADABLE = [
    unreadable("docx-encrypted.docx", "docx", "password-protected document",
               lambda: M.office_encrypted(W.Docx(W.letter(*PADDING)).build(), PASSWORD["password"], "docx"),
               "msoffcrypto-tool cannot decrypt its own output below 4 KiB (the CFB mini stream): the letter is padded.",
               **PASSWORD),
    unreadable("xlsx-encrypted.xlsx", "xlsx", "password-protected workbook",
               lambda: M.office_encrypted(X.save(X.new_workbook()), PASSWORD["password"], "xlsx"), **PASSWORD),
    unreadable("pdf-encrypted.pdf", "pdf", "PDF with a user password",
               lambda: P.encrypted(P.draw([P.letter(VICTIM_LINE)]), PASSWORD["password"], "pdf"), **PASSWORD),
    unreadable("xlsx-truncated.xlsx", "xlsx", "truncated workbook", lambda: M.truncated(X.save(X.new_workbook()))),
    unreadable("pdf-corrupt.pdf", "pdf", "PDF whose body is not PDF", lambda: b"%PDF-1.7\n" + M.noise(4000, "pdf")),
    unreadable("unknown-type.bin", "other", "bytes of no known type", lambda: M.noise(4096, "bin")),
    Case("minutes.pdf", "docx", "a Word document named .pdf", "block", True, [find("phone", "body", MOBILE)],
         lambda: W.Docx(W.letter(W.para(W.run(f"Present: {HARRIET} ({MOBILE})")))).build(),
         "The sender controls the name: the type comes from the bytes, and the document is read as what it is."),
    unreadable("xlsx-zip-bomb.xlsx", "xlsx", "zip bomb (ratio about 1,000:1)", lambda: M.zip_bomb(64 << 20),
               "64 MiB from 66 KB; the large one unpacks to 2 GiB."),
    unreadable("xlsx-zip-lying-size.xlsx", "xlsx", "zip entry that claims 1 KB and inflates to 8 MiB",
               lambda: M.lying_zip(8 << 20), "Trust no size field: cap the bytes actually inflated."),
    unreadable("xlsx-billion-laughs.xlsx", "xlsx", "XML entity expansion in a worksheet", M.billion_laughs_xlsx),
    unreadable("docx-billion-laughs.docx", "docx", "XML entity expansion in the body",
               lambda: M.billion_laughs_docx(W.Docx(W.letter()).build())),
]


def zip_bomb_2gib() -> bytes:
    return M.zip_bomb(2 << 30)


LARGE_CASES = [
    LargeCase("xlsx-zip-bomb-2gib.xlsx", "xlsx", "zip bomb unpacking to 2 GiB", "block", True,
              [find("unreadable", None)], zip_bomb_2gib, "About 2 MB on disk."),
    LargeCase("pdf-100k-annotations.pdf", "pdf", "PDF with 100,000 objects (annotations on one page)", "block", True,
              [find("unreadable", None)], P.many_annotations, "About 1 MB: object and xref streams."),
    LargeCase("pdf-100k-pages.pdf", "pdf", "PDF with 100,000 pages", "block", True, [find("unreadable", None)], P.many_pages),
    LargeCase("pdf-deep-nesting.pdf", "pdf", "PDF with an array nested 100,000 deep", "block", True,
              [find("unreadable", None)], P.deep_nesting),
]

CASES: list[Case] = XLSX + ODS + CSV + DOCX + ODT + PDF + MAIL + UNREADABLE
