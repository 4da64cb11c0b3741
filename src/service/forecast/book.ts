/**
 * The forecaster's calibration book, kept in the store's settings so that a restart
 * does not serve uncalibrated bands until 30 new forecasts have resolved. A stored book
 * that cannot be read is reported (GJ_ERR_FORECAST_BOOK, with its JSON path) and a new
 * one starts; the next save replaces it.
 */
import { Type } from "typebox";
import Value from "typebox/value";
import { GongjangError } from "../../core/errors.ts";
import { Calibration } from "../../forecast/calibrate.ts";
import type { Db } from "../../store/jobs.ts";
import { readSetting, writeSetting } from "../../store/settings.ts";

const KEY = "forecast-calibration";

const Num = Type.Number();
const BookSchema = Type.Object({
  version: Type.Literal(1),
  lower: Num,
  upper: Num,
  room: Num,
  recordedAt: Type.Union([Num, Type.Null()]),
  issued: Type.Array(
    Type.Tuple([Type.String(), Num, Num, Num, Num, Num, Type.Boolean(), Type.Boolean()]),
  ),
});

/**
 * The stored book, or a new one when none is stored. A stored one that is not JSON or
 * breaks the schema throws GJ_ERR_FORECAST_BOOK naming where (see loadOrStart).
 */
export async function loadBook(db: Db): Promise<Calibration> {
  const text = await readSetting(db, KEY);
  if (text === undefined) return new Calibration();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new GongjangError(
      "GJ_ERR_FORECAST_BOOK",
      `settings "${KEY}" is not JSON (${(err as Error).message})`,
      { path: KEY },
    );
  }
  if (!Value.Check(BookSchema, json)) {
    const errors = [...Value.Errors(BookSchema, json)].slice(0, 3);
    const where = (e: { instancePath: string }) => KEY + e.instancePath.replaceAll("/", ".");
    throw new GongjangError(
      "GJ_ERR_FORECAST_BOOK",
      `settings "${KEY}" breaks its schema: ${errors.map((e) => `${where(e)} ${e.message}`).join("; ")}`,
      { path: errors.length > 0 ? where(errors[0]) : KEY },
    );
  }
  return Calibration.restore(json);
}

/** The stored book; on a bad one, reports it through `onError` and starts anew. */
export async function loadOrStart(db: Db, onError?: (err: unknown) => void): Promise<Calibration> {
  try {
    return await loadBook(db);
  } catch (err) {
    if (!(err instanceof GongjangError)) throw err;
    onError?.(err);
    return new Calibration();
  }
}

/** Stores the book, replacing the one stored. */
export async function saveBook(db: Db, book: Calibration): Promise<void> {
  await writeSetting(db, KEY, JSON.stringify(book.save()));
}
