/** What `gongjang serve --demo` seeds a new store with: the demo AI factory's tenancy. */
import { DEMO_TENANCY } from "../../scenario/builtin/demo-ai-factory.ts";
import type { Seed } from "../seed.ts";

export const DEMO_SEED: Seed = {
  tenancy: DEMO_TENANCY,
  tenants: [
    { id: "hyundai", displayName: "Hyundai Motor Group" },
    { id: "samsung", displayName: "Samsung Research" },
    { id: "lg", displayName: "LG AI Research" },
    { id: "snu", displayName: "Seoul National University consortium", program: "university" },
    { id: "startups", displayName: "AI startup access program", program: "startup" },
    { id: "kisti", displayName: "KISTI public lab", program: "public-lab" },
  ],
  programs: [
    { id: "startup", name: "National AI startup access program", enforcement: "refuse" },
    { id: "university", name: "University research allocation", enforcement: "preemptible" },
    { id: "public-lab", name: "Public lab allocation", enforcement: "preemptible" },
  ],
};
