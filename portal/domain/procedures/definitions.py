"""Procedure definitions: the pydantic models every procedure file must satisfy.

A procedure file (YAML, one per procedure, under portal/procedures/<category>/) is data the
exchange edits without a programmer; these models are its contract. An invalid file never
reaches users: the loader reports the file, the path inside it and what is wrong.
"""
from __future__ import annotations

import enum
import re
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from portal.domain.accounts.roles import ClientRole
from portal.domain.procedures.limits import MAX_ENTRIES, MAX_ROWS, LengthLimited

ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
SEED_REF_PATTERN = r"^(003|004)-[A-Za-z0-9.\-†]+$"


class Category(str, enum.Enum):
    """The five procedure categories of guide clause G-12, in its order."""

    listing = "listing"
    non_listed = "non_listed"
    audit = "audit"
    membership = "membership"
    disclosure = "disclosure"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A label in the portal's three languages; none may be empty."""

    kk: str = Field(min_length=1)
    ru: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return getattr(self, lang, None) or self.en


# --- conditions -----------------------------------------------------------------------------

class FieldCondition(Strict):
    """True when a field of the application has the given value (or any value, with filled)."""

    field: str
    equals: Any = None
    not_equals: Any = None
    in_: list[Any] | None = Field(default=None, alias="in")
    filled: bool | None = None

    @model_validator(mode="after")
    def _one_test(self):
        tests = [self.equals is not None, self.not_equals is not None, self.in_ is not None,
                 self.filled is not None]
        if sum(tests) != 1:
            raise ValueError("a field condition needs exactly one of equals, not_equals, in, filled")
        return self


class AllCondition(Strict):
    all: list["Condition"] = Field(min_length=1)


class AnyCondition(Strict):
    any: list["Condition"] = Field(min_length=1)


class NotCondition(Strict):
    not_: "Condition" = Field(alias="not")


Condition = Union[FieldCondition, AllCondition, AnyCondition, NotCondition]


# --- form items -----------------------------------------------------------------------------

FIELD_TYPES = (
    "text", "textarea", "date", "integer", "decimal", "money", "percent", "choice",
    "multichoice", "yesno", "email", "phone", "bin", "iin", "isin", "file",
)


class Option(Strict):
    value: str = Field(pattern=ID_PATTERN)
    label: Text


class ItemBase(Strict):
    id: str = Field(pattern=ID_PATTERN)
    # the seed item this comes from (seed-items-checklist.tsv); absent for sample content
    ref: str | None = Field(default=None, pattern=SEED_REF_PATTERN)
    number: str | None = None  # the source's own numbering, shown before the label
    show_if: Condition | None = None


class Column(LengthLimited, Strict):
    """A typed column of a table field."""

    id: str = Field(pattern=ID_PATTERN)
    type: Literal[FIELD_TYPES] = "text"  # type: ignore[valid-type]
    label: Text
    required: bool = False
    options: list[Option] | None = None
    ref: str | None = Field(default=None, pattern=SEED_REF_PATTERN)
    max_length: int | None = Field(default=None, gt=0)


class FieldItem(LengthLimited, ItemBase):
    """An input the applicant fills."""

    kind: Literal["field"] = "field"
    type: Literal[FIELD_TYPES + ("table",)]  # type: ignore[valid-type]
    label: Text
    help: Text | None = None
    required: bool = False
    required_if: Condition | None = None
    options: list[Option] | None = None
    columns: list[Column] | None = None  # for type table
    min_rows: int | None = None
    max_rows: int = Field(default=MAX_ROWS, gt=0)
    min: float | None = None
    max: float | None = None
    max_length: int | None = Field(default=None, gt=0)  # else default_length(type)
    pattern: str | None = None  # a regular expression the whole value must match

    @model_validator(mode="after")
    def _shape(self):
        if self.type in ("choice", "multichoice") and not self.options:
            raise ValueError(f"a {self.type} field needs options")
        if self.type == "table" and not self.columns:
            raise ValueError("a table field needs columns")
        if self.type != "table" and self.columns:
            raise ValueError("only a table field has columns")
        if self.pattern:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"pattern is not a valid regular expression: {exc}") from None
        if self.min_rows and self.min_rows > self.max_rows:
            raise ValueError("min_rows is more than max_rows")
        return self


