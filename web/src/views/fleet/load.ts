/** Loads every node, following nextCursor (the API pages at most 1000). */
import { api } from "../../api.ts";
import type { FleetNode, Page } from "../../types.ts";

export async function loadNodes(): Promise<FleetNode[]> {
  const out: FleetNode[] = [];
  let cursor: number | null = null;
  do {
    const page: Page<FleetNode> = await api(
      `/v1/fleet/nodes?limit=1000${cursor === null ? "" : `&cursor=${cursor}`}`,
    );
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return out;
}
