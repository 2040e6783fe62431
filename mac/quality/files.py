"""The type of an uploaded file, told by its first bytes (its signature or
"magic number"), never by its name or by what the browser says: an
executable renamed `recibo.pdf` is still an executable.

Accepted: PDF (`%PDF-`, ISO 32000), PNG (the 8-byte PNG signature) and JPEG
(SOI marker FF D8 followed by a marker FF)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO


@dataclass(frozen=True)
class FileType:
    mimetype: str
    extension: str
    label: str


PDF = FileType("application/pdf", ".pdf", "PDF")
PNG = FileType("image/png", ".png", "PNG")
JPEG = FileType("image/jpeg", ".jpg", "JPG")

SIGNATURES: list[tuple[bytes, FileType]] = [
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
]
HEAD = max(len(signature) for signature, _ in SIGNATURES)


def sniff(head: bytes) -> FileType | None:
    """The accepted type whose signature `head` starts with, or None."""
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind
    return None


def sniff_file(file: IO[bytes]) -> FileType | None:
    """Sniff an open file and rewind it."""
    file.seek(0)
    head = file.read(HEAD)
    file.seek(0)
    return sniff(head)
