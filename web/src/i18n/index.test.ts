import assert from "node:assert/strict";
import { test } from "node:test";
import { en } from "./en.ts";
import { pickLang, translator } from "./index.ts";
import { ko } from "./ko.ts";

test("?lang wins, then the browser's language, then English", () => {
  assert.equal(pickLang("?lang=ko", ["en-US"]), "ko");
  assert.equal(pickLang("?lang=en", ["ko-KR"]), "en");
  assert.equal(pickLang("?lang=fr", ["ko-KR", "en"]), "ko");
  assert.equal(pickLang("", ["de-DE", "en-GB"]), "en");
  assert.equal(pickLang("", ["de-DE"]), "en");
});

test("Korean has every English key, and in Hangul where it is prose", () => {
  assert.deepEqual(Object.keys(ko).sort(), Object.keys(en).sort());
  const hangul = Object.values(ko).filter((v) => /[\uac00-\ud7a3]/.test(v)).length;
  assert.ok(hangul > Object.keys(ko).length * 0.9, `${hangul} of ${Object.keys(ko).length}`);
});

test("placeholders are filled", () => {
  assert.equal(translator("en")("fleet.allocated", { used: 3, total: 8 }), "3 of 8 allocated");
  assert.equal(translator("ko")("fleet.allocated", { used: 3, total: 8 }), "8개 중 3개 할당");
});
