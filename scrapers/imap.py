"""IMAP wire details the mailbox collector needs: folder names, UID sets, FETCH answers."""

from __future__ import annotations

import base64
import re

from scrapers.records import clean_text

FETCH_UID = re.compile(rb"\bUID (\d+)")


def imap_folder(name: str) -> str:
    """A folder name as an IMAP quoted string, non-ASCII in modified UTF-7 (RFC 3501 5.1.3)."""
    encoded: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            chunk = base64.b64encode("".join(pending).encode("utf-16-be")).decode()
            encoded.append("&" + chunk.rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for char in name:
        if " " <= char <= "~":
            flush()
            encoded.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    text = "".join(encoded)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def uid_set(uids: list[int]) -> str:
    """UIDs as an IMAP sequence set with ranges: [1, 2, 3, 7] -> "1:3,7"."""
    parts: list[str] = []
    ordered = sorted(set(uids))
    start = previous = ordered[0]
    for uid in [*ordered[1:], None]:
        if uid is not None and uid == previous + 1:
            previous = uid
            continue
        parts.append(str(start) if start == previous else f"{start}:{previous}")
        if uid is not None:
            start = previous = uid
    return ",".join(parts)


def fetched_bodies(data: list[object]) -> dict[int, bytes]:
    """UID -> message bytes from imaplib's answer to ``UID FETCH ... (UID BODY.PEEK[])``.

    Each message comes as a (b'12 (UID 40 BODY[] {n}', body) tuple followed by b')'; a server
    may also name the UID after the body (then it is in that closing part).
    """
    found: dict[int, bytes] = {}
    pending: bytes | None = None
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            head = item[0] if isinstance(item[0], bytes) else b""
            match = FETCH_UID.search(head)
            if match:
                found[int(match.group(1))] = item[1]
                pending = None
            else:
                pending = item[1]
        elif isinstance(item, bytes) and pending is not None:
            match = FETCH_UID.search(item)
            if match:
                found[int(match.group(1))] = pending
            pending = None
    return found


def server_text(data: object) -> str:
    """The human part of a server answer, short and printable (never holds our password)."""
    last = data[-1] if isinstance(data, list) and data else data
    if isinstance(last, tuple):
        last = last[0]
    text = last.decode("utf-8", "replace") if isinstance(last, bytes) else str(last or "")
    return clean_text(" ".join(text.split()))[:160]
