/**
 * How a key's budget adapts to the others using it from elsewhere (another machine, the
 * console, a script), who show up only as 429 answers. After one, every process sharing the
 * budget pauses until the server's reset time (`X-RateLimit-Reset`), and the budget is halved
 * (at most once per window); it grows back by one request per {@link RECOVER_WINDOWS} windows
 * without a 429, up to the configured limit. A burst into an idle window starts slowly: at most
 * `SLOW_START` (./rateLimit.ts) requests in flight until a budget's worth of answers has come back
 * without a 429. What is refused when an unknown user of the key has filled the window is what
 * was in flight when it filled, so the first contact costs a couple of refusals rather than a
 * whole window of them. The ten creates of a burst take five round trips instead of one:
 * milliseconds on the emulator, a few seconds on the real API, against minutes of provisioning.
 *
 * These functions update the budget state (under the lock when it is shared); the pause itself
 * and the in-flight cap are applied where slots are handed out (./slots.ts).
 */
import type { RateLimit } from "./rateLimit";
import type { BudgetState } from "./sharedBudget";

/** After a 429 the budget is multiplied by this (at most once per window), down to 1. */
export const DECREASE = 0.5;
/** The learned budget grows back by one request per this many windows without a 429. */
export const RECOVER_WINDOWS = 3;

/**
 * The budget learned from 429s, in requests per window: halved after a 429 (`throttled`, at most
 * once per window, which also ends slow start), one more per {@link RECOVER_WINDOWS} windows.
 */
export function learnedBudget(s: BudgetState, now: number, limit: RateLimit, throttled: boolean): number {
    const W = limit.windowMs;
    const N = limit.requests;
    if (throttled) {
        if (!s.b || now - s.b.cut >= W) {
            const current = Math.min(N, s.b?.n ?? N);
            s.b = { n: Math.max(1, Math.floor(current * DECREASE)), at: now, cut: now };
        }
        delete s.ss;
    }
    if (s.b) {
        const step = RECOVER_WINDOWS * W;
        while (s.b.n < N && now - s.b.at >= step) {
            s.b.n++;
            s.b.at += step;
        }
        if (s.b.n >= N) delete s.b;
    }
    return Math.min(N, s.b?.n ?? N);
}

/**
 * Slow start into an idle window: begins when a burst (`waiting`) meets an empty, unpaused
 * window, and ends once `budget` answers (without a 429) have come back.
 */
export function advanceSlowStart(s: BudgetState, now: number, budget: number, waiting: boolean, answers: number): void {
    if (s.ss === undefined && s.g.length === 0 && waiting && s.p <= now) s.ss = budget;
    if (s.ss !== undefined) s.ss -= answers;
    if (s.ss !== undefined && s.ss <= 0) delete s.ss;
}
