import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseRedisUrl, redactUrl, redisTargetFromEnv } from "./redis-target";

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
