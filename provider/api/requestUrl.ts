/**
 * How a call's path and query become the URL the client sends: every path segment encoded (an
 * id can never change which resource a request names, and a dot segment is refused), the query
 * string built from the defined parameters only.
 */
import type { RequestOptions } from "./clientOptions";

/** `p` with a leading slash. */
export function ensureSlash(p: string): string {
    return p.startsWith("/") ? p : "/" + p;
}

/**
 * Encodes every segment of a path, so an id never changes the path's shape (`?`, `#`, `%`,
 * spaces stay inside their segment). A segment a caller already encoded is decoded first, so it
 * is not encoded twice. A dot segment is refused: URL parsers resolve `..` and `%2e%2e` alike.
 */
export function encodePath(p: string): string {
    return p
        .split("/")
        .map((s, i) => (i === 0 && s === "" ? s : encodeSegment(decodeOnce(s))))
        .join("/");
}

function decodeOnce(s: string): string {
    try {
        return decodeURIComponent(s);
    } catch {
        return s;
    }
}

/** One path segment, encoded; `.` and `..` are refused. */
export function encodeSegment(s: string): string {
    if (s === "." || s === "..")
        throw new Error(`clickhouse: refusing to send a request whose path segment is ${JSON.stringify(s)}; an id cannot be "." or ".."`);
    return encodeURIComponent(s);
}

/** `?k=v&…` of the parameters that are set, or `""`. */
export function queryString(q: RequestOptions["query"]): string {
    if (!q) return "";
    const entries = Object.entries(q).filter(([, v]) => v !== undefined) as [string, string | number | boolean][];
    if (entries.length === 0) return "";
    return "?" + entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join("&");
}
