"""Who may bind where: localhost is open, any other address needs a password unless waived explicitly."""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Callable
from pathlib import Path

from assistant.errors import ConfigError

Credentials = list[tuple[str, str]]


def is_loopback(host: str) -> bool:
    """True only for addresses that other machines cannot reach."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve to anything


def parse_credentials(value: str | None) -> Credentials:
    """``user:password``, or a path to a file of such lines (blank lines and ``#`` comments ignored)."""
    if not value or not value.strip():
        return []
    path = Path(value.strip()).expanduser()
    if path.is_file():
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"ASSISTANT_AUTH file {path} cannot be read ({type(exc).__name__}).") from None
        origin = f"ASSISTANT_AUTH file {path}"
    else:
        lines = [value.strip()]
        origin = "ASSISTANT_AUTH"
    pairs: Credentials = []
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, password = line.partition(":")
        if not sep or not user.strip() or not password:
            # Never echo the line: it may hold a password.
            where = f"line {number} of {origin}" if origin != "ASSISTANT_AUTH" else origin
            raise ConfigError(
                f"{where} is not `user:password` (or a path to an existing file of such lines)."
            )
        pairs.append((user.strip(), password))
    if not pairs:
        raise ConfigError(f"{origin} holds no `user:password` line.")
    return pairs


def make_checker(credentials: Credentials) -> Callable[[str, str], bool]:
    """A login check for ``launch(auth=...)`` comparing in constant time, so timing leaks nothing."""

    def check(username: str, password: str) -> bool:
        ok = False
        for user, secret in credentials:
            same_user = hmac.compare_digest(username.encode(), user.encode())
            same_password = hmac.compare_digest(password.encode(), secret.encode())
            ok |= same_user and same_password
        return ok

    return check


def check_bind(host: str, credentials: Credentials, no_auth: bool) -> None:
    """Refuse to expose the app beyond this machine without a password, unless told so explicitly."""
    if is_loopback(host) or credentials or no_auth:
        return
    raise ConfigError(
        f"Refusing to serve on {host} without a password: anyone on the network could use the app. "
        "Set ASSISTANT_AUTH=user:password (or the path to a file of such lines), "
        "or pass --no-auth if the network is trusted."
    )
