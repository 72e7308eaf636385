/**
 * ZeroMQ sends for a notebook kernel that never throw, never stall and never drop a message on their
 * own account.
 *
 * Why: zeromq 6 (`Socket.prototype.send`, native, src/socket.cc) sends synchronously at most 512
 * times in a row; the 513th send is deferred to the event loop's next check phase, and until it has
 * gone, any further send on that socket THROWS synchronously ("Socket is busy writing; only one send
 * operation may be in progress at any time", code EBUSY). The counter is reset only when a deferred
 * send completes, so a kernel's IOPub socket, which only ever sends, opens this window once every
 * 513 messages for its whole life, and a cell that does not yield to the event loop (a training loop
 * with synchronous tensor reads) keeps it open until the cell ends. tslab 1.0.22 calls `sock.send(...)`
 * without awaiting it (dist/jupyter.js, ZmqMessage.signAndSend), so in that window:
 *  - console.log / console.error output is dropped without a trace (Node's global console swallows
 *    errors thrown by the stream's write);
 *  - a display update (tslab's newDisplay().text(), the library's progress line) throws EBUSY into the
 *    cell, and tslab's own report of that error is dropped the same way: the cell ends with
 *    `status: error` and no message at all;
 *  - live output stops until the cell ends.
 *
 * Two changes, both on the socket class (tslab's file stays as npm installed it):
 *  1. Sockets that never block on send in ZeroMQ (PUB, ROUTER, REP: in the mute state they drop, they
 *     do not wait) get `sendTimeout = 0`, unless a timeout was set: zeromq then always sends at once,
 *     like zeromq 5 did, and never defers. Delivery is unchanged (every send is non-blocking anyway);
 *     only the deferral, and with it the EBUSY window and the stalled output, goes.
 *  2. Any send that still finds the socket busy waits in a per-socket queue that is flushed, in order,
 *     as the deferred send completes. A queue that grows past `maxQueued` messages drops further
 *     messages rather than the kernel's memory, and says so on the kernel's own stderr. `close()` on a
 *     socket with waiting messages closes it once they are sent (tslab closes its sockets right after
 *     its shutdown reply).
 * What remains is ZeroMQ's own high-water mark: a burst of many thousands of messages that outruns the
 * frontend loses some, as with any Jupyter kernel; keep live output modest (CONTRIBUTING.md).
 *
 * Plain CommonJS with no dependencies: the kernel launcher (launch.cjs) loads it before tslab.
 */
"use strict";

const fs = require("node:fs");

const PATCHED = Symbol.for("kdh.serialSend");
const DEFAULT_MAX_QUEUED = 10000;

/** Write one line to the process's real stderr (fd 2), bypassing tslab's redirection to the cell. */
function kernelLog(text) {
  try {
    fs.writeSync(2, `[kdh kernel] ${text}\n`);
  } catch {
    /* nowhere left to report to */
  }
}

function isBusy(e) {
  return !!e && (e.code === "EBUSY" || /busy/i.test(String(e.message)));
}

/** A rejected promise that is already handled: a caller that ignores it (tslab) raises no unhandledRejection. */
function handledRejection(err) {
  const p = Promise.reject(err);
  p.catch(() => {});
  return p;
}

/**
 * Replace `zmq.Socket.prototype.send` (and `close` of every socket class) with the versions described
 * above: on first use a PUB/ROUTER/REP socket with zeromq's default timeout gets `sendTimeout = 0`; a
 * send that finds its socket busy is queued. Idempotent: returns false when `zmq` is already patched.
 * `zmq` is the module object of the zeromq package (v6).
 * @param {{ Socket: { prototype: any } }} zmq
 * @param {{ maxQueued?: number, log?: (text: string) => void }} [opts]
 */
