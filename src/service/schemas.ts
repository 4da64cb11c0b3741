/** Schemas shared by routes: ids, pages and the error body. */
import { type TSchema, Type } from "typebox";

export const Id = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 });

export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String({ description: "GJ_ERR_*; see docs/errors.md" }),
    message: Type.String(),
    path: Type.Optional(Type.String({ description: "Where: a JSON path into the request" })),
    details: Type.Optional(Type.Array(Type.String())),
  }),
});

/** A page of a listing; pass nextCursor back as ?cursor= for the next one. */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.Integer(), Type.Null()]) });
