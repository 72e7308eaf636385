/**
 * serial-send.cjs against the real zeromq 6 the kernel uses: first the premise (a burst of unawaited
 * sends on one socket throws EBUSY after 512 of them, as tslab's sends do), then the same burst through
 * the patched send: a publisher sends at once (no deferral), a socket with a chosen timeout queues;
 * either way no throw and every message delivered, in order; close() waits for queued messages; a
 * queue past its limit drops and says how many. The tests run in order in one process (the patch is
 * process-wide, as in the kernel).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const zmq = require(require.resolve("zeromq", { paths: [path.join(ROOT, "node_modules", "tslab")] }));
const { serialiseSends, sendsSerialised } = require("./serial-send.cjs") as {
  serialiseSends(z: unknown, o?: { maxQueued?: number; log?: (s: string) => void }): boolean;
  sendsSerialised(z: unknown): boolean;
};

type Sock = { send(m: unknown): Promise<void>; close(): void; bind(a: string): Promise<void>; connect(a: string): void; lastEndpoint: string; closed: boolean };

/** A publisher and a subscriber connected to it, with no high-water marks (nothing dropped by ZeroMQ). */
async function pair(pubOptions: Record<string, number> = {}): Promise<{ pub: Sock & { sendTimeout: number }; sub: Sock & { receive(): Promise<Buffer[]> } }> {
  const pub = new zmq.Publisher({ sendHighWaterMark: 0, ...pubOptions });
  await pub.bind("tcp://127.0.0.1:*");
  const sub = new zmq.Subscriber({ receiveHighWaterMark: 0 });
  sub.connect(pub.lastEndpoint);
  sub.subscribe();
  // A subscription takes a moment to reach the publisher; before that, PUB drops (by design).
  const first = sub.receive();
  let arrived = false;
  void first.then(() => (arrived = true));
  for (let i = 0; !arrived; i++) {
    if (i > 100) throw new Error("the subscriber never connected");
    await pub.send(["probe", String(i)]);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { pub, sub };
}

/** Receive until n "msg" parts arrived (probes are skipped); returns their indices in arrival order. */
async function receiveN(sub: { receive(): Promise<Buffer[]> }, n: number): Promise<number[]> {
  const got: number[] = [];
  while (got.length < n) {
    const [kind, i] = await sub.receive();
    if (kind.toString() === "msg") got.push(Number(i.toString()));
  }
  return got;
}

function burst(pub: Sock, n: number): { thrown: { index: number; code: string }[]; promises: Promise<void>[] } {
  const thrown: { index: number; code: string }[] = [];
  const promises: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    try {
      promises.push(pub.send(["msg", String(i)]));
    } catch (e) {
      thrown.push({ index: i, code: (e as { code: string }).code });
    }
  }
  return { thrown, promises };
}

test("the premise: tslab's version sends without awaiting, and zeromq 6 throws EBUSY once 513 sends are in a row", async () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", "tslab", "package.json"), "utf8"));
  const jupyter = fs.readFileSync(path.join(ROOT, "node_modules", "tslab", "dist", "jupyter.js"), "utf8");
  // If tslab changes, re-read its ZmqMessage.signAndSend and update scripts/kernel/launch.cjs (CHECKED).
  assert.equal(pkg.version, "1.0.22", "tslab was upgraded: re-check how it sends (dist/jupyter.js signAndSend)");
  assert.match(jupyter, /\n\s+sock\.send\(heads\.concat\(bodies\)\);\n/, "tslab's signAndSend no longer sends unawaited: re-check");
  assert.equal(sendsSerialised(zmq), false);
  const { pub, sub } = await pair();
  const { thrown, promises } = burst(pub, 600);
  // 512 synchronous sends (the connection probes count too), the next deferred to the loop's check
  // phase, then EBUSY for every send until it has gone: the rest of the burst is lost.
  assert.ok(thrown.length > 0, "no EBUSY: zeromq changed; re-check scripts/kernel/serial-send.cjs");
  const first = thrown[0].index;
  assert.ok(first > 0 && first <= 513, `first EBUSY at ${first}`);
  assert.deepEqual(thrown, Array.from({ length: 600 - first }, (_, i) => ({ index: first + i, code: "EBUSY" })));
  await Promise.all(promises);
  assert.deepEqual(await receiveN(sub, first), Array.from({ length: first }, (_, i) => i));
  pub.close();
  sub.close();
});

