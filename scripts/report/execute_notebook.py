"""Execute one notebook headless and save it even when a cell fails.

`jupyter nbconvert --execute` uses the same engine (nbclient) but writes nothing when a cell raises
or times out, which loses the failing cell's output (tslab prints type errors to the cell's stderr,
not into the exception). This driver keeps the partially executed notebook, so its HTML report shows
the failure in context, and prints one JSON line describing the failure for scripts/reproduce.ts.

While it runs it prints `KDH_PROGRESS {json}` lines (the running cell and the last line the cell
showed, e.g. the trainer's epoch line; at most one a second) for the runner's progress display.

The kernel must not outlive its runner: a watchdog (kernel_watchdog.py, in a session of its own) kills
it when this driver or the runner disappears, even by SIGKILL. SIGINT/SIGTERM (Ctrl-C) kill the kernel
at once, print a KDH_RESULT of kind "interrupted" and exit with 130 without writing OUT.

usage: /usr/bin/python3 execute_notebook.py IN.ipynb OUT.ipynb TIMEOUT_SECONDS(0 = none) KERNEL
Exit status: 0 when every cell ran, 1 when a cell failed (OUT still written), 2 on a usage error,
130 when interrupted.
"""
import asyncio
import json
import os
import signal
import subprocess
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

WATCHDOG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernel_watchdog.py")


def emit(kind, payload):
    print("%s %s" % (kind, json.dumps(payload)), flush=True)


class DrivingClient(NotebookClient):
    """nbclient plus a kernel watchdog, an interrupt that always cleans up, and progress lines."""

    cell_index = None
    started = None
    last_text = ""
    last_emit = 0.0
    kernel_pid = None

    def kill_kernel(self):
        if not self.kernel_pid and self.km is not None:  # interrupted while the kernel was starting
            proc = getattr(getattr(self.km, "provisioner", None), "process", None)
            self.kernel_pid = getattr(proc, "pid", None)
        if self.kernel_pid:
            try:
                os.killpg(self.kernel_pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        conn = getattr(self.km, "connection_file", None) if self.km else None
        if conn:
            try:
                os.remove(conn)
            except OSError:
                pass

    def interrupted(self, signum):
        self.kill_kernel()
        seconds = time.time() - self.started if self.started else 0.0
        emit("KDH_RESULT", {"ok": False, "failure": {"kind": "interrupted", "message": "stopped by %s after %.1f s" % (signal.Signals(signum).name, seconds), "cellIndex": self.cell_index}})
        os._exit(130)

    async def async_start_new_kernel(self, **kwargs):
        await super().async_start_new_kernel(**kwargs)
        prov = getattr(self.km, "provisioner", None)
        proc = getattr(prov, "process", None) or getattr(self.km, "kernel", None)
        self.kernel_pid = getattr(proc, "pid", None)
        if self.kernel_pid:
            subprocess.Popen(
                [sys.executable, WATCHDOG, str(os.getpid()), str(os.getppid()), str(self.kernel_pid), self.km.connection_file],
                start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True,
            )
        # Replaces nbclient's own handler, which shuts the kernel down asynchronously while the cell
        # goes on and then reports the interrupted cell as an ordinary failure.
        loop = asyncio.get_event_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.interrupted, sig)

    def process_message(self, msg, cell, cell_index):
        content = msg.get("content", {})
        kind = msg.get("msg_type")
        text = ""
        if kind == "stream":
            text = content.get("text", "")
        elif kind in ("display_data", "update_display_data"):
            text = content.get("data", {}).get("text/plain", "")
        lines = [l.strip() for l in str(text).splitlines() if l.strip()]
        if lines:
            self.progress(lines[-1])
        return super().process_message(msg, cell, cell_index)

    def progress(self, text=None, force=False):
        if text is not None:
            self.last_text = text[:200]
        now = time.time()
        if force or now - self.last_emit >= 1.0:
            self.last_emit = now
            emit("KDH_PROGRESS", {"cell": (self.cell_index or 0) + 1, "cells": len(self.nb.cells), "text": self.last_text})


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    src, out, timeout, kernel = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
    nb = nbformat.read(src, as_version=4)
    client = None

    def started(cell, cell_index, **_):
        client.cell_index = cell_index
        client.last_text = ""
        client.progress(force=True)

    client = DrivingClient(
        nb,
        timeout=int(timeout) if timeout > 0 else None,
        kernel_name=kernel,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(src))}},
        on_cell_start=started,
    )
    client.started = time.time()
    # Until the kernel runs, Ctrl-C needs no cleanup beyond reporting it.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda signum, _frame: client.interrupted(signum))
    failure = None
    try:
        client.execute()
    except CellTimeoutError:
        failure = {"kind": "timeout", "message": "timed out after %g s" % timeout}
    except CellExecutionError as e:
        failure = {"kind": "error", "message": "%s: %s" % (e.ename, e.evalue)}
    except DeadKernelError as e:
        failure = {"kind": "kernel", "message": "the kernel died (%s): out of memory, or a crash in native code" % e}
    except Exception as e:  # a kernel that does not start, a malformed notebook, ...
        failure = {"kind": "other", "message": "%s: %s" % (type(e).__name__, e)}
    if failure is not None:
        failure["cellIndex"] = client.cell_index
    nbformat.write(nb, out)
    emit("KDH_RESULT", {"ok": failure is None, "failure": failure})
    return 0 if failure is None else 1


if __name__ == "__main__":
    sys.exit(main())
