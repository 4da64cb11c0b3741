import assert from "node:assert/strict";
import { test } from "node:test";
import { createdText, type TokenView, tokensTable } from "./token.ts";

const t: TokenView = {
  id: "0123456789ab",
  name: "alice",
  role: "member",
  tenant: "hyundai",
  createdBy: "admin",
  createdAt: "2026-11-23T09:00:00.000Z",
  revokedAt: null,
};

test("createdText shows the secret once, with how to use it", () => {
  assert.equal(
    createdText({ ...t, token: "gj_0123456789ab_s3cret" }),
    "created token 0123456789ab for alice: member of hyundai\n" +
      "  token: gj_0123456789ab_s3cret\n" +
      "  it is shown only now; keep it, e.g. export GONGJANG_TOKEN=<token>\n",
  );
});

test("tokensTable", () => {
  assert.equal(
    tokensTable([t, { ...t, id: "ffffffffffff", name: "ops", role: "admin", tenant: null }]),
    [
      "ID            NAME   ROLE    TENANT   CREATED               BY     REVOKED",
      "0123456789ab  alice  member  hyundai  2026-11-23 09:00:00Z  admin  -",
      "ffffffffffff  ops    admin   -        2026-11-23 09:00:00Z  admin  -",
      "",
    ].join("\n"),
  );
  assert.equal(tokensTable([]), "no tokens\n");
});
