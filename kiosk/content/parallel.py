"""Work on a list in chunks, shared between this process and worker processes.

Validating thousands of event files is pure Python (YAML, pydantic), so threads would only take
turns on one processor; worker processes use the others. This process works through the chunks
from the first while each worker takes them from the last, one at a time, so neither side waits
for the other however busy the machine is. A worker that cannot be started, or stops, costs
only time: the chunks it did not finish are done here.

A worker is `python -m kiosk.content.parallel`, fed pickled chunks on its standard input and
answering on its standard output. (Not `multiprocessing`: it would run the caller's main script
again in each worker, and a packaged program would start itself again.) The packaged program
uses no workers at all: its executable is the kiosk, not Python.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import struct
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import subprocess

C = TypeVar("C")
T = TypeVar("T")
R = TypeVar("R")

MAX_WORKERS = 3
_LENGTH = struct.Struct("<Q")
_log = logging.getLogger(__name__)


def available_workers() -> int:
    """How many worker processes may help: one per processor beyond this one's."""
    if getattr(sys, "frozen", False) or not sys.executable:
        return 0
    return max(0, min(MAX_WORKERS, (os.cpu_count() or 1) - 1))


def _write_frame(stream: IO[bytes], payload: bytes) -> None:
    stream.write(_LENGTH.pack(len(payload)) + payload)
    stream.flush()


def _read_frame(stream: IO[bytes]) -> bytes | None:
    """The next frame, or None at the end of the stream (or a frame cut short)."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(head)
    payload = stream.read(length)
    return payload if len(payload) == length else None


def _worker_command() -> list[str]:
    return [sys.executable, "-m", "kiosk.content.parallel"]


def _start_worker() -> subprocess.Popen[bytes]:
    import subprocess  # only where workers are used: most starts never need it

    # The worker must import this very package, wherever it was found.
    source = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [source, env.get("PYTHONPATH")]))
    return subprocess.Popen(
        _worker_command(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )


class _Chunks:
    """Hands out chunk numbers: from the front to this process, from the back to workers."""

    def __init__(self, count: int) -> None:
        self._lock = threading.Lock()
        self._front, self._back = 0, count - 1
        self.returned: list[int] = []  # taken by a worker that stopped before finishing them

    def front(self) -> int | None:
        with self._lock:
            if self._front > self._back:
                return None
            self._front += 1
            return self._front - 1

    def back(self) -> int | None:
        with self._lock:
            if self._front > self._back:
                return None
            self._back -= 1
            return self._back + 1

    def stop(self) -> None:
        with self._lock:
            self._front, self._back = 1, 0

    def give_back(self, index: int) -> None:
        with self._lock:
            self.returned.append(index)


def _feed(
    worker: subprocess.Popen[bytes],
    setup: bytes,
    chunks: Sequence[Any],
    handout: _Chunks,
    results: dict[int, Any],
) -> None:
    """Keep one worker busy with chunks from the back until none are left or it stops.

    The next chunk is sent before the last answer is unpickled, so the worker never waits.
    """
    assert worker.stdin is not None and worker.stdout is not None
    sent: list[int] = []
    try:
        _write_frame(worker.stdin, setup)
        if (index := handout.back()) is not None:
            sent.append(index)
            _write_frame(worker.stdin, _dumps(chunks[index]))
        while sent:
            answer = _read_frame(worker.stdout)
            if answer is None:
                break
            if (index := handout.back()) is not None:
                sent.append(index)
                _write_frame(worker.stdin, _dumps(chunks[index]))
            results[sent[0]] = pickle.loads(answer)
            del sent[0]
    except (OSError, EOFError, pickle.PickleError, AttributeError, ImportError):
        pass  # the worker is gone or answered nonsense: this process does its chunks
    if sent:
        for index in sent:
            handout.give_back(index)
        _log.warning(
            "a validation worker process stopped (exit code %s); its share is read here",
            worker.poll(),
        )


def _dumps(value: Any) -> bytes:
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def map_chunks(
    work: Callable[[C, Sequence[T]], R], context: C, chunks: Sequence[Sequence[T]], workers: int
) -> list[R]:
    """`work(context, chunk)` for every chunk, in order, with up to `workers` worker processes.

    `work` must be a module-level function, and the context, chunks and results picklable.
    """
    if workers < 1 or len(chunks) < 2:
        return [work(context, chunk) for chunk in chunks]
    import subprocess  # only where workers are used: most starts never need it

    handout = _Chunks(len(chunks))
    results: dict[int, Any] = {}
    setup = _dumps((work, context))
    started: list[tuple[subprocess.Popen[bytes], threading.Thread]] = []
    try:
        for _ in range(min(workers, len(chunks) - 1)):
            try:
                worker = _start_worker()
            except OSError as error:
                _log.warning("no validation worker process could be started: %s", error)
                break
            feeder = threading.Thread(
                target=_feed,
                args=(worker, setup, chunks, handout, results),
                name="validation-worker-feeder",
                daemon=True,
            )
            feeder.start()
            started.append((worker, feeder))
        while (index := handout.front()) is not None:
            results[index] = work(context, chunks[index])
    finally:
        handout.stop()  # workers take nothing more
        for worker, feeder in started:
            feeder.join()
            with contextlib.suppress(OSError):
                assert worker.stdin is not None
                worker.stdin.close()  # the end of the worker's input: it stops
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
            assert worker.stdout is not None
            worker.stdout.close()
    for index in handout.returned:
        results[index] = work(context, chunks[index])
    return [results[i] for i in range(len(chunks))]


def _serve() -> None:
    """A worker: set-up (the function and its context), then chunks, until the input ends."""
    answers = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but answers may reach the pipe
    requests = sys.stdin.buffer
    setup = _read_frame(requests)
    if setup is None:
        return
    work, context = pickle.loads(setup)
    while (request := _read_frame(requests)) is not None:
        result = work(context, pickle.loads(request))
        _write_frame(answers, _dumps(result))


if __name__ == "__main__":
    _serve()
