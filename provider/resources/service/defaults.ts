/**
 * What removing a Service argument means. Left out from the start, an optional argument is not
 * managed: the service keeps whatever it has. Set by an earlier run and then removed from the
 * program, an argument with a default the API documents, and that the provider can apply in
 * place, goes back to that default, as a person who deletes the line expects: `state` (running),
 * `releaseChannel` ("default"), `endpoints` (MySQL off) and `tags` (none of yours).
 *
 * The others stay as they are when removed: `idleScaling` and the replica settings (a
 * `ServiceScaling` resource may take them over; the API picks the memory and replica defaults
 * per organization), `privateEndpointIds` (a `PrivateEndpoint` resource may own the attachment),
 * `ipAccessList` (no documented default; an empty list would lock everyone out), the replacing
 * arguments (`tier`, `dataWarehouseId`, ...: going back would delete the service and its data)
 * and the password (the current one stays).
 */

import { fields } from "../records";

/** The API's default of each argument that returns to it on removal, in the shape of the argument. */
export const SERVICE_DEFAULTS_ON_REMOVAL: Readonly<Record<string, unknown>> = {
    state: "running",
    releaseChannel: "default",
    endpoints: [{ protocol: "mysql", enabled: false }],
    tags: [],
};

/**
 * `news` with the default of every argument of {@link SERVICE_DEFAULTS_ON_REMOVAL} that the
 * previous run set (the recorded `__inputKeys` of `olds`, the outputs) and this run leaves out.
 * Only `diff` and the converge of `update` see the result; the outputs keep recording the
 * arguments as written, so the argument is unmanaged again after this run.
 */
export function withRemovedDefaults<T extends object>(olds: object, news: T): T {
    const before = fields(olds);
    const given = fields(news);
    const setBefore: unknown[] = Array.isArray(before.__inputKeys) ? before.__inputKeys : [];
    let out: Record<string, unknown> | undefined;
    for (const [key, value] of Object.entries(SERVICE_DEFAULTS_ON_REMOVAL)) {
        if (!setBefore.includes(key) || (given[key] !== undefined && given[key] !== null)) continue;
        out ??= { ...given };
        out[key] = value;
    }
    // The same arguments, with defaults (of each argument's own type) where an earlier run's were removed.
    return out ? (out as T) : news;
}
