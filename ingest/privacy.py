"""Mask e-mail addresses and phone numbers, which hearing responses carry for their contact people."""

from __future__ import annotations

import re

EMAIL_MASK = "[e-post fjernet]"
PHONE_MASK = "[telefon fjernet]"
_EMAIL = re.compile(r"(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Norwegian numbers: 8 digits, optionally +47/0047, grouped 2-2-2-2, 3-2-3 or unbroken. Only spaces
# separate groups, so dates such as 01.10.2022 are left alone.
_PHONE = re.compile(
    r"(?<![\w/.,:-])(?:(?:\+|00)47 ?)?(?:\d{2} ?\d{2} ?\d{2} ?\d{2}|\d{3} ?\d{2} ?\d{3})(?![\w/-]|[.,:]\d)"
)


def mask_personal_data(text: str) -> str:
    text = _EMAIL.sub(EMAIL_MASK, text)
    return _PHONE.sub(PHONE_MASK, text)
