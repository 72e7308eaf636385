/**
 * A private Redis for a sweep on this machine: Debian's redis-server, started by us on 127.0.0.1 only,
 * in protected mode, on a free port, with its own temporary folder, an ACL user with a random password
 * (the default user gets another random password that is never handed out, so even other accounts on
 * this machine cannot use it), and stopped
 * when we exit. The password lives only in the 0600 config file and in the URL handed to our own workers
 * through their environment; the server's command line shows just its address.
 * Jobs are kept in an append-only file fsynced on every write, so a restarted server loses nothing.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { parseRedisUrl, type RedisTarget } from "./redis-target";
import { pingRedis } from "./connection";

export const SWEEP_USER = "kdh-sweep";
const SETPRIV = "/usr/bin/setpriv";
/** The key prefix of everything a sweep stores in Redis; the ACL user may touch only these keys. */
export const SWEEP_PREFIX = "kdh";

export interface LocalRedis {
  /** redis://kdh-sweep:<password>@127.0.0.1:<port>: hand it to workers in their environment only. */
  url: string;
  target: RedisTarget;
  port: number;
  dir: string;
  pid(): number | undefined;
  /** Stop the server (it writes its append-only file first) and start it again on the same port and data. */
  restart(): Promise<void>;
  /** Stop the server and remove its folder. Safe to call twice. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** The ACL line for the sweep's user: its password, only keys under the sweep prefix, no admin commands. */
export function sweepAclLine(user: string, password: string): string {
  return `user ${user} on >${password} ~${SWEEP_PREFIX}:* &* +@all -@admin -@dangerous +info +client|setname +client|getname +client|id`;
}

export async function startLocalRedis(opts: { password?: string; log?: (line: string) => void; redisServer?: string; stopOnSignals?: boolean } = {}): Promise<LocalRedis> {
  const log = opts.log ?? (() => {});
  const bin = opts.redisServer ?? "redis-server";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-redis-"));
  fs.chmodSync(dir, 0o700);
  const password = opts.password ?? randomBytes(24).toString("hex");
  let port = 0;
  let child: ChildProcess | undefined;
  let stopped = false;
  const conf = path.join(dir, "redis.conf");

  const writeConf = () => {
    const lines = [
      "bind 127.0.0.1",
      "protected-mode yes",
      `port ${port}`,
      `dir ${dir}`,
      "daemonize no",
      'save ""',
      "appendonly yes",
      "appendfsync always",
      // BullMQ keeps jobs as keys: evicting one under memory pressure would silently lose it.
      "maxmemory-policy noeviction",
      // Not "user default off": Redis 7.0 then refuses, while reloading its append-only file, every
      // MULTI/EXEC that BullMQ wrote (NOPERM), and a restarted server comes back empty.
      `user default on >${randomBytes(24).toString("hex")} ~* &* +@all`,
      sweepAclLine(SWEEP_USER, password),
    ];
    fs.writeFileSync(conf, lines.join("\n") + "\n", { mode: 0o600 });
  };

  const exitGuard = () => {
    if (child?.pid && child.exitCode === null) child.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const launch = async (): Promise<void> => {
    // setpriv --pdeathsig: the kernel stops this Redis when we die, even by SIGKILL (no exit hook runs then).
    const c = fs.existsSync(SETPRIV) ? spawn(SETPRIV, ["--pdeathsig", "SIGTERM", bin, conf], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] }) : spawn(bin, [conf], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    child = c;
    let output = "";
    c.stdout!.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    c.stderr!.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    const spawnError = new Promise<Error>((resolve) => c.once("error", resolve));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (c.exitCode !== null || c.signalCode !== null) throw new Error(`redis-server exited (${c.exitCode ?? c.signalCode}) on port ${port}: ${output.trim().split("\n").slice(-3).join(" | ")}`);
      const err = await Promise.race([spawnError, new Promise<undefined>((r) => setTimeout(r, 50, undefined))]);
      if (err) throw new Error(`could not start ${bin} (${(err as NodeJS.ErrnoException).code}); install it with: apt-get install -y --no-install-recommends redis-server (or run node scripts/setup.mjs)`);
      if (await pingRedis(target.options, 500).then(() => true, () => false)) {
        // Redis has read its configuration: the passwords need not stay on disk (a SIGKILLed owner leaves
        // this folder behind). restart() writes it again.
        fs.rmSync(conf, { force: true });
        return;
      }
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer within 10 s: ${output.trim().split("\n").slice(-3).join(" | ")}`);
    }
  };

  const waitExit = (c: ChildProcess, ms: number) =>
    new Promise<void>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      const t = setTimeout(() => {
        c.kill("SIGKILL");
      }, ms);
      c.once("exit", () => {
        clearTimeout(t);
        resolve();
      });
    });

  let target!: RedisTarget;
  let url = "";
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    url = `redis://${SWEEP_USER}:${password}@127.0.0.1:${port}`;
    target = parseRedisUrl(url);
    writeConf();
    try {
      await launch();
      break;
    } catch (e) {
      if (child) {
        child.kill("SIGKILL");
        await waitExit(child, 1000);
      }
      // Another process may have taken the port between our probe and redis binding it: try another.
      if (attempt >= 2) {
        fs.rmSync(dir, { recursive: true, force: true });
        throw e;
      }
    }
  }
  process.once("exit", exitGuard);
  // Node does not emit "exit" when a signal ends it: optionally stop Redis there too, then die of the signal.
  const onSignal = (sig: NodeJS.Signals) => {
    exitGuard();
    process.kill(process.pid, sig);
  };
  const signals: NodeJS.Signals[] = opts.stopOnSignals ? ["SIGINT", "SIGTERM", "SIGHUP"] : [];
  for (const sig of signals) process.once(sig, onSignal);
  log(`started redis-server ${target.redacted} (pid ${child!.pid}, data in ${dir})`);

  return {
    url,
    target,
    port,
    dir,
    pid: () => child?.pid,
    async restart() {
      if (stopped) throw new Error("this Redis was stopped");
      const c = child!;
      c.kill("SIGTERM");
      await waitExit(c, 5000);
      writeConf();
      await launch();
      log(`restarted redis-server ${target.redacted} (pid ${child!.pid})`);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (child) {
        child.kill("SIGTERM");
        await waitExit(child, 5000);
      }
      process.removeListener("exit", exitGuard);
      for (const sig of signals) process.removeListener(sig, onSignal);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
