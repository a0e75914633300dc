"""A small OpenAI-compatible chat server on 127.0.0.1 for the LLM tests.

It speaks real HTTP, so the test exercises the same client stack (langchain-openai, openai, httpx) as
a production endpoint: JSON completions, SSE streaming, HTTP errors and slow replies. Each test chooses
the replies (a queue, or a function of the request) and reads back the requests the server received.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

CHAT_PATH = "/v1/chat/completions"


@dataclass
class Reply:
    """What the server sends for one request."""

    text: str = ""
    status: int = 200
    delay: float = 0.0  # seconds to wait before answering (timeouts)
    piece_delay: float = 0.0  # seconds between streamed chunks (a slow stream: the whole-answer deadline)
    pieces: list[str] | None = None  # streamed chunks; default: the text cut every few words


@dataclass
class Request:
    """One request as the server received it."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    def header(self, name: str) -> str | None:
        """A header by name, case-insensitively (httpx sends them in lower case)."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)

    @property
    def stream(self) -> bool:
        return bool(self.body.get("stream"))

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages") or [])

    def content(self, role: str) -> str:
        """The text of the messages with ``role``, joined."""
        return "\n".join(str(m.get("content", "")) for m in self.messages if m.get("role") == role)

    @property
    def prompt(self) -> str:
        return "\n".join(str(m.get("content", "")) for m in self.messages)


Responder = Callable[[Request], Reply | str]


def split_pieces(text: str, words: int = 3) -> list[str]:
    """Cut ``text`` into chunks of a few words whose concatenation is ``text`` exactly."""
    tokens = text.split(" ")
    pieces = [" ".join(tokens[i : i + words]) for i in range(0, len(tokens), words)]
    return [p + (" " if i < len(pieces) - 1 else "") for i, p in enumerate(pieces)]


@dataclass
class FakeOpenAI:
    """Start with ``with FakeOpenAI() as server:``; ``server.base_url`` is the ``/v1`` endpoint."""

    replies: list[Reply | str] = field(default_factory=list)
    responder: Responder | None = None
    requests: list[Request] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # exceptions the responder raised (sent as HTTP 500)
    model: str = "fake-model"
    sent_pieces: int = 0  # streamed chunks written so far (a closed stream stops this growing)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> FakeOpenAI:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        server.daemon_threads = True
        server.block_on_close = False
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="fake-openai", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping for a timeout test
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "start the server first"
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # -- replies ------------------------------------------------------------------------------
    def queue(self, *replies: Reply | str) -> None:
        with self._lock:
            self.replies.extend(replies)

    def next_reply(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            chosen: Reply | str | None = self.replies.pop(0) if self.replies else None
        if chosen is None and self.responder is not None:
            try:
                chosen = self.responder(request)
            except Exception as exc:  # a test's responder failed: say so instead of dropping the connection
                self.errors.append(repr(exc))
                return Reply(text=f"fake server: responder failed: {exc!r}", status=500)
        if chosen is None:
            return Reply(text="fake server: no reply queued", status=500)
        return Reply(text=chosen) if isinstance(chosen, str) else chosen

    def wait(self, seconds: float) -> None:
        self._stopping.wait(seconds)


def _handler_for(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Silent: a test server must not print requests (they carry the Authorization header)."""

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                body = {"_raw": raw.decode("utf-8", "replace")}
            request = Request(path=self.path, headers=dict(self.headers.items()), body=body)
            if self.path.rstrip("/") != CHAT_PATH:
                self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
                return
            reply = fake.next_reply(request)
            if reply.delay:
                fake.wait(reply.delay)
            try:
                if reply.status != 200:
                    self._json(reply.status, {"error": {"message": reply.text, "type": "server_error"}})
                elif request.stream:
                    self._stream(reply, request)
                else:
                    self._json(200, _completion(reply.text, fake.model))
            except OSError:
                pass  # the client gave up (timeout test) or the server is stopping

        def _json(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _stream(self, reply: Reply, request: Request) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()  # HTTP/1.0: the stream ends when the connection closes
            pieces = reply.pieces if reply.pieces is not None else split_pieces(reply.text)
            for i, piece in enumerate(pieces):
                if i and reply.piece_delay:
                    fake.wait(reply.piece_delay)
                delta: dict[str, Any] = {"content": piece}
                if i == 0:
                    delta["role"] = "assistant"
                self._event(_chunk(fake.model, delta, None))
                fake.sent_pieces += 1
            self._event(_chunk(fake.model, {}, "stop"))
            if (request.body.get("stream_options") or {}).get("include_usage"):
                usage = {
                    "prompt_tokens": 1,
                    "completion_tokens": len(pieces),
                    "total_tokens": 1 + len(pieces),
                }
                self._event({**_chunk(fake.model, {}, None), "choices": [], "usage": usage})
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()

        def _event(self, payload: dict[str, Any]) -> None:
            self.wfile.write(b"data: " + json.dumps(payload, ensure_ascii=False).encode("utf-8") + b"\n\n")
            self.wfile.flush()

    return Handler


def _chunk(model: str, delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _completion(text: str, model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
