/**
 * What the program checks once per run, in its own process, before the first resource of this
 * package registers: a `clickhouse:` configuration key the provider does not know (a typo would
 * otherwise be ignored silently), and during a preview the credentials, which nothing else in a
 * preview would use, so wrong ones used to pass every preview and fail only at `up`.
 *
 * The credential check costs at most one request per preview, `GET /v1/organizations/{id}`, and
 * none at all when the credentials are missing or invalid locally (the same message as `up`
 * then). A 401 or 403 fails the preview with the message `up` would give; a network or server
 * error only warns, since `up` will try again. The preview `pulumi up` shows before it asks makes
 * the same one request; the update itself, `up --skip-preview`, `refresh` and `destroy` make none.
 */
import * as pulumi from "@pulumi/pulumi";
import { ApiClient } from "./api/client";
import { isApiError } from "./api/errors";
import { CONFIG_KEYS, ConfigError, resolveConfig } from "./config";

/** The unknown `clickhouse:` keys of `config`, each with the accepted key it most likely meant. */
export function unknownConfigKeys(config: Record<string, unknown>): Array<{ key: string; meant?: string }> {
    const out: Array<{ key: string; meant?: string }> = [];
    for (const key of Object.keys(config).sort()) {
        if (!key.startsWith("clickhouse:") || CONFIG_KEYS.includes(key)) continue;
        out.push({ key, meant: nearest(key) });
    }
    return out;
}

/** The warning for {@link unknownConfigKeys}, or undefined when there are none. */
export function unknownConfigKeysWarning(config: Record<string, unknown>): string | undefined {
    const unknown = unknownConfigKeys(config);
    if (unknown.length === 0) return undefined;
    const listed = unknown.map((u) => `"${u.key}"${u.meant ? ` (did you mean "${u.meant}"?)` : ""}`).join(", ");
    return (
        `pulumi-clickhouse-cloud: unknown configuration key${unknown.length === 1 ? "" : "s"} ${listed}, ignored. ` +
        `The provider reads ${CONFIG_KEYS.join(", ")}.`
    );
}

/** The accepted key closest to `key` (case-insensitive, at most two edits apart), if any. */
function nearest(key: string): string | undefined {
    let best: { key: string; distance: number } | undefined;
    for (const candidate of CONFIG_KEYS) {
        const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
        if (distance <= 2 && (!best || distance < best.distance)) best = { key: candidate, distance };
    }
    return best?.key;
}

function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}

/**
 * Resolves when the credentials of the running program work, rejects with the message `up`
 * would give when they are missing, invalid, or refused with 401/403; warns and resolves on any
 * other failure. One `GET /v1/organizations/{id}`, with few retries so a preview is not held up.
 */
export async function checkCredentials(getConfig: (key: string) => string | undefined, env: NodeJS.ProcessEnv): Promise<void> {
    const cfg = resolveConfig({ get: getConfig }, env);
    try {
        await new ApiClient(cfg, { maxRetries: 2, retryBudgetMs: 5_000, max429Retries: 3 }).get("");
    } catch (e) {
        if (isApiError(e) && (e.status === 401 || e.status === 403)) throw e;
        void pulumi.log.warn(
            `pulumi-clickhouse-cloud: could not check the credentials during the preview (${(e as Error).message}); "pulumi up" will use them as they are.`,
        );
    }
}

const RUNS = Symbol.for("pulumi-clickhouse-cloud.preflight");

/**
 * Runs the checks once per engine run (`run` identifies it) and returns, for the first resource
 * of that run during a preview, an input that resolves to nothing once the credentials are
 * checked and fails the preview (a `RunError`, printed without a stack trace) when they do not work.
 */
export function preflight(run: object): pulumi.Output<undefined> | undefined {
    const g = globalThis as unknown as Record<symbol, WeakSet<object> | undefined>;
    const seen = (g[RUNS] ??= new WeakSet<object>());
    if (seen.has(run)) return undefined;
    seen.add(run);
    const warning = unknownConfigKeysWarning(pulumi.runtime.allConfig());
    if (warning) void pulumi.log.warn(warning);
    if (!pulumi.runtime.isDryRun()) return undefined;
    const checked = checkCredentials((key) => pulumi.runtime.getConfig(key), process.env).then(
        () => undefined,
        (e: unknown) => {
            const message = e instanceof ConfigError || isApiError(e) ? e.message : String((e as Error)?.message ?? e);
            // Unhandled on purpose: the SDK reports a RunError by its message alone and fails the run.
            void Promise.reject(new pulumi.RunError(message));
            return undefined;
        },
    );
    return pulumi.output(checked);
}
