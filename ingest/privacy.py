"""Mask e-mail addresses and phone numbers, which hearing responses carry for their contact people."""

from __future__ import annotations

import re

EMAIL_MASK = "[e-post fjernet]"
PHONE_MASK = "[telefon fjernet]"
MASKS = (EMAIL_MASK, PHONE_MASK)
_EMAIL = re.compile(r"(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Norwegian numbers: 8 digits, optionally +47/0047, grouped 2-2-2-2, 3-2-3 or unbroken. Only spaces
# separate groups, so dates such as 01.10.2022 are left alone.
_PHONE = re.compile(
    r"(?<![\w/.,:-])(?:(?:\+|00)47 ?)?(?:\d{2} ?\d{2} ?\d{2} ?\d{2}|\d{3} ?\d{2} ?\d{3})(?![\w/-]|[.,:]\d)"
)


def mask_personal_data(text: str) -> str:
    text = _EMAIL.sub(EMAIL_MASK, text)
    return _PHONE.sub(PHONE_MASK, text)


def personal_data_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each e-mail address and phone number in ``text``: what ``mask_personal_data`` hides."""
    return [m.span() for m in _EMAIL.finditer(text)] + [m.span() for m in _PHONE.finditer(text)]
