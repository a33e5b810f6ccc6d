import { createHash, randomBytes, randomUUID } from "crypto";
import { badRequest } from "./errors";

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (s: string) => UUID_RE.test(s);
export const newId = () => randomUUID();

/** Path ids must be UUIDs: a malformed one is a client error (400), an unknown well-formed one is 404. */
export function requireUuid(name: string, value: string): string {
    if (!isUuid(value)) throw badRequest(`request path.${name}: The value must be a valid UUID <string:${value}>`);
    return value.toLowerCase();
}

/** A UUID derived from a seed, so synthesized objects (backups) keep their id between requests. */
export function stableUuid(seed: string): string {
    const h = createHash("sha256").update(seed).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${"89ab"[parseInt(h[16], 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
export function randomString(length: number, alphabet = ALNUM): string {
    const bytes = randomBytes(length);
    let s = "";
    for (let i = 0; i < length; i++) s += alphabet[bytes[i] % alphabet.length];
    return s;
}

/** A password shaped like the real generated ones: 16 characters with mixed case, digits and a symbol. */
export function generatePassword(): string {
    const body = randomString(14, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
    return `${body.slice(0, 7)}~${body.slice(7)}${randomString(1, "0123456789")}`;
}

/** The API's password hashes: one definition with the provider's (provider/api/catalog.ts). */
export { mysqlDoubleSha1Hash as doubleSha1Hex, sha256PasswordHash as sha256Base64 } from "../provider/api/catalog";
