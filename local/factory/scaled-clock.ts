// Time compression for the local factory: one factor scales everything the factory controls, so
// a 60 s WaitForCI and the handlers' own wall-clock decisions (CI timeout and no-CI grace measured
// from $.pr.openedAt, the merge's mergeability pauses) stay consistent with each other. The
// execution settings keep their configured values (comments read "30 minutes", not "3.6 s").
import type { Clock } from "../../handlers/shared/types";

/**
 * A clock whose time runs 1/scale times faster than the wall clock from `origin` on, and whose
 * sleeps last scale times as long. scale 1 is the system clock.
 */
export function createScaledClock(scale: number, origin: number = Date.now()): Clock {
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new Error(`time scale must be a number > 0 (1 = real time), got ${scale}`);
  }
  return {
    now: () => (scale === 1 ? Date.now() : origin + (Date.now() - origin) / scale),
    sleep: (ms: number) =>
      new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.round(ms * scale)))),
  };
}
