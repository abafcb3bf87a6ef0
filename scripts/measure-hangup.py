#!/usr/bin/env python3
"""Measure how fast the navigator ends when its terminal closes, and its idle CPU.

Starts `orgnav --demo` on a fresh pseudo-terminal (as a session leader, with and without the
terminal as its controlling terminal: with it, the kernel also sends SIGHUP), waits for the
first frame, closes the terminal's master side and times until the process has exited.

    cargo build --release && python3 scripts/measure-hangup.py target/release/orgnav

Stdlib only (Python 3.11+), Linux (reads /proc for the CPU time).
"""

from __future__ import annotations

import fcntl
import os
import select
import statistics
import struct
import sys
import termios
import time

RUNS = 10


def start(binary: str, controlling: bool) -> tuple[int, int]:
    master, slave = os.openpty()
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    pid = os.fork()
    if pid == 0:
        os.setsid()
        if controlling:
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        os.close(master)
        os.close(slave)
        os.execv(binary, [binary, "--demo"])
    os.close(slave)
    seen = b""
    while b"Organization" not in seen:
        if select.select([master], [], [], 10)[0]:
            seen += os.read(master, 65536)
    drain(master, 0.3)
    return pid, master


def drain(master: int, quiet: float) -> None:
    """Reads until the program has been silent for `quiet` seconds."""
    while select.select([master], [], [], quiet)[0]:
        os.read(master, 65536)


def hang_up(binary: str, controlling: bool) -> float | None:
    pid, master = start(binary, controlling)
    t0 = time.monotonic()
    os.close(master)
    while time.monotonic() - t0 < 5:
        if os.waitpid(pid, os.WNOHANG)[0]:
            return time.monotonic() - t0
        time.sleep(0.0005)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return None


def idle_cpu(binary: str, seconds: float = 5.0) -> float:
    """Share of one CPU the idle navigator uses."""
    pid, master = start(binary, True)

    def ticks() -> int:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])

    before = ticks()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        drain(master, 0.05)
    used = ticks() - before
    os.close(master)
    os.waitpid(pid, 0)
    return used / os.sysconf("SC_CLK_TCK") / seconds


def main() -> None:
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/orgnav"
    for controlling in (False, True):
        times = [hang_up(binary, controlling) for _ in range(RUNS)]
        label = "with SIGHUP" if controlling else "without SIGHUP"
        if None in times:
            print(f"hang-up {label}: still running after 5 s in {times.count(None)} of {RUNS} runs")
            continue
        ms = [t * 1000 for t in times]
        print(f"hang-up {label}: median {statistics.median(ms):.1f} ms, max {max(ms):.1f} ms")
    print(f"idle CPU: {idle_cpu(binary) * 100:.1f} %")


if __name__ == "__main__":
    main()
