import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseRedisUrl, redactUrl, redisTargetFromCommandLine, redisTargetFromEnv } from "./redis-target";

test("URLs parse into connection options; TLS for rediss://", () => {
  const t = parseRedisUrl("redis://worker:p%40ss@10.0.0.5:6380/2");
  assert.deepEqual({ ...t.options }, { host: "10.0.0.5", port: 6380, db: 2, username: "worker", password: "p@ss" });
  assert.equal(t.redacted, "redis://worker:***@10.0.0.5:6380/2");
  const tls = parseRedisUrl("rediss://w:x@redis.lab.example:6379");
  assert.deepEqual(tls.options.tls, { servername: "redis.lab.example" });
  assert.deepEqual(parseRedisUrl("rediss://w:x@127.0.0.1:6380").options.tls, {}, "no SNI for an IP address");
  assert.equal(parseRedisUrl("redis://127.0.0.1").options.port, 6379);
});

test("redaction hides the password raw and URL-encoded, and the URL itself", () => {
  const url = "redis://worker:p%40ss-w0rd@10.0.0.5:6380";
  const t = parseRedisUrl(url);
  const line = t.redact(`connect ${url} failed: AUTH p@ss-w0rd rejected (p%40ss-w0rd)`);
  assert.equal(line, "connect redis://worker:***@10.0.0.5:6380 failed: AUTH *** rejected (***)");
  assert.equal(redactUrl("not a url with secret"), "<unparseable Redis URL>");
});

test("bad URLs and settings fail naming only the redacted URL", () => {
  const cases: Array<[string, RegExp]> = [
    ["http://u:secret@h:1", /redis:\/\/|scheme http:/],
    ["redis://u:secret@h:1/99", /database "99" is not 0-15/],
    ["nonsense secret", /expected redis:\/\//],
  ];
  for (const [url, re] of cases) {
    assert.throws(() => parseRedisUrl(url), (e: Error) => re.test(e.message) && !e.message.includes("secret"), url);
  }
  assert.throws(() => redisTargetFromEnv({ KDH_REDIS_URL: "redis://h", KDH_REDIS_URL_FILE: "/x" }), /set only one/);
  assert.equal(redisTargetFromEnv({}), undefined);
});

test("a URL file must be private to its owner", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-url-"));
  try {
    const f = path.join(dir, "url");
    fs.writeFileSync(f, "redis://w:secret@127.0.0.1:7000\n", { mode: 0o640 });
    fs.chmodSync(f, 0o640);
    assert.throws(() => redisTargetFromEnv({ KDH_REDIS_URL_FILE: f }), /can be read by other users \(mode 640\); run chmod 600/);
    fs.chmodSync(f, 0o600);
    assert.equal(redisTargetFromEnv({ KDH_REDIS_URL_FILE: f })!.redacted, "redis://w:***@127.0.0.1:7000");
    fs.writeFileSync(f, "  \n");
    assert.throws(() => redisTargetFromEnv({ KDH_REDIS_URL_FILE: f }), /is empty/);
    assert.throws(() => redisTargetFromEnv({ KDH_REDIS_URL_FILE: path.join(dir, "none") }), /cannot read it \(ENOENT\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("--redis: the server from the command line, its password only from the environment or a private file", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-pw-"));
  try {
    const bare = redisTargetFromCommandLine("redis://kdh-sweep@10.0.0.5:6379", {});
    assert.deepEqual({ ...bare.target.options }, { host: "10.0.0.5", port: 6379, db: 0, username: "kdh-sweep" });
    const f = path.join(dir, "pw");
    fs.writeFileSync(f, "p@ss w0rd\n", { mode: 0o600 });
    fs.chmodSync(f, 0o600);
    const withPw = redisTargetFromCommandLine("redis://kdh-sweep@10.0.0.5:6379", { KDH_REDIS_PASSWORD_FILE: f });
    assert.equal(withPw.target.options.password, "p@ss w0rd");
    assert.equal(withPw.target.redacted, "redis://kdh-sweep:***@10.0.0.5:6379");
    assert.equal(parseRedisUrl(withPw.url).options.password, "p@ss w0rd", "the URL handed to child workers carries it");
    assert.equal(withPw.target.redact(`AUTH p@ss w0rd failed for ${withPw.url}`), "AUTH *** failed for redis://kdh-sweep:***@10.0.0.5:6379");
    assert.equal(redisTargetFromCommandLine("redis://h:1", { KDH_REDIS_PASSWORD: "x" }).target.options.password, "x");
    // The same split (URL in the environment, password in a file) for notebooks, which take no arguments.
    assert.equal(redisTargetFromEnv({ KDH_REDIS_URL: "redis://kdh-sweep@10.0.0.5:6379", KDH_REDIS_PASSWORD_FILE: f })!.options.password, "p@ss w0rd");
    assert.throws(() => redisTargetFromEnv({ KDH_REDIS_URL: "redis://u:secret@h:1", KDH_REDIS_PASSWORD: "other" }), (e: Error) => /holds a password and KDH_REDIS_PASSWORD gives another/.test(e.message) && !e.message.includes("secret"));
    fs.chmodSync(f, 0o644);
    const cases: Array<[string, NodeJS.ProcessEnv, RegExp]> = [
      ["redis://u:secret@h:1", {}, /--redis redis:\/\/u:\*\*\*@h:1 carries a password/],
      ["redis://h:1", { KDH_REDIS_PASSWORD_FILE: f }, /can be read by other users \(mode 644\); run chmod 600/],
      ["redis://h:1", { KDH_REDIS_PASSWORD_FILE: f, KDH_REDIS_PASSWORD: "x" }, /set only one/],
      ["redis://h:1", { KDH_REDIS_URL: "redis://u:secret@other:2" }, /--redis redis:\/\/h:1 and KDH_REDIS_URL both name a Redis; give only one/],
      ["not a url secret", {}, /is not a URL/],
    ];
    for (const [url, env, re] of cases) {
      assert.throws(() => redisTargetFromCommandLine(url, env), (e: Error) => re.test(e.message) && !e.message.includes("secret"), url);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
