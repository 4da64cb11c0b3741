import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { GongjangError } from "../../core/errors.ts";
import { DEFAULT_SERVER, normalizeServer, resolveConnection } from "./connection.ts";

test("normalizeServer adds http:// and drops trailing slashes", () => {
  assert.equal(normalizeServer("localhost:8080"), "http://localhost:8080");
  assert.equal(normalizeServer("https://gj.example.org/api/"), "https://gj.example.org/api");
  assert.throws(() => normalizeServer("ftp://x"), GongjangError);
  assert.throws(() => normalizeServer("http://"), GongjangError);
});

test("a given token wins; else .gongjang/admin-token, with a note; else none", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "gj-conn-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const notes: string[] = [];
  const note = (s: string) => notes.push(s);
  assert.deepEqual(resolveConnection({}, dir, note), {
    server: DEFAULT_SERVER,
    token: undefined,
    tokenSource: "none",
  });
  mkdirSync(join(dir, ".gongjang"));
  writeFileSync(join(dir, ".gongjang", "admin-token"), "gj_file\n");
  assert.equal(resolveConnection({ token: "gj_opt" }, dir, note).token, "gj_opt");
  assert.equal(notes.length, 0);
  const c = resolveConnection({ server: "http://h:1" }, dir, note);
  assert.deepEqual(c, { server: "http://h:1", token: "gj_file", tokenSource: "file" });
  assert.equal(notes.length, 1);
  assert.match(notes[0], /^note: using the admin token from \.gongjang\/admin-token/);
});
