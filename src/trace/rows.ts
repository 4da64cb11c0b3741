/**
 * The row loop every adapter runs: build a job per row, enforce unique ids, and
 * either throw at the first bad row or skip it, counting and keeping a few messages.
 */
import { GongjangError } from "../core/errors.ts";
import type { Job } from "../core/model/job.ts";
import { RowFault } from "./fields.ts";
import { MAX_ROW_ERRORS, type ReadOptions, type TraceReadResult } from "./types.ts";

/**
 * Collects jobs row by row. `add` runs the row's builder; a {@link RowFault} it throws
 * (or a repeated id) becomes `file:line: column X: problem`, thrown as
 * GJ_ERR_TRACE_ROW or, with `skipBadRows`, counted. `word` is what a field is called
 * in the format ("column" in CSV, "field" in JSONL).
 */
export class RowCollector {
  readonly #file: string;
  readonly #skip: boolean;
  readonly #word: string;
  readonly #jobs: Job[] = [];
  readonly #firstLine = new Map<string, number>();
  readonly #errors: string[] = [];
  #skipped = 0;

  constructor(file: string, options: ReadOptions = {}, word = "column") {
    this.#file = file;
    this.#skip = options.skipBadRows === true;
    this.#word = word;
  }

  /** Builds the row starting on `line`; see the class comment for what happens on a fault. */
  add(line: number, build: () => Job): void {
    let job: Job;
    try {
      job = build();
      const first = this.#firstLine.get(job.id);
      if (first !== undefined) {
        throw new RowFault("id", `duplicate id ${JSON.stringify(job.id)} (first on line ${first})`);
      }
    } catch (err) {
      if (!(err instanceof RowFault)) throw err;
      this.fault(line, err);
      return;
    }
    this.#firstLine.set(job.id, line);
    this.#jobs.push(job);
  }

  /** Records a bad row found outside a builder (e.g. a wrong number of fields). */
  fault(line: number, fault: RowFault): void {
    const what =
      fault.column === undefined
        ? fault.message
        : `${this.#word} ${fault.column}: ${fault.message}`;
    if (!this.#skip) throw new GongjangError("GJ_ERR_TRACE_ROW", what, { file: this.#file, line });
    this.#skipped++;
    if (this.#errors.length < MAX_ROW_ERRORS) this.#errors.push(`${this.#file}:${line}: ${what}`);
  }

  /**
   * The jobs in row order. Throws GJ_ERR_TRACE_EMPTY when none survived: a header
   * with no rows, or (when skipping) rows that were all bad, listed in `details`.
   */
  result(): TraceReadResult {
    if (this.#jobs.length === 0) {
      const why =
        this.#skipped === 0
          ? "the file holds no job rows"
          : `all ${this.#skipped} rows are malformed`;
      throw new GongjangError("GJ_ERR_TRACE_EMPTY", why, { file: this.#file }, this.#errors);
    }
    return { jobs: this.#jobs, skipped: this.#skipped, errors: this.#errors };
  }
}
