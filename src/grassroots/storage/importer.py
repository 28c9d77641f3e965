r"""Import transfers from CSV, all of the file or none of it.

A file is read in full and every row checked before anything is posted: the
columns (see [`CSV_COLUMNS`][grassroots.storage.export.CSV_COLUMNS]), each
field through the same constructor as any [`Transfer`][grassroots.ledger.Transfer],
ids unique in the file and not already in the ledger, and accounts known to
the ledger. A file with bad rows is refused whole with
[`ImportRejected`][grassroots.errors.ImportRejected], listing every bad row's
line number and reason. The rows that pass are then posted as one
[`post_batch`][grassroots.ledger.PointsLedger.post_batch], so a rule the
ledger refuses (a wallet that would go below zero) also leaves nothing posted.

Examples:
    >>> import pendulum
    >>> from grassroots.ledger import Account, PointsLedger, Scheme
    >>> ledger = PointsLedger()
    >>> _ = ledger.add_scheme(Scheme(code="virtue"))
    >>> _ = ledger.open_account(Account(id="issuer", scheme="virtue", kind="issuer"))
    >>> _ = ledger.open_account(Account(id="wang", scheme="virtue", kind="wallet"))
    >>> text = (
    ...     "id,kind,at,debit,credit,amount,reference,memo,reverses\n"
    ...     "e1,earn,2025-03-01T09:00:00+08:00,issuer,wang,20,,,\n"
    ...     "e2,earn,2025-03-01T10:00:00+08:00,issuer,wang,-5,,,\n"
    ...     "e3,earn,yesterday,issuer,li,5,,,\n"
    ... )
    >>> try:
    ...     import_transfers(ledger, text)
    ... except ImportRejected as exc:
    ...     print("\n".join(exc.problems))
    line 3: transfer e2 moves -5 points; a transfer moves a positive number of points, ...
    line 4: at: 'yesterday' is not an ISO 8601 time with an offset
    line 4: debit or credit li is not an account of the ledger
    >>> len(ledger)
    3
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Final

import pendulum

from grassroots.errors import BatchRejected, GrassrootsError, ImportRejected
from grassroots.ledger import PointsLedger, Transfer, TransferKind
from grassroots.storage.export import CSV_COLUMNS

__all__ = ["import_transfers", "read_transfers"]

_REFUSAL: Final = "import: a file with bad rows is refused whole"


def _time(text: str) -> pendulum.DateTime:
    try:
        parsed = pendulum.parse(text, exact=True)
    except (ValueError, TypeError, pendulum.parsing.exceptions.ParserError) as exc:
        raise ValueError(f"at: {text!r} is not an ISO 8601 time with an offset") from exc
    if not isinstance(parsed, pendulum.DateTime) or parsed.utcoffset() is None:
        raise ValueError(f"at: {text!r} is not an ISO 8601 time with an offset")
    if "+" not in text[10:] and "-" not in text[10:] and not text.endswith("Z"):
        raise ValueError(f"at: {text!r} has no UTC offset")
    return parsed


def _amount(text: str) -> int:
    body = text.strip()
    if not body.lstrip("-").isdigit() or not body.isascii():
        raise ValueError(f"amount: {text!r} is not a whole number of points")
    return int(body)


def _transfer(row: dict[str, str]) -> Transfer:
    kinds = {kind.value for kind in TransferKind}
    if row["kind"] not in kinds:
        raise ValueError(f"kind: {row['kind']!r} is not one of {sorted(kinds)}")
    problems: list[str] = []
    at: pendulum.DateTime | None = None
    amount: int | None = None
    try:
        at = _time(row["at"])
    except ValueError as exc:
        problems.append(str(exc))
    try:
        amount = _amount(row["amount"])
    except ValueError as exc:
        problems.append(str(exc))
    if problems or at is None or amount is None:
        raise ValueError("; ".join(problems))
    return Transfer(
        id=row["id"],
        debit=row["debit"],
        credit=row["credit"],
        amount=amount,
        kind=TransferKind(row["kind"]),
        at=at,
        reference=row["reference"],
        memo=row["memo"],
        reverses=row["reverses"] or None,
    )


def read_transfers(
    source: str | Iterable[str], *, ledger: PointsLedger | None = None
) -> tuple[Transfer, ...]:
    """Read every transfer of a CSV file, or refuse it whole.

    Args:
        source: The CSV text, or an iterable of its lines (an open file).
        ledger: If given, also check that every account is in it and no id is.

    Raises:
        ImportRejected: the header is wrong or any row is bad; ``problems``
            lists every bad row as ``"line N: reason"``.
    """
    return _read(source, ledger)[0]


def _read(
    source: str | Iterable[str], ledger: PointsLedger | None
) -> tuple[tuple[Transfer, ...], list[int]]:
    lines = io.StringIO(source) if isinstance(source, str) else source
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None or tuple(header) != CSV_COLUMNS:
        raise ImportRejected(
            f"the file's header is {header!r}, not {','.join(CSV_COLUMNS)}",
            problems=(f"line 1: the header is not {','.join(CSV_COLUMNS)}",),
            value=header,
            limit=CSV_COLUMNS,
            rule=_REFUSAL,
        )
    known = {account.id for account in ledger.accounts} if ledger is not None else None
    seen: dict[str, int] = {}
    problems: list[str] = []
    transfers: list[Transfer] = []
    numbers: list[int] = []
    for fields in reader:
        line = reader.line_num
        if not fields:
            continue
        if len(fields) != len(CSV_COLUMNS):
            problems.append(f"line {line}: {len(fields)} fields, not {len(CSV_COLUMNS)}")
            continue
        row = dict(zip(CSV_COLUMNS, fields, strict=True))
        try:
            transfer = _transfer(row)
        except (GrassrootsError, TypeError, ValueError) as exc:
            problems.append(f"line {line}: {exc}")
        else:
            transfers.append(transfer)
            numbers.append(line)
        if row["id"] in seen:
            problems.append(f"line {line}: id {row['id']} repeats line {seen[row['id']]}")
        seen.setdefault(row["id"], line)
        if known is not None and ledger is not None:
            if not {row["debit"], row["credit"]} <= known:
                missing = sorted({row["debit"], row["credit"]} - known)
                problems.append(
                    f"line {line}: debit or credit {', '.join(missing)} is not an account"
                    " of the ledger"
                )
            try:
                ledger.transfer(row["id"])
            except (GrassrootsError, LookupError):
                pass
            else:
                problems.append(f"line {line}: id {row['id']} is already in the ledger")
    if problems:
        raise ImportRejected(
            f"{len(problems)} problems in the file; nothing was imported: " + "; ".join(problems),
            problems=tuple(problems),
            value=len(problems),
            rule=_REFUSAL,
        )
    return tuple(transfers), numbers


def import_transfers(ledger: PointsLedger, source: str | Iterable[str]) -> tuple[int, ...]:
    """Check a CSV file of transfers and post all of it to ``ledger``, or none of it.

    Returns:
        The journal positions of the transfers posted.

    Raises:
        ImportRejected: a row is bad, or the ledger refuses a transfer (the
            problem names its line); nothing was posted.
    """
    if not isinstance(ledger, PointsLedger):
        raise TypeError(f"import_transfers takes a PointsLedger, not {type(ledger).__name__}")
    transfers, numbers = _read(source, ledger)
    try:
        return ledger.post_batch(transfers)
    except BatchRejected as exc:
        problem = f"line {numbers[exc.index]}: {exc.reason}"
        raise ImportRejected(
            f"the ledger refused the file; nothing was imported: {problem}",
            problems=(problem,),
            value=exc.transfer_id,
            rule=_REFUSAL,
        ) from exc
