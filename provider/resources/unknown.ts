/**
 * The preview placeholder: the value the engine sends during preview for an input that is not
 * known yet, and the test for it anywhere inside a value, which check rules, diffs and output
 * builders ask before they read a value. Pure functions only.
 */

/** The value the engine sends during preview for inputs that are not known yet. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when `value` is, or contains anywhere, a preview placeholder. */
export function isUnknown(value: unknown): boolean {
    if (value === UNKNOWN) return true;
    if (Array.isArray(value)) return value.some(isUnknown);
    if (value !== null && typeof value === "object") return Object.values(value).some(isUnknown);
    return false;
}
