import assert from "node:assert/strict";
import { test } from "node:test";
import { createChartRenderer, localizeIds } from "./svg.ts";

test("localizeIds renames attribute and CSS ids, never text", () => {
  const svg =
    '<svg><g clip-path="url(#zr7-c3)"><path class="zr7-cls-12 zr7-cls-4"></path></g>' +
    '<text>zr7-c3 "stays"</text><clipPath id="zr7-c3"></clipPath>' +
    "<style ><![CDATA[.zr7-cls-12:hover {x:1;}.zr7-cls-4:hover {y:2;}]]></style></svg>";
  assert.equal(
    localizeIds(svg, "gj2"),
    '<svg><g clip-path="url(#gj2-c0)"><path class="gj2-cls-0 gj2-cls-1"></path></g>' +
      '<text>zr7-c3 "stays"</text><clipPath id="gj2-c0"></clipPath>' +
      "<style ><![CDATA[.gj2-cls-0:hover {x:1;}.gj2-cls-1:hover {y:2;}]]></style></svg>",
  );
});

test("rendering is independent of earlier renders in the process", () => {
  const option = {
    xAxis: { type: "value" as const },
    yAxis: { type: "value" as const },
    series: [
      {
        type: "line" as const,
        data: [
          [0, 1],
          [1, 3],
        ],
      },
    ],
  };
  const size = { width: 300, height: 200 };
  const a = createChartRenderer();
  const first = a.render(option, size);
  a.render(option, size); // advances ECharts' global counters
  const again = createChartRenderer().render(option, size);
  assert.equal(again, first);
  assert.match(first, /^<svg /);
  assert.doesNotMatch(first, /zr\d+-/);
});
