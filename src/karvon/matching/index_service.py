"""The scoring process: one resident candidate index served to every web worker over a local Unix socket.

Each gunicorn worker would otherwise build and hold its own copy of the index (about 720 MiB at 1,000,000
people, and 2–3 minutes of start-up each). Here one process holds it (`karvon candidate_index_serve`) and
the workers ask it; when it is not running, not built yet, or slow to answer, they use the database path, which
gives the same answer. Messages are a 4-byte big-endian length and a UTF-8 JSON body; JSON keeps the floats
exact (shortest repr round trip), so a score read back is the score computed.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import socketserver
import struct
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.db import connection

from karvon.matching.candidates import payload_of, record_of_payload
from karvon.matching.realtime import NODE_WIDE, FieldReason, Scope, ScoredCandidate
from karvon.matching.resident import CandidateIndex, answer
from karvon_match import PersonRecord

logger = logging.getLogger(__name__)

HEADER = struct.Struct(">I")
MAX_MESSAGE = 1 << 22
DEFAULT_TIMEOUT_SECONDS = 0.5


def socket_path() -> str:
    return str(getattr(settings, "KARVON_CANDIDATE_INDEX_SOCKET", settings.VAR_DIR / "candidate-index.sock"))


def _send(sock: socket.socket, message: Any) -> None:
    body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()
    sock.sendall(HEADER.pack(len(body)) + body)


def _receive_exactly(sock: socket.socket, size: int) -> bytes:
    chunks: list[bytes] = []
    while size:
        chunk = sock.recv(size)
        if not chunk:
            raise ConnectionError("closed")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _receive(sock: socket.socket) -> Any:
    (size,) = HEADER.unpack(_receive_exactly(sock, HEADER.size))
    if size > MAX_MESSAGE:
        raise ConnectionError("message too long")
    return json.loads(_receive_exactly(sock, size))


# The server ------------------------------------------------------------------------------------------------


class _State:
    """The served index, replaced as a whole when it is built again."""

    def __init__(self, report: Callable[[str], object] = logger.info) -> None:
        self.index: CandidateIndex | None = None
        self.report = report
        self._building = threading.Lock()

    def rebuild(self) -> None:
        """Build (again) in a background thread; until it is built, every answer says "ask the database"."""
        if not self._building.acquire(blocking=False):
            return
        self.index = None
        threading.Thread(target=self._build, name="candidate-index-build", daemon=True).start()

    def _build(self) -> None:
        try:
            index = CandidateIndex.build()
            self.index = index
            self.report(f"Candidate index built: {index.people:,} people in {index.built_seconds:.1f} s.")
        except Exception:
            logger.exception("candidate index build failed")  # asked again by the next request
        finally:
            connection.close()
            self._building.release()


def handle_request(state: _State, request: dict[str, Any]) -> dict[str, Any]:
    index = state.index
    if index is None:
        state.rebuild()  # unless a build is running
        return {"ok": False, "why": "building"}
    offices: Scope = NODE_WIDE if request["offices"] == NODE_WIDE else frozenset(request["offices"])
    found = answer(
        index,
        replace(record_of_payload(0, request["record"]), record_id=request["record_id"]),
        offices=offices,
        exclude_id=request["exclude"],
        limit=request["limit"],
        minimum_probability=request["minimum"],
    )
    if found is None:
        state.rebuild()
        return {"ok": False, "why": "rebuilding"}
    return {
        "ok": True,
        "candidates": [
            [
                c.person_id,
                c.match_weight,
                c.match_probability,
                c.band,
                [[r.field, r.level, r.weight, r.reason, r.a_value, r.b_value] for r in c.reasons],
            ]
            for c in found
        ],
    }


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        try:
            while True:
                try:
                    request = _receive(self.request)
                except ConnectionError:
                    return
                try:
                    response = handle_request(self.server.state, request)
                except Exception:
                    logger.exception("candidate request failed")
                    _close_connection()
                    response = {"ok": False, "why": "error"}
                _send(self.request, response)
        finally:
            _close_connection()


def _close_connection() -> None:
    # A connection shared with this thread (a test lends its own) is not this thread's to close.
    if not connection.allow_thread_sharing:
        connection.close()


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def __init__(self, path: str, state: _State) -> None:
        self.state = state
        super().__init__(path, _Handler)


def serve(path: str, report: Callable[[str], object] = logger.info) -> None:
    """Serve until interrupted: build the index in the background, answer "ask the database" until it is built."""
    if os.path.exists(path):
        os.unlink(path)
    state = _State(report)
    state.rebuild()
    with _Server(path, state) as server:
        os.chmod(path, 0o660)
        server.serve_forever()


# The client (in each web worker) ---------------------------------------------------------------------------

_local = threading.local()


def _connected() -> socket.socket:
    sock: socket.socket | None = getattr(_local, "sock", None)
    if sock is None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(getattr(settings, "KARVON_CANDIDATE_INDEX_TIMEOUT", DEFAULT_TIMEOUT_SECONDS))
        try:
            sock.connect(socket_path())
        except OSError:
            sock.close()
            raise
        _local.sock = sock
    return sock


def _reason(values: list[Any]) -> FieldReason:
    # [field, level, weight, reason, a_value, b_value]; a scoring process of an earlier version sends no values.
    field, level, weight, reason, *compared = values
    return FieldReason(field, level, weight, reason, *compared[:2])


def ask(
    record: PersonRecord,
    *,
    offices: Scope,
    exclude_id: int | None,
    limit: int,
    minimum_probability: float,
) -> list[ScoredCandidate] | None:
    """The scoring process's answer, or None (not running, not built, too slow, or an error)."""
    request = {
        "record": payload_of(record),
        "record_id": record.record_id,
        "offices": NODE_WIDE if offices == NODE_WIDE else sorted(offices),
        "exclude": exclude_id,
        "limit": limit,
        "minimum": minimum_probability,
    }
    try:
        sock = _connected()
        _send(sock, request)
        response = _receive(sock)
    except (OSError, ConnectionError, ValueError):
        # A late answer would arrive on the next request: the connection is dropped, not reused.
        broken: socket.socket | None = getattr(_local, "sock", None)
        if broken is not None:
            broken.close()
            _local.sock = None
        return None
    if not response.get("ok"):
        return None
    return [
        ScoredCandidate(
            person_id=person_id,
            match_weight=weight,
            match_probability=probability,
            band=band,
            reasons=tuple(_reason(r) for r in reasons),
        )
        for person_id, weight, probability, band, reasons in response["candidates"]
    ]
