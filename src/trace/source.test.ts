import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { GongjangError } from "../core/errors.ts";
import { decodeTraceText, readTraceText } from "./source.ts";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** bytes → the error code and message tail they must produce. */
const BAD: [what: string, bytes: Uint8Array, code: string, message: string][] = [
  ["empty", new Uint8Array(0), "GJ_ERR_TRACE_EMPTY", "the file is empty"],
  ["whitespace", enc(" \n\r\n"), "GJ_ERR_TRACE_EMPTY", "the file is empty"],
  [
    "gzip",
    gzipSync("id,submit_time\n"),
    "GJ_ERR_TRACE_FORMAT",
    "is gzip-compressed; decompress it first",
  ],
  [
    "parquet",
    enc("PAR1\u0015\u0004"),
    "GJ_ERR_TRACE_FORMAT",
    "is Parquet, which is not read yet; convert it to CSV",
  ],
  [
    "NUL bytes",
    Uint8Array.from([0x69, 0x64, 0x00, 0x01, 0x02]),
    "GJ_ERR_TRACE_FORMAT",
    "holds binary data, not CSV or JSONL text",
  ],
  [
    "invalid UTF-8",
    Uint8Array.from([0x69, 0xff, 0xfe, 0x41]),
    "GJ_ERR_TRACE_FORMAT",
    "is not UTF-8 text (binary data?)",
  ],
];

for (const [what, bytes, code, message] of BAD) {
  test(`decodeTraceText: ${what} → ${code}`, () => {
    assert.throws(
      () => decodeTraceText(bytes, "x.csv"),
      (e: unknown) =>
        e instanceof GongjangError && e.code === code && e.message === `${code}: x.csv: ${message}`,
    );
  });
}

test("decodeTraceText: a UTF-8 byte-order mark is dropped", () => {
  assert.equal(decodeTraceText(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61]), "x.csv"), "a");
});

test("readTraceText: a missing file or a folder is GJ_ERR_FILE_NOT_FOUND", () => {
  const dir = mkdtempSync(join(tmpdir(), "gongjang-trace-"));
  assert.throws(() => readTraceText(join(dir, "nope.csv")), { code: "GJ_ERR_FILE_NOT_FOUND" });
  assert.throws(() => readTraceText(dir), { code: "GJ_ERR_FILE_NOT_FOUND" });
  writeFileSync(join(dir, "t.csv"), "a,b\n");
  assert.equal(readTraceText(join(dir, "t.csv")), "a,b\n");
});
