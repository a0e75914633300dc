"""The app on a free local port in a background thread, as ``serve`` launches it: for the UI tests and
the load benchmark, which drive it over real HTTP."""

from __future__ import annotations

import contextlib
import io
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from assistant.api import Assistant


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_http(
    url: str, timeout: float = 60.0, ok: Callable[[httpx.Response], bool] | None = None
) -> None:
    """Poll until the server answers (any status, or one ``ok`` accepts); fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            response = httpx.get(url, timeout=5)
            if ok is None or ok(response):
                return
        except httpx.HTTPError as exc:
            last = exc
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s ({last})")


@contextmanager
def running_app(assistant: Assistant, **launch_extra: Any) -> Iterator[str]:
    """The app exactly as ``serve`` launches it (plus ``launch_extra``), on 127.0.0.1; yields its URL."""
    from assistant.ui.app import build_app, launch_options

    demo = build_app(assistant)
    port = free_port()
    demo.launch(
        server_name="127.0.0.1",
        server_port=port,
        prevent_thread_lock=True,
        quiet=True,
        **{**launch_options(assistant.settings), **launch_extra},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(url + "/")
        yield url
    finally:
        with contextlib.redirect_stdout(io.StringIO()):  # Gradio announces the closing on stdout
            demo.close()
