/**
 * Helpers of the ClickPipe checks for the nested parts of a pipe's inputs: a credentials object
 * with exactly its keys, each object of a list checked with its own Validator and its failures
 * reported under `list[i].field`, and a field that must not be set. Used by the per-source-kind
 * checks (./sourceChecks.ts) and by the destination and field-mapping checks (./check.ts).
 */
import { show, Validator } from "../validation";
import { RESOURCE } from "./properties";
import { isObject } from "./values";

/** A credentials object with exactly `keys`, each a non-empty string. */
export function requireCredentials(v: Validator, path: string, keys: string[], because: string): void {
    // The spec's credential objects require no field: a missing one is warned about, a wrong kind refused.
    const missing = (p: string) => v.value(p) === undefined || v.value(p) === null || v.value(p) === "";
    if (missing(path)) return v.warn(path, `"${path}" is not set; expected { ${keys.join(", ")} } ${because}.`);
    if (v.skip(path)) return;
    if (!isObject(v.value(path))) {
        v.fail(path, `"${path}" must be an object { ${keys.join(", ")} } ${because}.`);
        return;
    }
    v.knownKeys(path, keys);
    for (const k of keys) {
        if (missing(`${path}.${k}`)) v.warn(`${path}.${k}`, `"${path}.${k}" is not set; expected a string ${because}.`);
        else v.string(`${path}.${k}`);
    }
}

/**
 * Validates each object of a list with its own Validator (the shared one resolves dotted paths,
 * not `[i]` indices), then reports the failures under `list[i].field`.
 */
export function eachItem(v: Validator, list: string, checkItem: (item: Validator) => void): void {
    v.array(list, (path, item) => {
        if (!isObject(item)) {
            v.fail(path, `"${path}" must be an object, got ${show(item)}.`);
            return;
        }
        const iv = new Validator(RESOURCE, item);
        checkItem(iv);
        for (const f of iv.failures) {
            v.failures.push({
                property: `${path}.${f.property}`,
                reason: f.reason.split(`"${f.property}"`).join(`"${path}.${f.property}"`),
            });
        }
    });
}

/** Warns when `path` is set, which it must not be `because` (e.g. "for authentication IAM_ROLE"). */
export function forbid(v: Validator, path: string, because: string): void {
    if (v.value(path) !== undefined && v.value(path) !== null) v.warn(path, `"${path}" must not be set ${because}.`);
}
