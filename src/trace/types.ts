/**
 * Shapes every trace adapter shares: what a reader takes and what it returns.
 */
import type { Job } from "../core/model/job.ts";

/** How many row messages a skipping read keeps; the rest are only counted. */
export const MAX_ROW_ERRORS = 20;

/** Options every trace reader accepts. */
export interface ReadOptions {
  /**
   * Skip malformed rows instead of throwing GJ_ERR_TRACE_ROW at the first one.
   * Skipped rows are counted, and the first {@link MAX_ROW_ERRORS} messages kept.
   */
  readonly skipBadRows?: boolean;
}

/** What a reader returns: the jobs in file order and what it had to skip. */
export interface TraceReadResult {
  readonly jobs: Job[];
  /** Rows dropped as malformed (always 0 unless `skipBadRows`). */
  readonly skipped: number;
  /** `file:line: column X: problem` for the first skipped rows. */
  readonly errors: string[];
}

/** The concrete formats gongjang reads. */
export type TraceFormat = "generic-csv" | "generic-jsonl" | "openb" | "tiresias";

/** What a caller may ask for: a concrete family, or detection from the file. */
export type FormatOption = "auto" | "generic" | "openb" | "tiresias";

/** The names {@link FormatOption} accepts, for option parsing and messages. */
export const FORMAT_OPTIONS: readonly FormatOption[] = ["auto", "generic", "openb", "tiresias"];
