"""A fault-injecting HTTP/1.1 proxy on loopback, between the sync client and HQ.

The proxy understands just enough HTTP/1.1 to take one request at a time off a client
connection (keep-alive included) and decide, per request, what goes wrong:

    pass            forward the request, relay the answer (optionally after `delay` seconds)
    refuse          reset the connection at once: nothing reaches HQ
    reset_request   forward the head and a `fraction` of the body to HQ, then reset both
                    connections (HQ never sees the whole batch)
    lost_ack        forward the whole request, read HQ's whole answer (HQ has committed),
                    then reset the client's connection instead of answering
    truncate        relay the answer's head and a `fraction` of its body, then close
    garble          relay the answer with its body's bytes scrambled (same length)
    status          answer `status` (5xx, 429 with Retry-After) without forwarding anything
    stall           hold the request for `stall` seconds (longer than the client waits),
                    then reset; `forward=True` forwards it first (HQ commits, no answer)
    kill_hq         forward the head and a `fraction` of the body (1.0: all of it, then wait
                    `delay`), call the `on_kill` hook (SIGKILL the HQ process), reset

Faults come from a `policy` called once per request in arrival order (`Scripted` for a
fixed list, `RandomFaults` for a seeded mix: the same seed gives the same decisions), and
`down()`/`up()` close and reopen the listening socket, so that connecting is refused.

A `Link` per direction emulates a slow line on the client side of the proxy: bytes leave at
`rate` bytes/s and arrive `latency` seconds later (serialisation and propagation, so a
long answer is limited by the rate, not by the latency once per chunk).

Every byte the client sends or receives is counted (`stats`), headers included, and each
request is recorded (`records`) with its fault and whether its answer reached the client.

Bounded everywhere: loopback only; heads up to 64 KiB, bodies up to `max_body`; every read
has a timeout; a connection serves at most `max_requests` requests; stop() joins the thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import socket
import struct
import threading
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NoReturn

LOOPBACK = "127.0.0.1"
FaultKind = Literal[
    "pass",
    "refuse",
    "reset_request",
    "lost_ack",
    "truncate",
    "garble",
    "status",
    "stall",
    "kill_hq",
]
FAULT_KINDS: tuple[FaultKind, ...] = (
    "pass",
    "refuse",
    "reset_request",
    "lost_ack",
    "truncate",
    "garble",
    "status",
    "stall",
    "kill_hq",
)
_MAX_HEAD = 64 * 1024
_CHUNK = 1024  # bytes per emulated-link step: smooth pacing at 8 kB/s


@dataclass(frozen=True)
class Fault:
    kind: FaultKind = "pass"
    delay: float = 0.0  # seconds before forwarding (kill_hq: after forwarding, before the kill)
    fraction: float = 0.5  # where reset_request / truncate / kill_hq cut the body
    status: int = 503  # for "status"
    retry_after: float | None = None  # Retry-After of an injected 429/503
    stall: float = 1.0  # for "stall"
    forward: bool = False  # for "stall": forward the request to HQ before stalling


PASS = Fault()


@dataclass(frozen=True)
class RequestInfo:
    index: int  # 0, 1, 2, ... over the proxy's life, in arrival order
    connection: int  # the client connection's number
    method: str
    path: str


@dataclass
class RequestRecord:
    info: RequestInfo
    fault: Fault
    bytes_up: int = 0  # bytes of this request that reached the proxy (head + body)
    bytes_down: int = 0  # bytes of the answer that were handed to the client
    status: int | None = None  # HQ's (or the injected) status
    answered: bool = False  # the whole answer went to the client


@dataclass
class Stats:
    connections: int = 0
    requests: int = 0
    bytes_up: int = 0  # every byte read from clients
    bytes_down: int = 0  # every byte written to clients
    faults: dict[str, int] = field(default_factory=dict)


Policy = Callable[[RequestInfo], Fault]


class Scripted:
    """Faults from a list, one per request, then `then` for every later request."""

    def __init__(self, faults: Iterable[Fault], then: Fault = PASS) -> None:
        self.faults = list(faults)
        self.then = then

    def __call__(self, _info: RequestInfo) -> Fault:
        return self.faults.pop(0) if self.faults else self.then


class RandomFaults:
    """A seeded mix of faults: `weights` maps a fault kind to its relative weight ("pass"
    included). Parameters of each fault are drawn from the same generator, so a seed and
    the order of requests fix every decision. `max_kills` bounds the HQ kills, `kill_paths`
    restricts them to requests whose path contains one of these; `paths` limits all faults
    the same way."""

    def __init__(
        self,
        seed: int,
        weights: Mapping[FaultKind, float],
        *,
        delay: tuple[float, float] = (0.0, 0.03),
        stall: float = 1.0,
        statuses: Sequence[int] = (500, 502, 503, 504, 429),
        retry_after: Sequence[float | None] = (None, 0, 1),
        max_kills: int = 0,
        paths: Sequence[str] = (),
        kill_paths: Sequence[str] = (),
    ) -> None:
        self.rng = random.Random(seed)
        self.kinds = list(weights)
        self.weights = [weights[k] for k in self.kinds]
        self.delay, self.stall = delay, stall
        self.statuses, self.retry_after = list(statuses), list(retry_after)
        self.kills_left = max_kills
        self.paths, self.kill_paths = tuple(paths), tuple(kill_paths)
        self.enabled = True

    def __call__(self, info: RequestInfo) -> Fault:
        rng = self.rng
        kind = rng.choices(self.kinds, self.weights)[0]
        delay = rng.uniform(*self.delay) if rng.random() < 0.3 else 0.0
        fraction = rng.random()
        if not self.enabled or (self.paths and not any(p in info.path for p in self.paths)):
            return PASS
        if kind == "kill_hq":
            wanted = not self.kill_paths or any(p in info.path for p in self.kill_paths)
            if self.kills_left <= 0 or not wanted:
                return Fault(delay=delay)
            self.kills_left -= 1
            whole = rng.random() < 0.5
            return Fault("kill_hq", delay=rng.uniform(0, 0.03), fraction=1.0 if whole else fraction)
        if kind == "status":
            status = rng.choice(self.statuses)
            retry = rng.choice(self.retry_after) if status in (429, 503) else None
            return Fault("status", status=status, retry_after=retry)
        if kind == "stall":
            return Fault("stall", stall=self.stall, forward=rng.random() < 0.5)
        return Fault(kind, delay=delay, fraction=fraction)


class Link:
    """One direction of an emulated line: `rate` bytes/s (None: unlimited) and `latency` s."""

    def __init__(self, rate: float | None = None, latency: float = 0.0) -> None:
        self.rate, self.latency = rate, latency
        self._free_at = 0.0

    @property
    def emulated(self) -> bool:
        return self.rate is not None or self.latency > 0

    def arrival(self, now: float, size: int) -> float:
        """When `size` bytes handed to the line at `now` have all arrived."""
        start = max(now, self._free_at)
        self._free_at = start + (size / self.rate if self.rate else 0.0)
        return self._free_at + self.latency


class _Reset(Exception):
    """The client's connection ends here: reset (RST), or closed after what was written."""

    def __init__(self, graceful: bool = False) -> None:
        super().__init__()
        self.graceful = graceful


