/**
 * A one-tenant seed for fleets of H100s only (the agent and Slurm end-to-end tests):
 * tenant `lab` with queue `lab/dev`, guaranteed 8 H100s.
 */
import type { Seed } from "../../../src/service/seed.ts";

export const QUEUE = "lab/dev";

export const H100_SEED: Seed = {
  tenancy: {
    queues: [
      { path: "lab", weight: 1, quota: { "nvidia-h100-80g": { guaranteed: 8 } } },
      { path: "lab/dev", weight: 1, quota: { "nvidia-h100-80g": { guaranteed: 8 } } },
    ],
  },
  tenants: [{ id: "lab", displayName: "Test lab" }],
};
