/**
 * Progress of an experiment grid (arms × learning rates × seeds): each run's label gains "run k/N" and an
 * ETA from the runs computed so far, so the trainer's progress line (and `npm run reproduce`'s terminal
 * line, which shows it) says where a long run is and how long it has left. Runs loaded from the run cache
 * count as done but not in the time per run.
 */
export class GridClock {
  private done = 0;
  private computed = 0;
  private seconds = 0;

  constructor(readonly total: number) {
    if (!Number.isInteger(total) || total < 1) throw new Error(`a grid needs a whole number ≥ 1 of runs, got ${total}`);
  }

  /** Seconds left, from the mean computed run; null before the first computed run. */
  etaSeconds(): number | null {
    return this.computed ? (this.seconds / this.computed) * (this.total - this.done) : null;
  }

  /** "hard labels seed 1 · run 4/12 · ETA 3 min". */
  label(text: string): string {
    const eta = this.etaSeconds();
    const etaText = eta === null ? "" : ` · ETA ${eta < 120 ? `${Math.round(eta)} s` : `${Math.round(eta / 60)} min`}`;
    return `${text} · run ${Math.min(this.done + 1, this.total)}/${this.total}${etaText}`;
  }

  /** Record a finished run: its seconds when computed now, or fromCache. */
  finish(seconds: number, fromCache: boolean): void {
    this.done++;
    if (!fromCache) {
      this.computed++;
      this.seconds += seconds;
    }
  }
}
