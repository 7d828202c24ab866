"""The output schema, declared once.

Every table councilpapers writes is described here: its columns with their Arrow
type, meaning and (where closed) vocabulary, its primary key and its sort order.
Parquet schemas, `councilpapers schema`, row validation and the docs all read
this module; nothing else declares a column.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

import pyarrow as pa

SCHEMA_VERSION = "1"

MONEY = pa.decimal128(18, 2)
STR = pa.string()
INT = pa.int32()
BOOL = pa.bool_()
DATE = pa.date32()


@dataclass(frozen=True)
class Field:
    name: str
    type: pa.DataType
    description: str
    required: bool = False
    enum: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    sort_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, table, column)
    spans: bool = field(default=False)  # rows carry page/char_start/char_end/raw_text

    @property
    def arrow(self) -> pa.Schema:
        return pa.schema(
            [pa.field(f.name, f.type, nullable=not f.required,
                      metadata={"description": f.description}) for f in self.fields],
            metadata={"description": self.description, "schema_version": SCHEMA_VERSION},
        )

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


DOC_ID = Field("doc_id", STR, "Stable id of the input file: first 16 hex digits of the sha256 of its bytes.", required=True)
PAGE = Field("page", INT, "1-based page of the document the row came from (1 for a single-page text or HTML file).")
CHAR_START = Field("char_start", INT, "Start offset of raw_text in the page's text as the pipeline extracted it.")
CHAR_END = Field("char_end", INT, "End offset (exclusive): page_text[char_start:char_end] == raw_text.")
RAW_TEXT = Field("raw_text", STR, "The exact span of page text the row was read from.")
FISCAL_YEAR = Field("fiscal_year", STR, "UK financial year as YYYY-YY (2023-24); null where none is stated or clearly implied.")
SPAN_FIELDS = (PAGE, CHAR_START, CHAR_END, RAW_TEXT)

STATUSES = ("ok", "partial", "failed", "needs_ocr")
DOC_KINDS = ("minutes", "report", "appendix", "agenda", "decision", "other")
BODY_KINDS = ("full_council", "executive", "scrutiny", "regulatory", "committee", "individual_decision", "other")
DECISION_KINDS = ("resolved", "recommended", "agreed", "noted", "approved", "ordered", "decided", "other")
VOTES = ("unanimous", "nem_con", "majority", "carried", "lost", "deferred")
MONEY_KINDS = ("saving", "investment", "spend", "budget", "overspend", "underspend", "forecast",
               "pressure", "gap", "funding", "grant", "income", "capital", "reserve", "contingency",
               "cost", "threshold", "rate", "other")
RECURRENCE = ("one_off", "ongoing", "per_annum")
YEAR_BASES = ("text", "column", "heading", "document")
ROW_KINDS = ("line", "subtotal", "total")
TABLE_KINDS = ("savings", "investment", "budget", "other")
STANDINGS = ("adopted", "proposed", "amendment", "alternative", "monitoring", "rejected", "reprint")
MEASURES = ("saving", "pressure", "budget", "forecast", "variance", "actual", "undeliverable", "deferred",
            "gross", "income", "net", "staffing", "non_staffing", "core", "external", "total",
            "investment", "funding")
SERVICE_AREAS = ("Education", "Highways and transport", "Children's social care", "Adult social care",
                 "Public health", "Housing", "Cultural", "Environmental and regulatory",
                 "Planning and development", "Police", "Fire", "Central services", "Other")
SERVICE_AREA = Field("service_area", STR, "MHCLG revenue-account service category the row is about "
                     "(pipeline/vocab/service_areas.csv says where each mapping comes from); null where nothing supports one.",
                     enum=SERVICE_AREAS)
MENTIONS = ("contact", "author", "presenter", "decision_maker", "attendee", "voter", "other")
SEVERITIES = ("error", "warning", "info")

TABLES: dict[str, Table] = {t.name: t for t in (
    Table(
        "documents", "One row per input file, with what it is, whose it is and how well it read.",
        (
            DOC_ID,
            Field("source_path", STR, "Input path relative to the processed folder, '/' separators.", required=True),
            Field("format", STR, "File format detected from its bytes: pdf, html, txt, or what the extension claimed for unsupported files.", required=True),
            Field("doc_kind", STR, "What the document is.", enum=DOC_KINDS),
            Field("title", STR, "Document title as printed, where one can be told."),
            Field("council_code", STR, "ONS GSS code of the authority that published the document; null where it cannot be told."),
            Field("council_name", STR, "Official short name of that authority (mySociety nice-name)."),
            Field("council_evidence", STR, "Which evidence decided the council: manifest, url, email_domain, web_link, text, text_fuzzy."),
            Field("council_confidence", pa.float32(), "0-1 confidence of the council attribution, by evidence kind."),
            Field("pages", INT, "Number of pages (1 for text and HTML)."),
            Field("status", STR, "ok, partial (an extractor failed), failed (unreadable) or needs_ocr (no text layer).", required=True, enum=STATUSES),
            Field("error", STR, "Why the document failed or is partial; null when ok."),
            Field("source_url", STR, "Where the file came from, from raw/manifest.csv when given."),
            Field("bytes", pa.int64(), "Size of the input file in bytes."),
            Field("standing", STR, "adopted, proposed, amendment, alternative (an opposition budget), monitoring or rejected: "
                  "from the document's own words (pipeline/vocab/standings.csv), then from the run's decisions "
                  "(an amendment recorded as lost is rejected; an appendix a carried resolution approves is adopted). "
                  "Null for a document without plan tables, where it would decide nothing.",
                  enum=STANDINGS),
        ),
        primary_key=("doc_id",), sort_key=("source_path", "doc_id"),
    ),
    Table(
        "meetings", "One row per meeting a document records or was written for.",
        (
            Field("meeting_id", STR, "Content id of the meeting row (doc_id + body + date + item).", required=True),
            DOC_ID,
            Field("council_code", STR, "GSS code of the document's council."),
            Field("body", STR, "Meeting body as printed, tidied (Executive, Cabinet, Overview and Scrutiny Board)."),
            Field("body_kind", STR, "Kind of body.", enum=BODY_KINDS),
            Field("meeting_date", DATE, "Date of the meeting (UK day/month/year)."),
            Field("item_number", STR, "Agenda item or minute number as printed."),
            Field("item_title", STR, "Agenda item title as printed."),
            *SPAN_FIELDS,
            Field("source_ref", STR, "The publisher's id of the meeting where known (ModernGov meeting id from "
                  "`councilpapers fetch`'s manifest.csv)."),
            Field("evidence", STR, "Where the meeting was read: null for the document's own text; `manifest` when only "
                  "the fetch manifest (committee, meeting date and id) names it, with no span."),
        ),
        primary_key=("meeting_id",), sort_key=("doc_id", "page", "char_start", "meeting_id"),
        foreign_keys=(("doc_id", "documents", "doc_id"),), spans=True,
    ),
    Table(
        "decisions", "One row per decision or recommendation, however many times the document prints it.",
        (
            Field("decision_id", STR, "Content id of the decision.", required=True),
            Field("decision_key", STR, "The same key for the same decision printed in several documents of one run (an issue page, its decision-details page, the printed minutes): from the council, the meeting's body and date, the label and the words; the decision_id where the meeting's date is not known."),
            DOC_ID,
            Field("meeting_id", STR, "The meeting the decision belongs to (meetings.meeting_id)."),
            Field("kind", STR, "The formula the document uses for the block: resolved, recommended, agreed, noted, approved, ordered, decided.", enum=DECISION_KINDS),
            Field("label", STR, "Label as printed without brackets (a, 1, ii, 2.1); empty for bullets or unlabelled text."),
            Field("text", STR, "Decision text without its label, whitespace tidied; the fullest printing."),
            Field("vote", STR, "Outcome of the vote where printed.", enum=VOTES),
            Field("votes_for", INT, "Votes for, where counts are printed."),
            Field("votes_against", INT, "Votes against, where counts are printed."),
            Field("abstentions", INT, "Abstentions, where counts are printed."),
            Field("decision_date", DATE, "Date of the decision where the page prints one (ModernGov 'Date of decision:', a decision list's date); null where only the meeting's date is printed."),
            Field("source_ref", STR, "The publisher's own reference for the decision where printed (ModernGov decision ID, 'Decision 24/00093')."),
            Field("decision_maker", STR, "Who took the decision as printed ('Decision Maker: Service Director - Homes & Neighbourhoods'); for a meeting's resolution, the meeting's body. An officer or single member deciding alone holds no meeting, so meeting_id is null."),
            *SPAN_FIELDS,
        ),
        primary_key=("decision_id",), sort_key=("doc_id", "page", "char_start", "decision_id"),
        foreign_keys=(("doc_id", "documents", "doc_id"), ("meeting_id", "meetings", "meeting_id")), spans=True,
    ),
    Table(
        "money", "One row per money mention in running text (the same amount printed twice is two rows).",
        (
            Field("fact_id", STR, "Content id of the mention (doc_id + page + span).", required=True),
            DOC_ID,
            Field("amount_gbp", MONEY, "Amount in pounds after all scaling (GBP 4.462m -> 4462000.00); low end of a range.", required=True),
            Field("amount_gbp_high", MONEY, "High end of a range (GBP 2m-3m -> 3000000.00); null for a single amount."),
            Field("approximate", BOOL, "True when qualified (c., circa, approximately, around, up to, over, at least)."),
            Field("qualifier", STR, "The qualifying word as normalised: circa, approximately, around, up_to, over, at_least, under."),
            FISCAL_YEAR,
            Field("fiscal_year_basis", STR, "Where fiscal_year was read (docs/labelling.md): text (the amount's own sentence, "
                  "or the one it refers back to), column (the table column it sits in), heading (the heading of its section) "
                  "or document (the one year the paper's title or cover names, for an amount whose sentence names none); "
                  "null where fiscal_year is null. Filter on text and column for years the paper states beside the amount.",
                  enum=YEAR_BASES),
            Field("kind", STR, "What the amount is, from the words around it.", enum=MONEY_KINDS),
            Field("recurrence", STR, "one_off, ongoing or per_annum where the text says.", enum=RECURRENCE),
            Field("sentence", STR, "The sentence (or table cell) the amount was read in."),
            *SPAN_FIELDS,
            SERVICE_AREA,
        ),
        primary_key=("fact_id",), sort_key=("doc_id", "page", "char_start", "fact_id"),
        foreign_keys=(("doc_id", "documents", "doc_id"),), spans=True,
    ),
    Table(
        "quantities", "Non-money figures in running text: FTE, percentages, counts of people and places.",
        (
            Field("fact_id", STR, "Content id of the mention.", required=True),
            DOC_ID,
            Field("value", pa.decimal128(18, 4), "The number as printed, exact.", required=True),
            Field("unit", STR, "What is counted (percent, FTE, agency staff, placements, ...)."),
            FISCAL_YEAR,
            Field("sentence", STR, "The sentence the figure was read in."),
            *SPAN_FIELDS,
        ),
        primary_key=("fact_id",), sort_key=("doc_id", "page", "char_start", "fact_id"),
        foreign_keys=(("doc_id", "documents", "doc_id"),), spans=True,
    ),
    Table(
        "tables", "One row per money plan table found (savings, investment, budget).",
        (
            Field("table_id", STR, "Content id of the table.", required=True),
            DOC_ID,
            Field("page_first", INT, "First page of the table."),
            Field("page_last", INT, "Last page of the table (tables continued over a page break are one)."),
            Field("unit", STR, "Unit of the table's figures as printed (£000, £'000, £k, £m, £)."),
            Field("n_rows", INT, "Body rows read."),
            Field("n_cols", INT, "Columns read."),
            Field("header", STR, "Header text as printed, cells joined with ' | '."),
            Field("kind", STR, "savings, investment, budget or other.", enum=TABLE_KINDS),
            Field("method", STR, "How the table was read: text_columns, pdf_ruled, pdf_words."),
            Field("totals_reconcile", BOOL, "True when every printed total matches the sum of its lines (within rounding); null without totals."),
            Field("caption", STR, "The title lines printed just above the table, whitespace tidied."),
            Field("standing", STR, "The table's standing: its own title's words, else its document's (documents.standing); "
                  "`reprint` when it is a copy of a table printed in another document (see duplicate_of).", enum=STANDINGS),
            Field("fingerprint", STR, "Content id of the table's figures row by row (labels and layout ignored): "
                  "the same table printed in two documents has the same fingerprint; null for tables too small to tell."),
            Field("duplicate_of", STR, "The canonical printing (tables.table_id) when this table is a reprint of it; null otherwise."),
        ),
        primary_key=("table_id",), sort_key=("doc_id", "page_first", "table_id"),
        foreign_keys=(("doc_id", "documents", "doc_id"),),
    ),
    Table(
        "plan_lines", "Long form of plan tables: one row per table line per money column.",
        (
            Field("line_id", STR, "Content id of the row.", required=True),
            DOC_ID,
            Field("table_id", STR, "The table (tables.table_id).", required=True),
            Field("ref", STR, "The line's reference or number as printed."),
            Field("title", STR, "The line's title, wrapped lines joined."),
            FISCAL_YEAR,
            Field("column", STR, "The column header as printed."),
            Field("amount_gbp", MONEY, "Amount in pounds after the table's unit (409 under £000's -> 409000.00); brackets negative."),
            Field("row_kind", STR, "line, subtotal or total. Totals columns across years have fiscal_year null.", enum=ROW_KINDS),
            Field("page", INT, "Page the line is printed on."),
            Field("row_index", INT, "Position of the line in its table (0-based), to keep the printed order."),
            Field("measure", STR, "What the column's figure measures (pipeline/vocab/plan_measures.csv): from its header "
                  "(Forecast, Variance, Core, Gross, Net, ...), else from the table's title for a column headed by a year alone "
                  "(a savings table's lines are savings). Sum one measure at a time.", enum=MEASURES),
            Field("directorate", STR, "The line's directorate as printed, from a Directorate column."),
            Field("service", STR, "The line's service area as printed, from a Service / Service Area column."),
            Field("category", STR, "The line's category as printed (MTFP Category, type of saving)."),
            Field("cabinet_member", STR, "The Cabinet Member or portfolio holder printed against the line."),
            Field("attributes", STR, "The line's other text cells as 'Header: value' joined by ' | ' (a brief description, core or externally funded)."),
            SERVICE_AREA,
            Field("x0", pa.float32(), "Left edge of the figure's cell on its page, in PDF points from the left (with top, x1, "
                  "bottom: where the review site highlights it); null for tables read from text or HTML."),
            Field("top", pa.float32(), "Top edge of the figure's cell, in PDF points from the top of the page."),
            Field("x1", pa.float32(), "Right edge of the figure's cell, in PDF points from the left."),
            Field("bottom", pa.float32(), "Bottom edge of the figure's cell, in PDF points from the top of the page."),
        ),
        primary_key=("line_id",), sort_key=("doc_id", "table_id", "row_index", "column", "line_id"),
        foreign_keys=(("doc_id", "documents", "doc_id"), ("table_id", "tables", "table_id")),
    ),
    Table(
        "people", "One row per person named in a document in a given capacity.",
        (
            Field("person_id", STR, "Content id of the row.", required=True),
            DOC_ID,
            Field("name", STR, "Name as printed, titles (Councillor, Cllr) removed.", required=True),
            Field("role", STR, "Role or title as printed (Director of Children's Services, Councillor)."),
            Field("email", STR, "Email address, lower case."),
            Field("phone", STR, "Phone number in international format (+44 23 8083 4899)."),
            Field("mention", STR, "How the person appears.", enum=MENTIONS),
            Field("vote_cast", STR, "For a named voter in a recorded vote: how they voted.", enum=("for", "against", "abstain")),
            Field("decision_id", STR, "For a named voter: the decision of the division the vote was cast in (decisions.decision_id); null where it cannot be told."),
            *SPAN_FIELDS,
        ),
        primary_key=("person_id",), sort_key=("doc_id", "page", "char_start", "person_id"),
        foreign_keys=(("doc_id", "documents", "doc_id"), ("decision_id", "decisions", "decision_id")), spans=True,
    ),
    Table(
        "mentions", "Councils named in a document other than (or as well as) its author.",
        (
            Field("mention_id", STR, "Content id of the row.", required=True),
            DOC_ID,
            Field("council_code", STR, "GSS code of the council mentioned.", required=True),
            Field("council_name", STR, "Its official short name."),
            *SPAN_FIELDS,
        ),
        primary_key=("mention_id",), sort_key=("doc_id", "page", "char_start", "mention_id"),
        foreign_keys=(("doc_id", "documents", "doc_id"),), spans=True,
    ),
    Table(
        "pages", "One row per page of every document read: its text exactly as the pipeline extracted it, so any "
        "row's span (page, char_start, char_end) can be checked, and built on, without re-opening the source.",
        (
            Field("page_id", STR, "Content id of the row (doc_id + page).", required=True),
            DOC_ID,
            Field("page", INT, "1-based page number (1 for a text or HTML file).", required=True),
            Field("text", STR, "The page's text as extracted: page_text[char_start:char_end] == raw_text for every span row; "
                  "empty for a blank page (which a Table Schema validator reads as missing, so it is not declared required)."),
            Field("chars", INT, "Length of text in characters."),
            Field("width_pt", pa.float32(), "PDF page width in points (1/72 inch); null for text and HTML."),
            Field("height_pt", pa.float32(), "PDF page height in points; null for text and HTML."),
        ),
        primary_key=("page_id",), sort_key=("doc_id", "page", "page_id"),
        foreign_keys=(("doc_id", "documents", "doc_id"),),
    ),
    Table(
        "problems", "Things a user should know about an input: unreadable files, doubtful extraction, totals that do not add up.",
        (
            Field("problem_id", STR, "Content id of the row.", required=True),
            DOC_ID,
            Field("source_path", STR, "Input path, so problems of files without text can still be found."),
            Field("severity", STR, "error (output lost) or warning (output doubtful).", required=True, enum=SEVERITIES),
            Field("code", STR, "Stable machine code (unsupported_format, unreadable_pdf, extractor_failed, table_total_mismatch, ...).", required=True),
            Field("message", STR, "What happened, in a sentence."),
            Field("page", INT, "Page concerned, where one is."),
            Field("extractor", STR, "The extractor or stage that raised it."),
        ),
        primary_key=("problem_id",), sort_key=("source_path", "doc_id", "code", "page", "problem_id"),
        foreign_keys=(("doc_id", "documents", "doc_id"),),
    ),
)}

ID_COLUMN = {t.name: t.primary_key[0] for t in TABLES.values()}


class SchemaError(ValueError):
    """A row does not fit its table's declaration."""


