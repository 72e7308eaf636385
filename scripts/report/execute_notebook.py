"""Execute one notebook headless and save it even when a cell fails.

`jupyter nbconvert --execute` uses the same engine (nbclient) but writes nothing when a cell raises
or times out, which loses the failing cell's output (tslab prints type errors to the cell's stderr,
not into the exception). This driver keeps the partially executed notebook, so its HTML report shows
the failure in context, and prints one JSON line describing the failure for scripts/reproduce.ts.

usage: /usr/bin/python3 execute_notebook.py IN.ipynb OUT.ipynb TIMEOUT_SECONDS(0 = none) KERNEL
Exit status: 0 when every cell ran, 1 when a cell failed (OUT still written), 2 on a usage error.
"""
import json
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    src, out, timeout, kernel = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
    nb = nbformat.read(src, as_version=4)
    state = {"cell": None}

    def started(cell, cell_index, **_):
        state["cell"] = cell_index

    client = NotebookClient(
        nb,
        timeout=int(timeout) if timeout > 0 else None,
        kernel_name=kernel,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(src))}},
        on_cell_start=started,
    )
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
        failure["cellIndex"] = state["cell"]
    nbformat.write(nb, out)
    print("KDH_RESULT " + json.dumps({"ok": failure is None, "failure": failure}), flush=True)
    return 0 if failure is None else 1


if __name__ == "__main__":
    sys.exit(main())
