"""A chat-completions server on loopback that answers from a script, so that the language-model
extractor is tested without a model.

It speaks the part of the OpenAI-compatible API the extractor uses (``POST
/v1/chat/completions``). Each request takes the next step of the script: an answer whose
message content is given (``reply``), or a status with headers and body (``status``), or a
hang longer than the client's timeout (``hang``). Requests are logged with their JSON bodies.
Import the fixture: ``from llm_server import llm_server``.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from dataclasses import dataclass, field

import pytest

MODEL = "scripted-instruct-0.5b"


@dataclass
class Step:
    status: int = 200
    content: str | None = None       # the message content of a 200 answer
    headers: dict = field(default_factory=dict)
    body: bytes | None = None        # a raw body instead of a chat completion
    hang: float = 0.0                # seconds to wait before answering


def reply(content: object) -> Step:
    """A chat completion whose message content is ``content`` (JSON-encoded unless a string)."""
    return Step(content=content if isinstance(content, str) else json.dumps(content))


def facts(*records: dict) -> Step:
    return reply({"facts": list(records)})


@dataclass
class LLMServer:
    url: str
    script: list[Step] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    headers: list[dict] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def play(self, *steps: Step) -> None:
        with self.lock:
            self.script[:] = list(steps)
            self.requests.clear()
            self.headers.clear()
            self.times.clear()


def _handler(server: LLMServer):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet
            pass

        def do_POST(self) -> None:  # noqa: N802  (http.server's naming)
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            with server.lock:
                server.requests.append(body)
                server.headers.append(dict(self.headers))
                server.times.append(time.monotonic())
                step = server.script.pop(0) if server.script else Step(status=500, body=b"script exhausted")
            if self.path != "/v1/chat/completions":
                step = Step(status=404, body=b"not found")
            if step.hang:
                time.sleep(step.hang)
            if step.body is not None:
                data = step.body
            elif step.status == 200:
                data = json.dumps({"id": "chatcmpl-1", "object": "chat.completion", "model": MODEL,
                                   "choices": [{"index": 0, "finish_reason": "stop",
                                                "message": {"role": "assistant", "content": step.content}}]
                                   }).encode("utf-8")
            else:
                data = json.dumps({"error": {"message": f"status {step.status}"}}).encode("utf-8")
            try:
                self.send_response(step.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in step.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout)

    return Handler


@pytest.fixture
def llm_server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), None)
    server = LLMServer(url=f"http://127.0.0.1:{httpd.server_address[1]}")
    httpd.RequestHandlerClass = _handler(server)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