# Arrow type -> (kind used for row checks, Frictionless Table Schema type); first match wins.
TYPE_KINDS = (
    (pa.types.is_decimal, "decimal", "number"),  # exact: decimal128, never float
    (pa.types.is_integer, "int", "integer"),
    (pa.types.is_floating, "float", "number"),
    (pa.types.is_boolean, "bool", "boolean"),
    (pa.types.is_date, "date", "date"),
    (pa.types.is_timestamp, "datetime", "datetime"),
)


def type_kind(t: pa.DataType) -> tuple[str, str]:
    for test, kind, table_schema_type in TYPE_KINDS:
        if test(t):
            return kind, table_schema_type
    return "str", "string"


@lru_cache(maxsize=None)
def _type_key(t: pa.DataType) -> str:
    return type_kind(t)[0]  # asked for every value of every row checked: a dozen types, cached


_PY_TYPES = {"decimal": Decimal, "int": int, "float": (float, int), "bool": bool, "date": date,
             "datetime": datetime, "str": str}


@lru_cache(maxsize=None)
def _checks(table: str) -> tuple[frozenset[str], tuple[tuple[str, bool, tuple | None, type | tuple, str], ...]]:
    """A table's columns, and per field what `check_row` tests: (name, required, enum, Python type(s),
    type name): worked out once per table, not for every value of every row."""
    spec = TABLES[table]
    return frozenset(spec.columns), tuple((f.name, f.required, f.enum, _PY_TYPES[_type_key(f.type)], _type_key(f.type))
                                          for f in spec.fields)


