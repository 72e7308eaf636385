"""Kill a notebook's kernel once the processes driving it are gone.

jupyter_client starts every kernel in a session of its own, so killing the runner's process group
(SIGKILL, a closed terminal, a CI job cancelled) leaves the kernel running: an orphan of hundreds of
megabytes that goes on training. execute_notebook.py starts this watchdog, also in a session of its
own so the same kill does not reach it, right after the kernel starts. It polls the driver and the
runner; when either is gone it kills the kernel's whole session and removes its connection file.
It exits when the kernel exits.

usage: /usr/bin/python3 kernel_watchdog.py DRIVER_PID RUNNER_PID KERNEL_PID CONNECTION_FILE
"""
import os
import signal
import sys
import time


def alive(pid):
    """True while pid runs (a zombie, dead but not yet reaped by its parent, counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except (OSError, IndexError):
        return False


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    driver, runner, kernel = (int(a) for a in sys.argv[1:4])
    connection_file = sys.argv[4]
    while alive(kernel):
        if not alive(driver) or not alive(runner):
            try:
                os.killpg(kernel, signal.SIGKILL)  # the kernel leads its session: this reaches its children too
            except (ProcessLookupError, PermissionError):
                pass
            break
        time.sleep(0.2)
    try:
        os.remove(connection_file)
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
