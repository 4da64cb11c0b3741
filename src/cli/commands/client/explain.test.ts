import assert from "node:assert/strict";
import { test } from "node:test";
import { explainText } from "./explain.ts";

test("explainText: the summary, then one line per constraint; blocking ones marked", () => {
  const out = explainText(42, {
    state: "pending",
    summary: "waits for quota: hyundai/llm is at its h100 guarantee",
    lines: [
      { constraint: "quota", blocking: true, text: "holds 16 of 16 guaranteed h100", numbers: {} },
      { constraint: "capacity", blocking: false, text: "112 h100 free", numbers: { free: 112 } },
      { constraint: "queue-order", text: "1 job ahead" },
    ],
  });
  assert.equal(
    out,
    [
      "job 42 (pending): waits for quota: hyundai/llm is at its h100 guarantee",
      "  ✗ quota        holds 16 of 16 guaranteed h100",
      "  · capacity     112 h100 free",
      "  · queue-order  1 job ahead",
      "",
    ].join("\n"),
  );
});
