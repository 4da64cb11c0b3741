/** The Tiresias adapter: its job lists and its cluster specs. */
export {
  parseTiresiasClusterSpec,
  smallTiresiasFleet,
  TIRESIAS_GPU,
  type TiresiasClusterSpec,
  tiresiasClusterFleet,
  tiresiasFleet,
} from "./cluster.ts";
export {
  parseTiresiasJobs,
  readTiresiasJobs,
  TIRESIAS_REQUIRED,
  tiresiasFromTable,
} from "./jobs.ts";
