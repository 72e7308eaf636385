/** Tests for the interactive check's plumbing: a free loopback port and the server's command line. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as net from "node:net";
import { freePort, serverArgs } from "./jupyter-check";

test("freePort gives a port that can be bound on 127.0.0.1 right away", async () => {
  const port = await freePort();
  assert.ok(Number.isInteger(port) && port > 0 && port < 65536, String(port));
  await new Promise<void>((resolve, reject) => {
    const srv = net.createServer().once("error", reject);
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve()));
  });
});

test("the server listens on loopback only, on exactly the given port, with a token and no browser", () => {
  const cases: Array<[boolean, boolean]> = [
    [false, false],
    [true, true],
  ];
  for (const [asRoot, wantAllowRoot] of cases) {
    const args = serverArgs("/tmp/nb", 8899, "abc", asRoot);
    assert.equal(args[0], "notebook");
    for (const a of ["--no-browser", "--ip=127.0.0.1", "--port=8899", "--port-retries=0", "--NotebookApp.token=abc", "--notebook-dir=/tmp/nb"]) assert.ok(args.includes(a), a);
    assert.equal(args.includes("--allow-root"), wantAllowRoot);
  }
});