class TextItem(ItemBase):
    """Fixed text printed as it stands: a title, a disclaimer, a signature block, a note."""

    kind: Literal["text"] = "text"
    style: Literal["title", "disclaimer", "note", "signature", "deleted", "heading"] = "note"
    text: Text


class SectionItem(ItemBase):
    """A heading with the items under it; shown only while show_if holds."""

    kind: Literal["section"] = "section"
    label: Text
    items: list["Item"] = Field(min_length=1)


class TreeNode(Strict):
    """One option of a dynamic chain; a leaf carries the form for its combination."""

    value: str = Field(pattern=ID_PATTERN)
    label: Text
    children: list["TreeNode"] | None = None
    items: list["Item"] | None = None  # the form behind a leaf

    @model_validator(mode="after")
    def _leaf_or_branch(self):
        if self.children and self.items:
            raise ValueError("a node has either children or items, not both")
        return self


class DynamicItem(ItemBase):
    """A dynamic form (G-16): a chain of drop-downs, a free key field, then "Add"."""

    kind: Literal["dynamic"] = "dynamic"
    label: Text
    levels: list[Text] = Field(min_length=1)  # the drop-downs' labels, e.g. Platform, Sector, Category
    tree: list[TreeNode] = Field(min_length=1)
    key: FieldItem | None = None  # the free field, e.g. ISIN
    add_label: Text | None = None
    min_entries: int = Field(default=0, ge=0)
    max_entries: int = Field(default=MAX_ENTRIES, gt=0)


def _item_kind(value) -> str:
    """An item without `kind` is a field, as the format says."""
    if isinstance(value, dict):
        return value.get("kind", "field")
    return getattr(value, "kind", "field")


Item = Annotated[
    Union[Annotated[FieldItem, Tag("field")], Annotated[TextItem, Tag("text")],
          Annotated[SectionItem, Tag("section")], Annotated[DynamicItem, Tag("dynamic")]],
    Discriminator(_item_kind),
]


