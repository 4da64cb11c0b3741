import assert from "node:assert/strict";
import { test } from "node:test";
import { child, parseXml, textAt, XmlSyntaxError } from "./xml.ts";

test("reads elements, attributes, entities and skips prolog and comments", () => {
  const root = parseXml(
    '<?xml version="1.0" ?>\n<!DOCTYPE log SYSTEM "x.dtd">\n<log><!-- c --><gpu id="0:6.0">' +
      "<name>A &amp; B &#x41;</name><empty/></gpu></log>",
  );
  assert.equal(root.name, "log");
  assert.equal(child(root, "gpu")?.attrs.id, "0:6.0");
  assert.equal(textAt(root, "gpu/name"), "A & B A");
  assert.equal(textAt(root, "gpu/empty"), "");
  assert.equal(textAt(root, "gpu/missing"), undefined);
});

const MALFORMED: [string, string, RegExp][] = [
  ["unclosed", "<a><b></b>", /<a> is never closed/],
  ["mismatched", "<a><b></a>", /<\/a> closes <b>/],
  ["two roots", "<a/><b/>", /second root/],
  ["text outside", "junk<a/>", /text outside/],
  ["empty", "", /no root/],
  ["bad tag", "<a><1b></a>", /malformed tag/],
];
for (const [name, xml, message] of MALFORMED)
  test(`rejects ${name} XML`, () => {
    assert.throws(
      () => parseXml(xml),
      (e: unknown) => e instanceof XmlSyntaxError && message.test(e.message),
    );
  });
