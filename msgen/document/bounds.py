"""Bounds on what a template may ask for while it is rendered.

Jinja's sandbox keeps a template away from Python's internals but not from the machine's
time and memory: `{{ 10 ** 10 ** 8 }}`, `{{ 'x' * 10 ** 10 }}` or loops nested over
`range(100000)` run for minutes or take gigabytes. A template comes from whoever supplied
the templates folder, so msgen refuses such requests with a clear message naming the
template, in three layers:

- the sandbox's operator and call hooks refuse a power, a product or a range whose result
  would be huge, before Python starts to compute it (Jinja's documented way: intercepted
  binary operators);
- a deadline: a timer signal in the main thread (it interrupts even a loop that calls
  nothing), and a check in the sandbox's hooks elsewhere;
- a memory limit (RLIMIT_AS above what the process already uses, on Linux) for what the
  hooks cannot see, such as a filter padding text to a billion characters.
"""

from __future__ import annotations

import math
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from msgen.errors import TemplateBoundExceeded

RENDER_SECONDS = 60.0  # a statement renders in well under a second
RENDER_MEMORY_BYTES = 1024 ** 3  # on top of what the process holds when rendering starts
MAX_DIGITS = 10_000  # Python refuses to print an int of more than 4,300 digits anyway
MAX_ITEMS = 1_000_000  # characters of a repeated text, items of a repeated list
MAX_RANGE = 100_000  # numbers in a range(), as Jinja's own sandbox allows

_deadline: ContextVar[float] = ContextVar("msgen_render_deadline", default=math.inf)


class BoundedSandbox(SandboxedEnvironment):
    """The sandbox, with huge powers, repetitions and ranges refused and a deadline."""

    intercepted_binops = frozenset({"**", "*"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = bounded_range

    def call_binop(self, context: jinja2.runtime.Context, op: str, left: Any, right: Any) -> Any:
        _check_deadline()
        if op == "**":
            _check_power(left, right)
        else:
            _check_product(left, right)
        return super().call_binop(context, op, left, right)

    def call(self, context: jinja2.runtime.Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        _check_deadline()
        return super().call(context, obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        _check_deadline()
        return super().getattr(obj, attribute)


def bounded_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateBoundExceeded(f"range() of {len(numbers):,} numbers; at most {MAX_RANGE:,}")
    return numbers


def _check_power(base: Any, exponent: Any) -> None:
    if _is_int(base) and _is_int(exponent) and exponent > 0 and abs(base) > 1:
        digits = exponent * math.log10(abs(base))
        if digits > MAX_DIGITS:
            raise TemplateBoundExceeded(f"{base} ** {exponent} is a number of about {digits:,.0f} digits; "
                                        f"at most {MAX_DIGITS:,}")


def _check_product(left: Any, right: Any) -> None:
    if _is_int(left) and _is_int(right):
        digits = (abs(left).bit_length() + abs(right).bit_length()) * math.log10(2)
        if digits > MAX_DIGITS:
            raise TemplateBoundExceeded(f"a product of about {digits:,.0f} digits; at most {MAX_DIGITS:,}")
        return
    sequence, times = (left, right) if _is_int(right) else (right, left)
    if _is_int(times) and hasattr(sequence, "__len__") and len(sequence) * times > MAX_ITEMS:
        raise TemplateBoundExceeded(f"a text or list repeated to {len(sequence) * times:,} characters or items; "
                                    f"at most {MAX_ITEMS:,}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_deadline() -> None:
    if time.monotonic() > _deadline.get():
        _out_of_time()


def _out_of_time(*_: Any) -> None:
    """Stop the render. Python drops an exception raised where the signal happened to land
    in a garbage-collection callback or a finaliser, so the timer is set again first: the
    next signal, a tenth of a second later, lands in the render itself."""
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        signal.setitimer(signal.ITIMER_REAL, 0.1)
    raise TemplateBoundExceeded(f"it ran for more than {RENDER_SECONDS:g} seconds")


@contextmanager
def rendering_bounds() -> Iterator[None]:
    """Render inside the time and memory limits; running out of memory is reported as
    the template's doing (TemplateBoundExceeded), not as a crash."""
    token = _deadline.set(time.monotonic() + RENDER_SECONDS)
    try:
        with _timer(), _memory_limit():
            yield
    except MemoryError:
        raise TemplateBoundExceeded(f"it needs more than {RENDER_MEMORY_BYTES // 1024 ** 2:,} MB of memory") from None
    finally:
        _deadline.reset(token)


@contextmanager
def _timer() -> Iterator[None]:
    """SIGALRM after RENDER_SECONDS, in the main thread only (where Python runs signal
    handlers); whatever timer and handler were there before are put back."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    previous_handler = signal.signal(signal.SIGALRM, _out_of_time)
    previous_delay, _ = signal.setitimer(signal.ITIMER_REAL, RENDER_SECONDS)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay:
            signal.setitimer(signal.ITIMER_REAL, max(previous_delay - (time.monotonic() - started), 0.001))


@contextmanager
def _memory_limit() -> Iterator[None]:
    """The address space the process may grow by while rendering (Linux: RLIMIT_AS over
    what /proc/self/statm says it uses now); without those, no memory limit."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:
            in_use = int(statm.read().split()[0]) * resource.getpagesize()
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = in_use + RENDER_MEMORY_BYTES
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if soft != resource.RLIM_INFINITY and soft <= limit:
            raise ValueError("a tighter limit is already set")
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
