"""A client for one OpenAI-compatible chat-completions endpoint (``POST /v1/chat/completions``):
llama.cpp's ``llama-server``, Ollama, vLLM or a hosted API.

The endpoint is the only host it contacts, and only when the user asked for the model
(``--extractor llm`` or ``both``). Timeouts, retries with exponential backoff, ``429`` with
``Retry-After`` and the number of requests in flight are settings (``ChatSettings``), read from
the command line or from ``KG_LLM_*`` variables; the API key is read from the environment only,
never from the command line. A failure the retries do not cure is an ``LLMError`` that names the
endpoint.

Structured output: the request carries ``response_format`` with the JSON schema of the answer
(``json_schema``, which llama.cpp, Ollama, vLLM and OpenAI accept). A server that answers 400
to it is asked again without it, and not asked with it again.
"""

from __future__ import annotations

import email.utils
import logging
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import requests

from ..errors import InputError, RemoteError

log = logging.getLogger(__name__)

PATH = "/v1/chat/completions"
RETRY_STATUSES = {408, 429, 500, 502, 503, 504}


class LLMError(RemoteError):
    """The model endpoint could not be reached or answered badly; ``where`` is the endpoint."""


@dataclass(frozen=True)
class ChatSettings:
    """Where the model is and how to talk to it."""

    endpoint: str                     # base URL ("http://127.0.0.1:8080") or the full .../chat/completions URL
    model: str                        # the model's name as the server knows it
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 120.0            # seconds to connect, and between bytes of the answer
    retries: int = 2                  # further attempts after the first
    backoff: float = 1.0              # seconds before the first retry, doubled each time
    max_wait: float = 60.0            # longest wait before a retry, Retry-After included
    concurrency: int = 2              # requests in flight at once
    window: int = 40                  # sentences per request for a long article
    temperature: float = 0.0

    @property
    def url(self) -> str:
        base = self.endpoint.rstrip("/")
        if base.endswith("/chat/completions"):
            return base
        if base.endswith("/v1"):
            return base + "/chat/completions"
        return base + PATH

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **given) -> ChatSettings:
        """Settings from ``given`` (the command line; None means not given), else from
        ``KG_LLM_ENDPOINT``, ``KG_LLM_MODEL``, ``KG_LLM_API_KEY``, ``KG_LLM_TIMEOUT``,
        ``KG_LLM_RETRIES``, ``KG_LLM_BACKOFF``, ``KG_LLM_CONCURRENCY`` and ``KG_LLM_WINDOW``."""
        env = os.environ if env is None else env
        values: dict = {}
        for name, kind in (("endpoint", str), ("model", str), ("timeout", float), ("retries", int),
                           ("backoff", float), ("concurrency", int), ("window", int)):
            value = given.get(name)
            if value is None and env.get(f"KG_LLM_{name.upper()}"):
                raw = env[f"KG_LLM_{name.upper()}"]
                try:
                    value = kind(raw)
                except ValueError:
                    raise InputError(f"KG_LLM_{name.upper()} must be a {kind.__name__}, not {raw!r}") from None
            if value is not None:
                values[name] = value
        if not values.get("endpoint"):
            raise InputError("the llm extractor needs a model endpoint: give --llm-endpoint URL or set "
                             "KG_LLM_ENDPOINT (an OpenAI-compatible server, e.g. http://127.0.0.1:8080)")
        if not values.get("model"):
            raise InputError("the llm extractor needs a model name: give --llm-model NAME or set KG_LLM_MODEL")
        if not values["endpoint"].startswith(("http://", "https://")):
            raise InputError("the model endpoint must be an http:// or https:// URL", where=values["endpoint"])
        for name in ("timeout", "backoff", "concurrency", "window"):
            if name in values and values[name] <= 0:
                raise InputError(f"the llm {name} must be above 0")
        if values.get("retries", 0) < 0:
            raise InputError("the llm retries must be 0 or more")
        return cls(api_key=env.get("KG_LLM_API_KEY") or None, **values)


@dataclass(frozen=True)
class Answer:
    """The text the model gave and the model name the server reported."""

    content: str
    model: str


