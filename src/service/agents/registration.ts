/**
 * Checks what an agent discovered against the fleet's node: the same number of
 * schedulable devices (GPUs, or MIG instances where MIG is on) and a model that names
 * the node's device type. A node whose agent sees something else is refused, because
 * the scheduler would otherwise hand out devices the node does not have.
 */
import { GongjangError } from "../../core/errors.ts";
import type { FleetNode } from "../../core/model/fleet.ts";
import type { AgentDevice } from "./protocol.ts";

/**
 * The model word of a device type id (`nvidia-h100-80g` → `h100`, `gpu-a100` → `a100`);
 * null for an untyped `gpu`, which any model satisfies.
 */
export function modelWord(deviceType: string): string | null {
  const word = deviceType.split("-")[1];
  return word === undefined || word === "" ? null : word.toLowerCase();
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/**
 * Returns the devices' UUIDs in order (device index i of the fleet node is the i-th
 * UUID). Throws GJ_ERR_AGENT_MISMATCH listing every difference.
 */
export function checkDevices(node: FleetNode, devices: readonly AgentDevice[]): string[] {
  const problems: string[] = [];
  if (devices.length !== node.devices)
    problems.push(
      `the fleet gives node ${node.id} ${node.devices} devices, the agent found ${devices.length}`,
    );
  const word = node.deviceType === null ? null : modelWord(node.deviceType);
  for (const [i, d] of devices.entries())
    if (word !== null && !squash(d.model).includes(squash(word)))
      problems.push(`devices[${i}] ${d.uuid} is a "${d.model}", not a ${node.deviceType}`);
  const uuids = devices.map((d) => d.uuid);
  if (new Set(uuids).size !== uuids.length) problems.push("device UUIDs repeat");
  if (problems.length > 0)
    throw new GongjangError(
      "GJ_ERR_AGENT_MISMATCH",
      `the agent's devices do not match node ${node.id}: ${problems[0]}`,
      { path: "body.devices" },
      problems,
    );
  return uuids;
}