def check_row(table: str, row: dict) -> dict:
    """Return the row completed with nulls, or raise SchemaError saying what is wrong."""
    columns, fields = _checks(table)
    unknown = set(row) - columns
    if unknown:
        raise SchemaError(f"{table}: unknown column(s) {sorted(unknown)}")
    out = {}
    for name, required, enum, py_type, key in fields:
        value = row.get(name)
        if value is None:
            if required:
                raise SchemaError(f"{table}.{name} is required")
        elif enum and value not in enum:
            raise SchemaError(f"{table}.{name}={value!r} not in {enum}")
        elif not isinstance(value, py_type) or (isinstance(value, bool) and key == "int"):
            raise SchemaError(f"{table}.{name} must be {key}, got {type(value).__name__} {value!r:.60}")
        out[name] = value
    return out


def describe() -> str:
    """Plain-text listing of every table and column, for `councilpapers schema`."""
    lines = [f"councilpapers output schema, version {SCHEMA_VERSION}", ""]
    for t in TABLES.values():
        lines.append(f"{t.name}: {t.description}")
        lines.append(f"  primary key: {', '.join(t.primary_key)}")
        for f in t.fields:
            extra = f" [{'/'.join(f.enum)}]" if f.enum else ""
            req = " (required)" if f.required else ""
            lines.append(f"  {f.name:<20} {str(f.type):<16} {f.description}{extra}{req}")
        lines.append("")
    return "\n".join(lines)
