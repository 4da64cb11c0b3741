/**
 * Every error leaves the API as `{ error: { code, message, path?, details? } }` with
 * the code's HTTP status; nothing internal (stack traces, SQL) reaches a client.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { type ErrorCode, GongjangError } from "../core/errors.ts";

export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly path?: string;
    readonly details?: readonly string[];
  };
}

/** Maps any thrown value to a coded error. */
export function toCoded(err: unknown): GongjangError {
  if (err instanceof GongjangError) return err;
  const e = err as Partial<FastifyError> & {
    validation?: { instancePath: string; message?: string }[];
  };
  if (e.validation !== undefined && e.validation.length > 0) {
    const v = e.validation[0];
    const where = `${e.validationContext ?? "body"}${v.instancePath.replaceAll("/", ".")}`;
    return new GongjangError("GJ_ERR_REQUEST_INVALID", v.message ?? "invalid", { path: where });
  }
  switch (e.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new GongjangError("GJ_ERR_BODY_TOO_LARGE", "the request body is too large");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new GongjangError("GJ_ERR_UNSUPPORTED_MEDIA", "send the body as application/json");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new GongjangError("GJ_ERR_REQUEST_INVALID", "the JSON body is empty", {
        path: "body",
      });
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new GongjangError("GJ_ERR_REQUEST_INVALID", "Content-Length does not match the body");
    default:
      break;
  }
  if (e.statusCode === 400 || err instanceof SyntaxError)
    return new GongjangError(
      "GJ_ERR_REQUEST_INVALID",
      `malformed request: ${e.message ?? "bad syntax"}`,
      { path: "body" },
    );
  return new GongjangError("GJ_ERR_INTERNAL", "internal error; it has been logged");
}

export function sendError(err: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const coded = toCoded(err);
  if (coded.code === "GJ_ERR_INTERNAL") req.log.error({ err }, "internal error");
  const body: ErrorBody = {
    error: {
      code: coded.code,
      message: coded.text,
      ...(coded.location.path !== undefined && { path: coded.location.path }),
      ...(coded.details.length > 0 && { details: coded.details }),
    },
  };
  void reply.status(coded.status).send(body);
}