test("patched: a burst of 2000 unawaited sends on a publisher goes out at once, every message, in order", async () => {
  const logs: string[] = [];
  assert.equal(serialiseSends(zmq, { log: (s) => logs.push(s) }), true);
  assert.equal(serialiseSends(zmq), false, "idempotent");
  assert.equal(sendsSerialised(zmq), true);
  const { pub, sub } = await pair();
  const { thrown, promises } = burst(pub, 2000);
  assert.deepEqual(thrown, []);
  assert.equal(pub.sendTimeout, 0, "a publisher never blocks, so it sends without zeromq's deferral");
  await Promise.all(promises);
  assert.deepEqual(await receiveN(sub, 2000), Array.from({ length: 2000 }, (_, i) => i));
  const again = burst(pub, 1200);
  assert.deepEqual(again.thrown, []);
  assert.deepEqual(await receiveN(sub, 1200), Array.from({ length: 1200 }, (_, i) => i));
  assert.deepEqual(logs, []);
  pub.close();
  sub.close();
});

test("a socket whose send timeout was chosen keeps it; its deferred sends queue: no throw, every message, in order", async () => {
  const { pub, sub } = await pair({ sendTimeout: 5000 });
  const { thrown, promises } = burst(pub, 2000);
  assert.deepEqual(thrown, []);
  assert.equal(pub.sendTimeout, 5000);
  await Promise.all(promises);
  assert.deepEqual(await receiveN(sub, 2000), Array.from({ length: 2000 }, (_, i) => i));
  // Bursts keep working later in the socket's life (zeromq's counter of synchronous sends carries on).
  assert.deepEqual(burst(pub, 1200).thrown, []);
  assert.deepEqual(await receiveN(sub, 1200), Array.from({ length: 1200 }, (_, i) => i));
  pub.close();
  sub.close();
});

test("close() with messages waiting closes once they are sent", async () => {
  const { pub, sub } = await pair({ sendTimeout: 5000 });
  burst(pub, 700);
  pub.close();
  assert.equal(pub.closed, false, "still open while messages wait");
  assert.deepEqual(await receiveN(sub, 700), Array.from({ length: 700 }, (_, i) => i));
  for (let i = 0; i < 100 && !pub.closed; i++) await new Promise((r) => setImmediate(r));
  assert.equal(pub.closed, true);
  sub.close();
});

test("a queue past its limit drops further messages, rejects their promises and logs the count once", async () => {
  // A second patch is refused (idempotent), so the limit is exercised on a module-shaped copy.
  const logs: string[] = [];
  class Fake {
    sent: number[] = [];
    busyUntil = 0;
    pending: (() => void)[] = [];
    closed = false;
    send(m: number) {
      if (this.pending.length) throw Object.assign(new Error("Socket is busy writing"), { code: "EBUSY" });
      this.sent.push(m);
      // Every third send is deferred, like zeromq's 513th.
      if (this.sent.length % 3 === 0) return new Promise<void>((r) => this.pending.push(r));
      return Promise.resolve();
    }
    close() {
      this.closed = true;
    }
  }
  class FakePub extends Fake {}
  const fake = { Socket: Fake, Publisher: FakePub };
  assert.equal(serialiseSends(fake, { maxQueued: 4, log: (s) => logs.push(s) }), true);
  const s = new FakePub();
  const results = Array.from({ length: 10 }, (_, i) => (s.send as (m: number) => Promise<void>)(i).then(() => "ok", (e: Error) => e.message));
  // 0,1,2 sent (2 deferred), 3..6 queued, 7..9 dropped.
  assert.deepEqual(s.sent, [0, 1, 2]);
  const release = async () => {
    while (s.pending.length) {
      s.pending.shift()!();
      await new Promise((r) => setImmediate(r));
    }
  };
  await release();
  await release();
  assert.deepEqual(s.sent, [0, 1, 2, 3, 4, 5, 6]);
  const out = await Promise.all(results);
  assert.deepEqual(out.slice(0, 7), Array(7).fill("ok"));
  for (const m of out.slice(7)) assert.match(m as string, /message dropped: 4 messages are already waiting/);
  assert.deepEqual(logs, ["3 output message(s) were dropped: more than 4 were waiting for the socket at once"]);
});

test("bad input: not a zeromq module, a bad limit", () => {
  assert.throws(() => serialiseSends({}), /expected the zeromq 6 module/);
  class S {
    send() {}
    close() {}
  }
  assert.throws(() => serialiseSends({ Socket: S, Publisher: class extends S {} }, { maxQueued: 0 }), /maxQueued 0 is not a whole number ≥ 1/);
});

test("a send that fails later is reported on the kernel's log, not as an unhandled rejection", async () => {
  const logs: string[] = [];
  class S {
    send(): Promise<void> {
      return Promise.reject(new Error("Socket is closed"));
    }
    close() {}
  }
  class P extends S {}
  serialiseSends({ Socket: S, Publisher: P }, { log: (s) => logs.push(s) });
  const unhandled: unknown[] = [];
  const onUnhandled = (r: unknown) => unhandled.push(r);
  process.on("unhandledRejection", onUnhandled);
  try {
    void new P().send();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(logs, ["a message was not sent: Socket is closed"]);
    assert.deepEqual(unhandled, []);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
});