class ChatClient:
    """Sends chat requests to one endpoint, at most ``concurrency`` at once."""

    def __init__(self, settings: ChatSettings, *, session: requests.Session | None = None) -> None:
        self.settings = settings
        self.session = session or requests.Session()
        self._slots = threading.BoundedSemaphore(settings.concurrency)
        self._schema_ok = True  # until the server refuses response_format

    def complete(self, messages: list[dict], *, schema: dict | None = None) -> Answer:
        """The model's answer to ``messages``; with ``schema``, asked for JSON of that schema."""
        body = {"model": self.settings.model, "messages": messages,
                "temperature": self.settings.temperature, "stream": False}
        if schema is not None and self._schema_ok:
            body["response_format"] = {"type": "json_schema",
                                       "json_schema": {"name": "facts", "strict": True, "schema": schema}}
        with self._slots:
            response = self._post(body)
            if response.status_code == 400 and "response_format" in body:
                log.info("%s refused response_format; asking without it", self.settings.url)
                self._schema_ok = False
                body.pop("response_format")
                response = self._post(body)
        if response.status_code != 200:
            raise LLMError(f"the model endpoint answered {response.status_code}: {_snippet(response.text)}",
                           where=self.settings.url)
        return _answer(response, self.settings)

    def _post(self, body: dict) -> requests.Response:
        s = self.settings
        headers = {"Accept": "application/json"}
        if s.api_key:
            headers["Authorization"] = f"Bearer {s.api_key}"
        attempts = s.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = self.session.post(s.url, json=body, headers=headers, timeout=(s.timeout, s.timeout))
            except requests.Timeout:
                if last:
                    raise LLMError(f"the model endpoint did not answer within {s.timeout:g} s "
                                   f"({attempts} attempt{'s' if attempts > 1 else ''})", where=s.url) from None
                problem, wait = "timed out", _backoff(s, attempt)
            except requests.ConnectionError as err:
                if last:
                    raise LLMError(f"cannot reach the model endpoint ({_reason(err)}); is the server "
                                   "running, and is the URL right?", where=s.url) from None
                problem, wait = "unreachable", _backoff(s, attempt)
            else:
                if response.status_code not in RETRY_STATUSES or last:
                    return response
                problem = f"answered {response.status_code}"
                wait = _retry_after(response, s) if response.status_code in (429, 503) else None
                wait = _backoff(s, attempt) if wait is None else wait
            log.warning("%s %s; retrying in %.2f s (attempt %d of %d)", s.url, problem, wait, attempt + 2, attempts)
            time.sleep(wait)
        raise AssertionError("unreachable")  # the loop returns or raises on its last attempt


def _backoff(s: ChatSettings, attempt: int) -> float:
    return min(s.max_wait, s.backoff * 2 ** attempt)


def _retry_after(response: requests.Response, s: ChatSettings) -> float | None:
    """Seconds the server asks to wait (RFC 9110 10.2.3: delay-seconds or an HTTP-date), capped."""
    value = (response.headers.get("Retry-After") or "").strip()
    if not value:
        return None
    if value.isdigit():
        return min(s.max_wait, float(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return min(s.max_wait, max(0.0, when.timestamp() - time.time()))


def _answer(response: requests.Response, s: ChatSettings) -> Answer:
    try:
        data = response.json()
        choice = data["choices"][0]["message"]
        content = choice.get("content") or ""
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        raise LLMError(f"the model endpoint's answer is not a chat completion: {_snippet(response.text)}",
                       where=s.url) from None
    model = data.get("model") if isinstance(data.get("model"), str) and data.get("model") else s.model
    return Answer(content=content, model=model)


def _snippet(text: str, n: int = 200) -> str:
    text = " ".join((text or "").split())
    return text[:n] + ("..." if len(text) > n else "") if text else "(empty body)"


def _reason(err: Exception) -> str:
    text = str(err)
    for marker in ("Connection refused", "Name or service not known", "No route to host",
                   "Temporary failure in name resolution", "timed out"):
        if marker in text:
            return marker.lower()
    return type(err).__name__
