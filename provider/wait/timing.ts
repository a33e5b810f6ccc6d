/**
 * Polling intervals from the environment ({@link pollTiming}) and the duration format of
 * progress lines and messages ({@link formatDuration}); shared by the service poller and
 * {@link ../waitFor}.
 */
/**
 * Polling intervals; env `CLICKHOUSE_POLL_MIN_MS` (default 1000), `CLICKHOUSE_POLL_MAX_MS`
 * (default 10000) and `CLICKHOUSE_POLL_GROWTH` (default 1.1).
 */
export interface PollTiming {
    minMs: number;
    maxMs: number;
    /** Factor applied to the interval after each tick that saw no change. @default 1.1 */
    growth?: number;
    /** Minimum time between two progress messages of one waiter. */
    progressEveryMs: number;
}

export const DEFAULT_GROWTH = 1.1;

/** Current timing from the environment. */
export function pollTiming(env: NodeJS.ProcessEnv = process.env): PollTiming {
    const num = (name: string, d: number) => {
        const v = env[name];
        const n = v === undefined || v === "" ? d : Number(v);
        return Number.isFinite(n) && n >= 0 ? n : d;
    };
    const minMs = num("CLICKHOUSE_POLL_MIN_MS", 1000);
    const maxMs = Math.max(minMs, num("CLICKHOUSE_POLL_MAX_MS", 10_000));
    return {
        minMs,
        maxMs,
        growth: Math.max(1, num("CLICKHOUSE_POLL_GROWTH", DEFAULT_GROWTH)),
        progressEveryMs: num("CLICKHOUSE_PROGRESS_EVERY_MS", 10_000),
    };
}

/** `75_000` → `1m15s`; `1_200_000` → `20m`. */
export function formatDuration(ms: number): string {
    let s = Math.max(0, Math.round(ms / 1000));
    const h = Math.floor(s / 3600);
    s -= h * 3600;
    const m = Math.floor(s / 60);
    s -= m * 60;
    if (h) return `${h}h${m ? m + "m" : ""}`;
    if (m) return `${m}m${s ? s + "s" : ""}`;
    return `${s}s`;
}
