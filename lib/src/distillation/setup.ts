/**
 * The shared start of notebooks 01–05 (Hinton, Vinyals & Dean 2015): pick the backend, load the data the
 * teacher recipe names, and train the recipe's teacher or load it from the teacher cache (notebook 02
 * trains it first; 01, 03, 04 and 05 reuse it). One function, so the five notebooks cannot drift apart.
 */
import { initBackend } from "../core/backend";
import { showBackendBanner, showMarkdown } from "../core/display";
import { evaluateClassifier } from "../core/evaluate";
import type { Mlp } from "../core/models";
import type { HintonTeacherParams } from "../catalog/hinton-teacher";
import { sectionTeacher } from "./mnist-experiment";
import { loadExperimentData, type ExperimentData, type ImageSource } from "./transfer";

export interface HintonSetup {
  data: ExperimentData;
  teacher: Mlp;
  teacherScores: { errors: number; accuracy: number };
  teacherFromCache: boolean;
}

/** Backend, data and teacher for a notebook of the Hinton series; shows one line describing them. */
export async function hintonSetup(P: HintonTeacherParams, opts: { show?: boolean } = {}): Promise<HintonSetup> {
  await initBackend();
  showBackendBanner();
  const data = loadExperimentData({ source: P.source as ImageSource, trainSize: P.trainSize, testSize: P.testSize, imageSize: P.imageSize, seed: P.seeds[0] });
  const t = await sectionTeacher(data, P);
  const scores = evaluateClassifier(t.net, data.testX, data.test.labels);
  if (opts.show !== false) {
    showMarkdown(`**Data**: ${data.name}, ${data.train.n} training and ${data.test.n} test images at ${P.imageSize}×${P.imageSize}. **Teacher**: ${t.net.describe()}, ${scores.errors} test errors (${(100 * (1 - scores.accuracy)).toFixed(1)}%)${t.fromCache ? ", loaded from the teacher cache (trained earlier with the same recipe, data and seed)" : ", trained now and saved to the teacher cache"}.`);
  }
  return { data, teacher: t.net, teacherScores: { errors: scores.errors, accuracy: scores.accuracy }, teacherFromCache: t.fromCache };
}
