/**
 * The node agent protocol (see ../agents/protocol.ts): register and heartbeat, for
 * tokens of role `agent` (and admin), plus the admin's view of the registered agents.
 * Registration is audited; heartbeats are not (they come every few seconds and change
 * nothing durable), but the node state changes they lead to are, by the loop.
 */
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { writeAudit } from "../../store/audit.ts";
import { HeartbeatBody, HeartbeatReply, RegisterBody, RegisterReply } from "../agents/protocol.ts";
import { Action, authorize } from "../auth/roles.ts";
import { principalOf, type ServiceContext } from "../context.ts";
import { ErrorResponse } from "../schemas.ts";

const Iso = (ms: number) => new Date(ms).toISOString();

const AgentView = Type.Object({
  node: Type.String(),
  hostname: Type.Union([Type.String(), Type.Null()]),
  version: Type.Union([Type.String(), Type.Null()]),
  driverVersion: Type.Union([Type.String(), Type.Null()]),
  registeredAt: Type.String(),
  lastSeen: Type.String(),
  devices: Type.Array(Type.String()),
  gpus: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  runs: Type.Array(
    Type.Object({
      key: Type.String(),
      state: Type.String(),
      exitCode: Type.Union([Type.Integer(), Type.Null()]),
      memoryMiB: Type.Union([Type.Number(), Type.Null()]),
      utilizationGpu: Type.Union([Type.Number(), Type.Null()]),
    }),
  ),
});

export function agentRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.post(
    "/v1/agents/register",
    {
      schema: {
        tags: ["agents"],
        summary: "A node agent registers its node, its discovered devices and the runs it knows",
        body: RegisterBody,
        response: { 200: RegisterReply, "4xx": ErrorResponse },
      },
    },
    async (req) => {
      const p = principalOf(req);
      authorize(p, Action.AgentReport, null, "node");
      const body = req.body as RegisterBody;
      const reply = ctx.agents.register(body);
      await writeAudit(ctx.store.db, ctx.clock(), {
        actor: p.name,
        tenant: null,
        action: "agent.register",
        target: `node/${body.node}`,
        after: {
          hostname: body.hostname ?? null,
          version: body.version ?? null,
          devices: reply.devices,
          runs: body.runs.length,
        },
      });
      ctx.loop.kick();
      return reply;
    },
  );

  app.post(
    "/v1/agents/heartbeat",
    {
      schema: {
        tags: ["agents"],
        summary:
          "A node agent's heartbeat: health and run states in; runs to start and cancel out (long poll)",
        body: HeartbeatBody,
        response: { 200: HeartbeatReply, "4xx": ErrorResponse },
      },
    },
    async (req) => {
      authorize(principalOf(req), Action.AgentReport, null, "node");
      const body = req.body as HeartbeatBody;
      const reply = await ctx.agents.heartbeat(body);
      // An ended run is for the loop to apply now, not at its next period.
      if (reply.ack.length > 0) ctx.loop.kick();
      return reply;
    },
  );

  app.get(
    "/v1/agents",
    {
      schema: {
        tags: ["agents"],
        summary: "Registered node agents: devices, GPU health, runs and their GPU usage (admin)",
        response: { 200: Type.Object({ items: Type.Array(AgentView) }), "4xx": ErrorResponse },
      },
    },
    async (req) => {
      authorize(principalOf(req), Action.ManageFleet, null, "agents");
      return {
        items: ctx.agents.agents().map(({ agent, runs }) => ({
          node: agent.node,
          hostname: agent.hostname,
          version: agent.version,
          driverVersion: agent.driverVersion,
          registeredAt: Iso(agent.registeredAt),
          lastSeen: Iso(agent.lastSeen),
          devices: [...agent.devices],
          gpus: agent.gpus.map((g) => ({ ...g })),
          runs: runs.map((m) => ({
            key: m.key,
            state: m.state,
            exitCode: m.exitCode,
            memoryMiB: m.memoryMiB,
            utilizationGpu: m.utilizationGpu,
          })),
        })),
      };
    },
  );
}