ReadUntil = Callable[[bytes, int], Awaitable[bytes]]
ReadExactly = Callable[[int], Awaitable[bytes]]


def _abort(writer: asyncio.StreamWriter | None) -> None:
    """Close with a TCP RST (SO_LINGER 0), not a FIN."""
    if writer is None:
        return
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


class _ClientIn:
    """Bytes from the client, through the uplink emulation when there is one."""

    def __init__(
        self, reader: asyncio.StreamReader, link: Link, timeout: float, count: Callable[[int], None]
    ) -> None:
        self.reader, self.link, self.timeout, self.count = reader, link, timeout, count
        self.buffer = bytearray()
        self.eof = False
        self.queue: asyncio.Queue[tuple[float, bytes]] | None = None
        self.pump: asyncio.Task[None] | None = None
        if link.emulated:
            self.queue = asyncio.Queue()
            self.pump = asyncio.create_task(self._pump())

    async def _pump(self) -> None:
        assert self.queue is not None
        loop = asyncio.get_running_loop()
        while True:
            data = await self.reader.read(_CHUNK)
            self.count(len(data))
            at = self.link.arrival(loop.time(), len(data)) if data else loop.time()
            await self.queue.put((at, data))
            if not data:
                return

    async def _more(self) -> None:
        if self.eof:
            raise _Reset(graceful=True)
        if self.queue is None:
            data = await asyncio.wait_for(self.reader.read(64 * 1024), self.timeout)
            self.count(len(data))
        else:
            at, data = await asyncio.wait_for(self.queue.get(), self.timeout)
            loop = asyncio.get_running_loop()
            if at > loop.time():
                await asyncio.sleep(at - loop.time())
        if not data:
            self.eof = True
            raise _Reset(graceful=True)  # the client closed its side
        self.buffer += data

    async def read_until(self, sep: bytes, limit: int) -> bytes:
        for _ in range(limit // 16 + 64):  # bounded: every turn adds at least one byte
            index = self.buffer.find(sep)
            if index >= 0:
                out = bytes(self.buffer[: index + len(sep)])
                del self.buffer[: index + len(sep)]
                return out
            if len(self.buffer) > limit:
                raise _Reset
            await self._more()
        raise _Reset

    async def read_exactly(self, n: int) -> bytes:
        for _ in range(n + 1):
            if len(self.buffer) >= n:
                out = bytes(self.buffer[:n])
                del self.buffer[:n]
                return out
            await self._more()
        raise _Reset

    def close(self) -> None:
        if self.pump is not None:
            self.pump.cancel()


class _ClientOut:
    """Bytes to the client, through the downlink emulation when there is one."""

    def __init__(
        self, writer: asyncio.StreamWriter, link: Link, count: Callable[[int], None]
    ) -> None:
        self.writer, self.link, self.count = writer, link, count

    async def write(self, data: bytes) -> None:
        loop = asyncio.get_running_loop()
        for start in range(0, len(data), _CHUNK if self.link.emulated else len(data) or 1):
            piece = data[start : start + (_CHUNK if self.link.emulated else len(data))]
            if self.link.emulated:
                at = self.link.arrival(loop.time(), len(piece))
                if at > loop.time():
                    await asyncio.sleep(at - loop.time())
            self.writer.write(piece)
            self.count(len(piece))
            await self.writer.drain()


@dataclass
class _Message:
    head: bytes
    body: bytes
    first_line: str
    headers: dict[str, str]

    @property
    def raw(self) -> bytes:
        return self.head + self.body


def _parse_head(head: bytes) -> tuple[str, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return lines[0], headers


class FaultProxy:
    """The proxy: `start()` it, point the client at `url`, set `policy`, `link_up`, ..."""

    def __init__(
        self,
        upstream: tuple[str, int],
        *,
        policy: Policy | None = None,
        on_kill: Callable[[], None] | None = None,
        io_timeout: float = 60.0,
        max_body: int = 64 * 1024 * 1024,
        max_requests: int = 1_000_000,
    ) -> None:
        assert upstream[0] == LOOPBACK, "the proxy only talks to loopback"
        self.upstream = upstream
        self.policy: Policy = policy or (lambda _info: PASS)
        self.on_kill = on_kill
        self.io_timeout, self.max_body, self.max_requests = io_timeout, max_body, max_requests
        self.link_up = Link()  # client -> proxy
        self.link_down = Link()  # proxy -> client
        self.stats = Stats()
        self.records: list[RequestRecord] = []
        self.port = 0
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._connections = 0
        self._requests = 0

    # --- control, from the test's thread ---------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self, port: int = 0) -> FaultProxy:
        ready = threading.Event()
        errors: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self._listen(port))
            except BaseException as exc:  # reported to start()
                errors.append(exc)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

        self._thread = threading.Thread(target=run, name="fault-proxy", daemon=True)
        self._thread.start()
        if not ready.wait(10) or errors:
            raise RuntimeError(f"fault proxy did not start: {errors}")
        return self

    def _call(
        self, coro_fn: Callable[[], Coroutine[Any, Any, None]], timeout: float = 10.0
    ) -> None:
        assert self._loop is not None
        asyncio.run_coroutine_threadsafe(coro_fn(), self._loop).result(timeout)

    def down(self) -> None:
        """Stop listening: new connections are refused (ECONNREFUSED); open ones are reset."""
        self._call(self._down)

    def up(self) -> None:
        """Listen again on the same port."""
        self._call(lambda: self._listen(self.port))

    def set_upstream(self, port: int) -> None:
        with self._lock:
            self.upstream = (LOOPBACK, port)

    def reset_stats(self) -> None:
        with self._lock:
            self.stats = Stats()
            self.records = []

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        with contextlib.suppress(Exception):
            self._call(self._down)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop = None

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # --- the event loop's side ---------------------------------------------------------------

    async def _listen(self, port: int) -> None:
        if self._server is not None:
            return
        self._server = await asyncio.start_server(
            self._on_client, LOOPBACK, port, reuse_address=True, limit=_MAX_HEAD
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def _down(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=5)

    def _count_up(self, n: int) -> None:
        with self._lock:
            self.stats.bytes_up += n

    def _count_down(self, n: int) -> None:
        with self._lock:
            self.stats.bytes_down += n

    async def _on_client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        with self._lock:
            self._connections += 1
            number = self._connections
            self.stats.connections += 1
        client_in = _ClientIn(reader, self.link_up, self.io_timeout, self._count_up)
        client_out = _ClientOut(writer, self.link_down, self._count_down)
        upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        graceful = False
        try:
            for _ in range(self.max_requests):
                upstream = await self._one_request(number, client_in, client_out, upstream)
        except _Reset as exc:
            graceful = exc.graceful
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError, IndexError):
            pass
        except asyncio.CancelledError:
            pass
        finally:
            client_in.close()
            if graceful:
                writer.close()  # FIN after what was written
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(writer.wait_closed(), 5)
            else:
                _abort(writer)
            if upstream is not None:
                _abort(upstream[1])
            self._tasks.discard(task)

    async def _read_body(
        self, headers: dict[str, str], read_until: ReadUntil, read_exactly: ReadExactly
    ) -> bytes:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body = bytearray()
            for _ in range(self.max_body // 16 + 16):
                size_line: bytes = await read_until(b"\r\n", _MAX_HEAD)
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                body += size_line
                if size == 0:
                    body += await read_until(b"\r\n", _MAX_HEAD)
                    return bytes(body)
                body += await read_exactly(size + 2)
                if len(body) > self.max_body:
                    raise _Reset
            raise _Reset
        length = int(headers.get("content-length", "0") or "0")
        if length < 0 or length > self.max_body:
            raise _Reset
        return await read_exactly(length) if length else b""

    async def _one_request(
        self,
        number: int,
        client_in: _ClientIn,
        client_out: _ClientOut,
        upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None,
    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        head = await client_in.read_until(b"\r\n\r\n", _MAX_HEAD)
        first_line, headers = _parse_head(head)
        method, _, rest = first_line.partition(" ")
        path = rest.rpartition(" ")[0]
        with self._lock:
            info = RequestInfo(self._requests, number, method, path)
            self._requests += 1
            fault = self.policy(info)
            record = RequestRecord(info, fault, bytes_up=len(head))
            self.records.append(record)
            self.stats.requests += 1
            self.stats.faults[fault.kind] = self.stats.faults.get(fault.kind, 0) + 1
        if fault.kind == "refuse":
            raise _Reset
        if fault.delay and fault.kind != "kill_hq":
            await asyncio.sleep(fault.delay)
        if fault.kind in ("reset_request", "kill_hq"):
            await self._cut_request(fault, head, headers, client_in, record, upstream)
        body = await self._read_body(headers, client_in.read_until, client_in.read_exactly)
        record.bytes_up += len(body)
        if fault.kind == "status":
            await self._answer_injected(fault, client_out, record)
            raise _Reset(graceful=True)  # Connection: close was announced
        if fault.kind == "stall" and not fault.forward:
            await asyncio.sleep(fault.stall)
            raise _Reset
        upstream = await self._fresh(upstream)
        up_reader, up_writer = upstream
        up_writer.write(head + body)
        await up_writer.drain()
        response, close_after = await self._read_response(method, up_reader)
        first, _ = _parse_head(response.head)
        record.status = int(first.split(" ")[1]) if first.count(" ") >= 1 else None
        if fault.kind == "lost_ack":
            raise _Reset
        if fault.kind == "stall":
            await asyncio.sleep(fault.stall)
            raise _Reset
        if fault.kind == "truncate":
            cut = response.head + response.body[: int(len(response.body) * fault.fraction)]
            if len(response.body) == 0:
                cut = response.head[: int(len(response.head) * fault.fraction)]
            await client_out.write(cut)
            record.bytes_down += len(cut)
            raise _Reset(graceful=True)  # FIN, not RST: the client sees a short answer
        body_out = response.body
        if fault.kind == "garble" and body_out:
            rng = random.Random(len(body_out) * 7919 + info.index)
            scrambled = bytearray(body_out)
            for i in range(len(scrambled)):
                scrambled[i] ^= rng.randrange(1, 256)
            body_out = bytes(scrambled)
        await client_out.write(response.head + body_out)
        record.bytes_down += len(response.head) + len(body_out)
        record.answered = True
        if close_after or "close" in headers.get("connection", "").lower():
            raise _Reset(graceful=True)
        return upstream

    async def _fresh(
        self, upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None
    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """The kept-alive connection to HQ if it is still good, else a new one (HQ closed it,
        or was restarted on another port): a stale pooled connection is not a fault."""
        if upstream is not None:
            reader, writer = upstream
            with self._lock:
                wanted = self.upstream
            peer = writer.get_extra_info("peername")
            if not reader.at_eof() and not writer.is_closing() and peer and peer[1] == wanted[1]:
                return upstream
            _abort(writer)
        return await self._connect()

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        with self._lock:
            host, port = self.upstream
        try:
            return await asyncio.wait_for(
                asyncio.open_connection(host, port, limit=_MAX_HEAD), self.io_timeout
            )
        except OSError as exc:
            raise _Reset from exc  # HQ is down: the client's connection is reset

    async def _read_response(
        self, method: str, reader: asyncio.StreamReader
    ) -> tuple[_Message, bool]:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), self.io_timeout)
        first, headers = _parse_head(head)
        status = int(first.split(" ")[1])

        async def until(sep: bytes, limit: int) -> bytes:
            return await asyncio.wait_for(reader.readuntil(sep), self.io_timeout)

        async def exactly(n: int) -> bytes:
            return await asyncio.wait_for(reader.readexactly(n), self.io_timeout)

        close_after = "close" in headers.get("connection", "").lower()
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            body = b""
        elif "content-length" in headers or "chunked" in headers.get("transfer-encoding", ""):
            body = await self._read_body(headers, until, exactly)
        else:  # until the server closes
            body = await asyncio.wait_for(reader.read(self.max_body), self.io_timeout)
            close_after = True
        return _Message(head, body, first, headers), close_after

    async def _cut_request(
        self,
        fault: Fault,
        head: bytes,
        headers: dict[str, str],
        client_in: _ClientIn,
        record: RequestRecord,
        upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None,
    ) -> NoReturn:
        """reset_request / kill_hq: HQ gets the head and part (or all) of the body."""
        length = int(headers.get("content-length", "0") or "0")
        keep = length if fault.fraction >= 1.0 else int(length * fault.fraction)
        part = await client_in.read_exactly(keep) if keep else b""
        record.bytes_up += len(part)
        upstream = await self._fresh(upstream)
        up_writer = upstream[1]
        up_writer.write(head + part)
        await up_writer.drain()
        if fault.kind == "kill_hq":
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if self.on_kill is not None:
                await asyncio.get_running_loop().run_in_executor(None, self.on_kill)
        else:
            await asyncio.sleep(0.005)  # let HQ start reading the partial body
        _abort(up_writer)
        raise _Reset

    async def _answer_injected(
        self, fault: Fault, client_out: _ClientOut, record: RequestRecord
    ) -> None:
        status = fault.status
        reason = {429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway"}
        reason |= {503: "Service Unavailable", 504: "Gateway Timeout"}
        if status in (502, 504):  # what a gateway in front of HQ says: HTML, not a Problem
            body = b"<html><body><h1>%d %s</h1></body></html>" % (
                status,
                reason[status].encode(),
            )
            ctype = "text/html"
        else:
            code = "unavailable" if status in (429, 503) else "internal"
            body = b'{"v":1,"error":"%s","message":"injected by the fault proxy"}' % code.encode()
            ctype = "application/json"
        lines = [
            f"HTTP/1.1 {status} {reason.get(status, 'Error')}",
            f"content-type: {ctype}",
            f"content-length: {len(body)}",
            "connection: close",
        ]
        if fault.retry_after is not None:
            lines.append(f"retry-after: {fault.retry_after:g}")
        data = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        await client_out.write(data)
        record.status = status
        record.bytes_down += len(data)
        record.answered = True
