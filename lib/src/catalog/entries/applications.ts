/**
 * Two relatives of distillation beyond classifiers on images: a graph network distilled into an MLP
 * (notebook 06, Zhang et al. 2022) and behavioural cloning, with and without the teacher's actions
 * (notebook 55, Torabi et al. 2018). The entries are data kept beside their code (graph/catalog-entry.ts,
 * control/catalog-entry.ts); catalog.ts lists them from here, with their recipes by notebook.
 */
import type { CatalogEntry } from "../types";
import { GRAPH_DISTILLATION_ENTRY, GRAPH_DISTILLATION_RECIPE } from "../../graph/catalog-entry";
import { BEHAVIOURAL_CLONING_ENTRY, BEHAVIOURAL_CLONING_RECIPE } from "../../control/catalog-entry";

export const APPLICATION_ENTRIES: CatalogEntry[] = [GRAPH_DISTILLATION_ENTRY, BEHAVIOURAL_CLONING_ENTRY];
export { GRAPH_DISTILLATION_RECIPE, BEHAVIOURAL_CLONING_RECIPE };