class Form(Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: Text
    ref: str | None = Field(default=None, pattern=SEED_REF_PATTERN)
    items: list[Item] = Field(min_length=1)


# --- the workflow ---------------------------------------------------------------------------

class Deadline(Strict):
    days: int = Field(gt=0)
    unit: Literal["working_days", "calendar_days", "months"]
    # the event the clock starts from: an application event or a date field of the application
    start: str
    ref: str | None = Field(default=None, pattern=SEED_REF_PATTERN)
    label: Text


class Stage(Strict):
    """A set of forms one person fills (G-11): the author, or the issuer's financial adviser."""

    id: str = Field(pattern=ID_PATTERN)
    name: Text
    filled_by: Literal["author", "adviser"] = "author"
    skippable: bool = False
    forms: list[Form] = Field(min_length=1)


class Subprocess(Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: Text
    stages: list[Stage] = Field(min_length=1)


class Process(Strict):
    """A process of the procedure; its actor says who acts on the application during it."""

    id: str = Field(pattern=ID_PATTERN)
    name: Text
    actor: Literal["applicant", "first_head", "office", "exchange"]
    subprocesses: list[Subprocess] = Field(default_factory=list)
    deadline: Deadline | None = None

    @model_validator(mode="after")
    def _stages_only_for_applicant(self):
        if self.actor == "applicant" and not self.subprocesses:
            raise ValueError("an applicant process needs at least one sub-process with stages")
        if self.actor != "applicant" and self.subprocesses:
            raise ValueError("only an applicant process has stages")
        return self


# --- rules ----------------------------------------------------------------------------------

class RuleBase(Strict):
    id: str = Field(pattern=ID_PATTERN)
    ref: str | None = Field(default=None, pattern=SEED_REF_PATTERN)
    clause: Text  # the clause the rule comes from, shown with its error ("003 p.11")
    message: Text
    when: Condition | None = None
    # the field the error is shown beside
    field: str


class CompareRule(RuleBase):
    """field <op> other (a field) or value; with `column`, field is a table and the comparison
    holds for that column in every row (a percentage column of at most 100)."""

    kind: Literal["compare"]
    op: Literal["<", "<=", "==", "!=", ">=", ">"]
    other: str | None = None
    value: Any = None
    column: str | None = None

    @model_validator(mode="after")
    def _one_side(self):
        if (self.other is None) == (self.value is None):
            raise ValueError("a compare rule needs exactly one of other, value")
        return self


class ProductRule(RuleBase):
    """field == product of factors (volume = number × nominal value)."""

    kind: Literal["product"]
    factors: list[str] = Field(min_length=2)


class ShareRule(RuleBase):
    """sum(parts) <= max_percent % of total (e.g. placed and unplaced within the issue)."""

    kind: Literal["share"]
    parts: list[str] = Field(min_length=1)
    total: str
    max_percent: float = Field(gt=0, le=100)


class RatingRule(RuleBase):
    """field holds a credit rating; it must be at least the minimum on the agency's scale."""

    kind: Literal["rating"]
    agency_field: str
    minimum: dict[Literal["sp", "fitch", "moodys"], str]


class ForbiddenRule(RuleBase):
    """field may not have this value (e.g. nominal value indexed to crypto-assets)."""

    kind: Literal["forbidden"]
    value: Any


class SpanRule(RuleBase):
    """field (a date) falls at least `min` and at most `max` days or months after the date in
    `start`; an `inclusive` span counts its first and last day (12 months from 15 January end on
    14 January), as a reporting period does."""

    kind: Literal["span"]
    start: str
    max: int = Field(gt=0)
    min: int | None = Field(default=None, ge=0)
    unit: Literal["days", "months"]
    inclusive: bool = False

    @model_validator(mode="after")
    def _min_within_max(self):
        if self.min is not None and self.min > self.max:
            raise ValueError("a span rule's min may not exceed its max")
        return self


class SumRule(RuleBase):
    """The sum of `parts` compared with `value` (e.g. two shares of income make 100 %)."""

    kind: Literal["sum"]
    parts: list[str] = Field(min_length=2)
    op: Literal["<", "<=", "==", "!=", ">=", ">"]
    value: float


class RequiredRule(RuleBase):
    """field must be filled (a regulation's precondition, with its clause)."""

    kind: Literal["required"]


class IdentifierRule(RuleBase):
    """field holds an identifier in one of `formats`, each with its own check digit: `bin` (a
    BIN or IIN), `rnn` (the taxpayer registration number the BIN replaced in 2013)."""

    kind: Literal["identifier"]
    formats: list[Literal["bin", "rnn"]] = Field(min_length=1)


Rule = Annotated[
    Union[CompareRule, ProductRule, ShareRule, RatingRule, ForbiddenRule, RequiredRule, SpanRule,
          SumRule, IdentifierRule],
    Field(discriminator="kind"),
]


class Ground(Strict):
    """A refusal ground, an output or a provision of the regulation, cited by ref."""

    id: str = Field(pattern=ID_PATTERN)
    ref: str | None = Field(default=None, pattern=SEED_REF_PATTERN)
    text: Text


class Output(Ground):
    """What the exchange or regulator issues at the end; may carry a form it fills."""

    items: list[Item] | None = None


class Procedure(Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    category: Category
    name: Text
    legal_basis: Text
    sample: bool = False  # true: content is not from a seed; the exchange should adapt it
    filed_by: list[ClientRole] = Field(min_length=1)
    flow: str = Field(default="standard", pattern=ID_PATTERN)  # _flows/<flow>.yaml
    notes: list[Ground] = Field(default_factory=list)  # e.g. differences between kk and ru
    provisions: list[Ground] = Field(default_factory=list)  # clauses shown for reference
    processes: list[Process] = Field(min_length=1)
    rules: list[Rule] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)  # submission/resubmission clocks
    refusal_grounds: list[Ground] = Field(default_factory=list)
    outputs: list[Output] = Field(default_factory=list)

    @field_validator("processes")
    @classmethod
    def _first_is_applicant(cls, processes: list[Process]):
        if processes[0].actor != "applicant":
            raise ValueError("the first process must be the applicant's")
        return processes


for _model in (AllCondition, AnyCondition, NotCondition, SectionItem, TreeNode, Stage, Form,
               Output, FieldItem):
    _model.model_rebuild()
