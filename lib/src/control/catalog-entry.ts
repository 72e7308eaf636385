/**
 * Notebook 55's catalog entry as plain data: the notebook, its papers, the lib modules it runs on, its
 * recipe (quick and full defaults with a rule per parameter) and its claims, in the shape of the suite
 * catalog's entries, so the catalog can list it as it is.
 */
import { BEHAVIOURAL_CLONING_CLAIMS, BEHAVIOURAL_CLONING_FULL, BEHAVIOURAL_CLONING_QUICK, BEHAVIOURAL_CLONING_RULES } from "./claims";

export const BEHAVIOURAL_CLONING_RECIPE = { quick: BEHAVIOURAL_CLONING_QUICK, full: BEHAVIOURAL_CLONING_FULL, rules: BEHAVIOURAL_CLONING_RULES };

export const BEHAVIOURAL_CLONING_ENTRY = {
  notebook: "55_behavioural_cloning",
  title: "Behavioural cloning as distillation",
  method: "Behavioural cloning (hard and soft action targets) and cloning from observation (BCO)",
  papers: [
    { authors: "Torabi, Warnell & Stone", year: 2018, title: "Behavioral Cloning from Observation" },
    { authors: "Barto, Sutton & Anderson", year: 1983, title: "Neuronlike adaptive elements that can solve difficult learning control problems" },
    { authors: "Ross & Bagnell", year: 2010, title: "Efficient Reductions for Imitation Learning" },
  ],
  year: "2018",
  data: "cart-pole simulated from Barto et al.'s equations (force disturbance added)",
  models: "linear controller (expert) → 4-32-32-2 MLP policies; BCO inverse model 8-32-32-2",
  libModules: ["control/cartpole.ts", "control/expert.ts", "control/episodes.ts", "control/policy-network.ts", "control/cloning.ts", "control/bco.ts", "control/cloning-study.ts", "control/claims.ts"],
  recipe: BEHAVIOURAL_CLONING_RECIPE,
  comparisonRows: [],
  timeline: [{ year: 2018, method: "behavioural cloning from observation: imitation without the teacher's actions", paper: "Torabi, Warnell & Stone 2018" }],
  claims: BEHAVIOURAL_CLONING_CLAIMS,
  keyFigure: 0,
};
