/**
 * Constants shared by the FGD paper's node scorers. They follow the published
 * simulator (hkust-adsl/kubernetes-scheduler-simulator) so our curves can be
 * compared with its results: scores are integers 0..100 like Kubernetes', and
 * resources are normalised by the largest node spec of the openb fleet.
 */
export const MAX_NODE_SCORE = 100;
/** 128 cores, in milli-CPU. */
export const MAX_SPEC_CPU = 128_000;
/** 8 devices, in milli-devices. */
export const MAX_SPEC_DEVICES = 8_000;
