/**
 * Fleet: the summary, nodes (filters, cursor pagination, one node), and the operator
 * actions cordon, drain and uncordon (admin only). Everyone with a token may read the
 * fleet; a tenant's token sees only its own jobs' ids on a node.
 */
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { Action, authorize } from "../auth/roles.ts";
import { principalOf, type ServiceContext } from "../context.ts";
import { changeNode, knownNode, NodeAction } from "../fleet/ops.ts";
import { FleetSummaryView, fleetSummary } from "../fleet/summary.ts";
import {
  fleetIndex,
  holdingsByNode,
  NODE_STATES,
  NodeView,
  nodeStatuses,
  nodeView,
  UP,
} from "../fleet/view.ts";
import { ErrorResponse, Page } from "../schemas.ts";

const NodeId = Type.String({ minLength: 1, maxLength: 200, pattern: "^[A-Za-z0-9._:-]+$" });
const IdParams = Type.Object({ id: NodeId });
const Label = Type.String({ minLength: 1, maxLength: 200 });

const NodesQuery = Type.Object(
  {
    site: Type.Optional(Label),
    rack: Type.Optional(Label),
    domain: Type.Optional(Label),
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'or "none"' })),
    state: Type.Optional(Type.Union(NODE_STATES.map((s) => Type.Literal(s)))),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(
      Type.Integer({ minimum: 1, description: "nextCursor of the previous page" }),
    ),
  },
  { additionalProperties: false },
);
type NodesQuery = {
  site?: string;
  rack?: string;
  domain?: string;
  type?: string;
  state?: string;
  limit?: number;
  cursor?: number;
};

const ActionBody = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
  { additionalProperties: false },
);

export function fleetRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get(
    "/v1/fleet",
    {
      schema: {
        tags: ["fleet"],
        summary: "The fleet: sites, racks, domains, device types (allocated, free), node states",
        response: { 200: FleetSummaryView, "4xx": ErrorResponse },
      },
    },
    async (req) => {
      principalOf(req);
      const db = ctx.store.db;
      return fleetSummary(ctx.fleet, await nodeStatuses(db), await holdingsByNode(db));
    },
  );

  app.get(
    "/v1/fleet/nodes",
    {
      schema: {
        tags: ["fleet"],
        summary: "List nodes in fleet order",
        querystring: NodesQuery,
        response: { 200: Page(NodeView), "4xx": ErrorResponse },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const q = req.query as NodesQuery;
      const limit = q.limit ?? 100;
      const db = ctx.store.db;
      const statuses = await nodeStatuses(db);
      const holdings = await holdingsByNode(db);
      const items = [];
      let nextCursor: number | null = null;
      for (const n of fleetIndex(ctx.fleet).nodes) {
        if (q.cursor !== undefined && n.position <= q.cursor) continue;
        if (q.site !== undefined && n.site !== q.site) continue;
        if (q.rack !== undefined && n.rack !== q.rack) continue;
        if (q.domain !== undefined && n.domain !== q.domain) continue;
        if (q.type !== undefined && (n.deviceType ?? "none") !== q.type) continue;
        const status = statuses.get(n.id) ?? UP;
        if (q.state !== undefined && status.state !== q.state) continue;
        if (items.length === limit) {
          nextCursor = items[items.length - 1].position;
          break;
        }
        items.push({ position: n.position, view: nodeView(n, status, holdings.get(n.id), p) });
      }
      return { items: items.map((i) => i.view), nextCursor };
    },
  );

  app.get(
    "/v1/fleet/nodes/:id",
    {
      schema: {
        tags: ["fleet"],
        summary: "Get a node",
        params: IdParams,
        response: { 200: NodeView, "4xx": ErrorResponse },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const info = knownNode(ctx, (req.params as { id: string }).id);
      const status = (await nodeStatuses(ctx.store.db, info.id)).get(info.id) ?? UP;
      return nodeView(info, status, (await holdingsByNode(ctx.store.db)).get(info.id), p);
    },
  );

  const summaries: Record<NodeAction, string> = {
    cordon: "Cordon a node: no new work lands on it; running work stays",
    drain: "Drain a node: cordon it and requeue every job running on it",
    uncordon: "Uncordon a node: it takes new work again",
  };
  for (const action of Object.values(NodeAction))
    app.post(
      `/v1/fleet/nodes/:id/${action}`,
      {
        // The body is optional: a bare POST is an action without a reason.
        preValidation: async (req) => {
          req.body ??= {};
        },
        schema: {
          tags: ["fleet"],
          summary: summaries[action],
          params: IdParams,
          body: ActionBody,
          response: {
            200: Type.Object({
              node: NodeView,
              requeued: Type.Array(Type.Integer(), { description: "Jobs a drain requeued" }),
            }),
            "4xx": ErrorResponse,
          },
        },
      },
      async (req) => {
        const p = principalOf(req);
        authorize(p, Action.ManageFleet, null, "node");
        const info = knownNode(ctx, (req.params as { id: string }).id);
        const body = req.body as { reason?: string };
        const requeued = await changeNode(ctx, p, info.id, action, body.reason);
        const db = ctx.store.db;
        const status = (await nodeStatuses(db, info.id)).get(info.id) ?? UP;
        return {
          node: nodeView(info, status, (await holdingsByNode(db)).get(info.id), p),
          requeued,
        };
      },
    );
}
