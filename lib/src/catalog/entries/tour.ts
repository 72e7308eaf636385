/** Notebook 00: a tour of the backends, the data sets and softmax with temperature. It reproduces no paper: its checks are code checks. */
import type { CatalogEntry } from "../types";
import { recipe } from "../types";
import * as R from "../rules";

export const TOUR_RECIPE = recipe({
  quick: { seed: 0, logits: [1.0, -1.5, 9.0, 4.0, -2.0, 0.5, 1.5, 5.0, 2.5, -0.5], temperatures: [0.5, 1, 2, 5, 20], examplesPerClass: 1 },
  rules: {
    seed: R.seed(),
    logits: { min: -1000, max: 1000, minLength: 2, what: "the example logit vector" },
    temperatures: R.temperatures(),
    examplesPerClass: R.size("example images per class", 20),
  },
});

export const TOUR_ENTRIES: CatalogEntry[] = [
  {
    notebook: "00_tour",
    title: "A tour: backends, data sets, softmax with temperature",
    method: "Tour: backends, data sets, softmax with temperature",
    papers: [],
    year: "-",
    data: "Fashion-MNIST, MNIST digits",
    models: "-",
    libModules: ["core/backend.ts", "distillation/temperature.ts"],
    recipe: TOUR_RECIPE,
    comparisonRows: [],
    timeline: [],
    keyFigure: 0,
    claims: [],
  },
];
