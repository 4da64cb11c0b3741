/** Parsers for option values shared by commands; bad values become GJ_ERR_ARGUMENT. */
import { GongjangError } from "../core/errors.ts";

/** "a,b , c" → ["a", "b", "c"]; empty items are an error. */
export function parseList(value: string, option: string): string[] {
  const items = value.split(",").map((s) => s.trim());
  if (items.some((s) => s.length === 0)) {
    throw new GongjangError("GJ_ERR_ARGUMENT", `${option}: empty item in "${value}"`, {
      path: option,
    });
  }
  return items;
}

/** "42-51" → 42..51; "1,5,9" → [1, 5, 9]; also mixes like "1,3-4". */
export function parseSeeds(value: string): number[] {
  const out: number[] = [];
  for (const part of parseList(value, "--seeds")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m)
      throw new GongjangError("GJ_ERR_ARGUMENT", `--seeds: expected N or N-M, got "${part}"`, {
        path: "--seeds",
      });
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo || hi - lo > 10_000) {
      throw new GongjangError("GJ_ERR_ARGUMENT", `--seeds: bad range "${part}"`, {
        path: "--seeds",
      });
    }
    for (let s = lo; s <= hi; s++) out.push(s);
  }
  return out;
}
