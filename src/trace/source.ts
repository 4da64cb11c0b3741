/**
 * Reads a trace file as text and turns the ways a file can be unusable (missing,
 * a folder, empty, compressed, binary) into coded errors before any parser sees it.
 */
import { readFileSync, statSync } from "node:fs";
import { GongjangError } from "../core/errors.ts";

/** How far into a file we look for NUL bytes: text traces never hold one. */
const SNIFF_BYTES = 64 * 1024;

/**
 * The file's text, UTF-8 decoded with any byte-order mark removed.
 * Throws GJ_ERR_FILE_NOT_FOUND when `path` is missing or a folder,
 * GJ_ERR_TRACE_EMPTY when it holds nothing but whitespace, and GJ_ERR_TRACE_FORMAT
 * when it is gzip, Parquet or other binary data, or not valid UTF-8.
 */
export function readTraceText(path: string): string {
  let bytes: Buffer;
  try {
    if (statSync(path).isDirectory()) {
      throw new GongjangError("GJ_ERR_FILE_NOT_FOUND", "is a folder, not a trace file", {
        file: path,
      });
    }
    bytes = readFileSync(path);
  } catch (err) {
    if (err instanceof GongjangError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new GongjangError("GJ_ERR_FILE_NOT_FOUND", "no such trace file", { file: path });
    }
    throw err;
  }
  return decodeTraceText(bytes, path);
}

/** As {@link readTraceText}, for bytes already in memory; `file` names them in errors. */
export function decodeTraceText(bytes: Uint8Array, file: string): string {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    throw new GongjangError("GJ_ERR_TRACE_FORMAT", "is gzip-compressed; decompress it first", {
      file,
    });
  }
  if (bytes.length >= 4 && String.fromCharCode(...bytes.subarray(0, 4)) === "PAR1") {
    throw new GongjangError(
      "GJ_ERR_TRACE_FORMAT",
      "is Parquet, which is not read yet; convert it to CSV",
      {
        file,
      },
    );
  }
  if (bytes.subarray(0, SNIFF_BYTES).includes(0)) {
    throw new GongjangError("GJ_ERR_TRACE_FORMAT", "holds binary data, not CSV or JSONL text", {
      file,
    });
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new GongjangError("GJ_ERR_TRACE_FORMAT", "is not UTF-8 text (binary data?)", { file });
  }
  if (text.trim() === "")
    throw new GongjangError("GJ_ERR_TRACE_EMPTY", "the file is empty", { file });
  return text;
}

/** `text` without a leading UTF-8 byte-order mark, for text that did not come through a file. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