function serialiseSends(zmq, opts = {}) {
  const proto = zmq && zmq.Socket && zmq.Socket.prototype;
  if (!proto || typeof proto.send !== "function" || typeof proto.close !== "function" || typeof zmq.Publisher !== "function") {
    throw new Error("serialiseSends: expected the zeromq 6 module (Socket with send and close, Publisher, ...); got " + (zmq && typeof zmq));
  }
  if (proto.send[PATCHED]) return false;
  const maxQueued = opts.maxQueued ?? DEFAULT_MAX_QUEUED;
  if (!Number.isInteger(maxQueued) || maxQueued < 1) throw new Error(`serialiseSends: maxQueued ${maxQueued} is not a whole number ≥ 1`);
  const log = opts.log ?? kernelLog;
  const nativeSend = proto.send;
  const nativeClose = proto.close;
  /** @type {WeakMap<object, { waiting: any[], inFlight: number, closeRequested: boolean, retryScheduled: boolean, dropped: number }>} */
  const states = new WeakMap();

  const neverBlocking = ["Publisher", "Router", "Reply"].map((n) => zmq[n]).filter((c) => typeof c === "function");

  function stateOf(sock) {
    let s = states.get(sock);
    if (!s) {
      s = { waiting: [], inFlight: 0, closeRequested: false, retryScheduled: false, dropped: 0 };
      states.set(sock, s);
      // -1 is zeromq's default ("wait as long as needed"); a timeout someone chose is kept.
      if (neverBlocking.some((c) => sock instanceof c) && sock.sendTimeout === -1) sock.sendTimeout = 0;
    }
    return s;
  }

  /** Send one message natively; a deferred send flushes the queue when it completes. Throws EBUSY. */
  function sendNow(sock, s, msg, rest) {
    const p = nativeSend.call(sock, msg, ...rest);
    if (p && typeof p.then === "function") {
      s.inFlight++;
      const after = () => {
        s.inFlight--;
        if (s.waiting.length) flush(sock, s);
      };
      // This handler also marks p as handled, so a failed send is reported here, not as an unhandled rejection.
      p.then(after, (e) => {
        log(`a message was not sent: ${e && e.message}`);
        after();
      });
    }
    return p;
  }

  /**
   * Normally the completion of the deferred send calls flush again. A socket busy for another reason
   * (a bind in progress) completes no send of ours: then look again on the next turn of the loop.
   */
  function retryLater(sock, s) {
    if (s.inFlight || s.retryScheduled) return;
    s.retryScheduled = true;
    setImmediate(() => {
      s.retryScheduled = false;
      flush(sock, s);
    });
  }

  /** Send waiting messages in order until the socket is busy again or the queue is empty. */
  function flush(sock, s) {
    while (s.waiting.length) {
      const item = s.waiting[0];
      let p;
      try {
        p = sendNow(sock, s, item.msg, item.rest);
      } catch (e) {
        if (isBusy(e)) {
          retryLater(sock, s);
          return;
        }
        s.waiting.shift();
        log(`a message was not sent: ${e && e.message}`);
        item.reject(e);
        continue;
      }
      s.waiting.shift();
      Promise.resolve(p).then(item.resolve, item.reject);
    }
    if (s.dropped) {
      log(`${s.dropped} output message(s) were dropped: more than ${maxQueued} were waiting for the socket at once`);
      s.dropped = 0;
    }
    if (s.closeRequested) {
      s.closeRequested = false;
      nativeClose.call(sock);
    }
  }

  function send(msg, ...rest) {
    const s = stateOf(this);
    if (!s.waiting.length) {
      try {
        return sendNow(this, s, msg, rest);
      } catch (e) {
        if (!isBusy(e)) throw e;
      }
    }
    if (s.waiting.length >= maxQueued) {
      s.dropped++;
      return handledRejection(Object.assign(new Error(`message dropped: ${maxQueued} messages are already waiting to be sent on this socket`), { code: "EBUSY" }));
    }
    const waiting = new Promise((resolve, reject) => s.waiting.push({ msg, rest, resolve, reject }));
    waiting.catch(() => {});
    retryLater(this, s);
    return waiting;
  }
  send[PATCHED] = true;

  function close(...args) {
    const s = states.get(this);
    if (s && s.waiting.length) {
      s.closeRequested = true;
      return undefined;
    }
    return nativeClose.apply(this, args);
  }
  close[PATCHED] = true;

  Object.defineProperty(proto, "send", { value: send, writable: true, configurable: true, enumerable: false });
  // Socket.prototype.close is not configurable: the deferring close goes on each socket class built on it.
  for (const cls of Object.values(zmq)) {
    if (typeof cls === "function" && cls.prototype instanceof zmq.Socket && Object.isExtensible(cls.prototype)) {
      Object.defineProperty(cls.prototype, "close", { value: close, writable: true, configurable: true, enumerable: false });
    }
  }
  return true;
}

/** True when `zmq`'s sockets already send through serialiseSends. */
function sendsSerialised(zmq) {
  return !!(zmq && zmq.Socket && zmq.Socket.prototype.send && zmq.Socket.prototype.send[PATCHED]);
}

module.exports = { serialiseSends, sendsSerialised, DEFAULT_MAX_QUEUED };
