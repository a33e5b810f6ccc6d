/**
 * `check` of a Service: every rule of the OpenAPI document and of api-facts.md that can be
 * decided without the API, each failure naming the property, the value and what is accepted.
 */
import type { ServiceInputs } from "./args";
import { fields, isOneOf, isRecord } from "../records";
import { checkTimeouts } from "../timeouts";
import { isUnknown } from "../unknown";
import { CheckFailure, isIpOrCidr, show, UUID, Validator } from "../validation";
import { normalSource } from "./diff";
import {
    ALL_REGIONS,
    BYOC_SIZES,
    DESIRED_STATES,
    INPUT_KEYS,
    MAX_USER_TAGS,
    NAME_PATTERN,
    PROVIDERS,
    RELEASE_CHANNELS,
    REPLICA_MEMORY,
    RESOURCE,
    SERVICE_CREATION_TAG_KEY,
    SERVICE_REGIONS,
    SHA1_HEX,
    SHA256_BASE64,
    TAG_PATTERN,
    TIERS,
} from "./properties";

/**
 * Validates the arguments of a service without calling the API: every rule of the OpenAPI
 * document and of api-facts.md that can be decided locally. Unknown (preview) values are skipped.
 * Returns the inputs unchanged: defaults are left to the API so they never diff against its choices.
 */
export function checkService(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
): { inputs: ServiceInputs; failures: CheckFailure[] } {
    void olds;
    const v = new Validator(RESOURCE, news);
    const known = (p: string) => (v.skip(p) ? undefined : v.value(p));

    v.knownKeys(undefined, INPUT_KEYS);
    v.string("name", { required: true, maxLength: 50 });
    const name = v.value("name");
    if (typeof name === "string" && !NAME_PATTERN.test(name))
        v.warn("name", `"name" is ${show(name)}; expected 1–50 characters without control characters or leading/trailing blanks.`);
    v.oneOf("provider", PROVIDERS, true);
    v.oneOf("region", ALL_REGIONS, true);
    const provider = known("provider");
    const region = known("region");
    if (isOneOf(PROVIDERS, provider) && isOneOf(ALL_REGIONS, region)) {
        const regions = SERVICE_REGIONS[provider];
        if (!regions.includes(region))
            v.fail(
                "region",
                `"region" is ${show(region)}, which is not a region of ${provider}; accepted for ${provider}: ${regions.join(", ")}.`,
            );
    }
    v.oneOf("tier", TIERS);
    const tier = known("tier");
    if (tier === "development" && provider === "azure")
        v.fail("tier", `"tier" is "development", which Azure services do not support; use another tier or provider aws or gcp.`);

    // Scaling
    v.number("minReplicaMemoryGb", REPLICA_MEMORY);
    v.number("maxReplicaMemoryGb", REPLICA_MEMORY);
    v.number("numReplicas", { min: 1, max: 20, integer: true });
    v.boolean("idleScaling");
    v.number("idleTimeoutMinutes", { min: 5, unit: "minutes" });
    const minMem = known("minReplicaMemoryGb");
    const maxMem = known("maxReplicaMemoryGb");
    if (typeof minMem === "number" && typeof maxMem === "number" && minMem > maxMem) {
        v.fail(
            "minReplicaMemoryGb",
            `"minReplicaMemoryGb" is ${minMem} GiB, more than "maxReplicaMemoryGb" (${maxMem} GiB); the minimum must be at most the maximum.`,
        );
    }
    if (known("idleTimeoutMinutes") !== undefined && known("idleScaling") === false) {
        v.fail(
            "idleTimeoutMinutes",
            `"idleTimeoutMinutes" is set but "idleScaling" is false; the idle timeout only applies with idleScaling true (remove one of them).`,
        );
    }
    v.oneOf("releaseChannel", RELEASE_CHANNELS);
    if (tier === "development") {
        for (const p of ["minReplicaMemoryGb", "maxReplicaMemoryGb", "numReplicas", "releaseChannel"]) {
            if (v.value(p) !== undefined && v.value(p) !== null) {
                v.fail(
                    p,
                    `"${p}" is ${show(v.value(p))}, but a "development" tier service has a fixed size and takes no memory, replica or release-channel settings; remove it or use tier "production".`,
                );
            }
        }
    }
    v.string("byocId", { minLength: 1 });
    if (known("byocId") !== undefined) {
        for (const p of ["minReplicaMemoryGb", "maxReplicaMemoryGb"]) {
            const mem = v.value(p);
            if (isUnknown(mem)) continue;
            if (typeof mem !== "number" || !BYOC_SIZES.includes(mem)) {
                v.fail(
                    p,
                    `"${p}" is ${mem === undefined ? "not set" : show(mem)}; with "byocId" both replica memory settings are required, each one of ${BYOC_SIZES.join(", ")} GiB.`,
                );
            }
        }
    }

    // Warehouse, backup, encryption
    v.string("dataWarehouseId", { minLength: 1 });
    v.boolean("isReadonly");
    if (known("isReadonly") === true && v.value("dataWarehouseId") === undefined) {
        v.fail(
            "isReadonly",
            `"isReadonly" is true but "dataWarehouseId" is not set; only a service joining an existing data warehouse can be read-only.`,
        );
    }
    v.string("backupId", { pattern: UUID, patternText: "a backup id (a UUID)" });
    if (v.value("encryptionKey") === "") v.warn("encryptionKey", `"encryptionKey" is an empty string; expected the ARN of a KMS key.`);
    else secretString(v, "encryptionKey", "a non-empty key");
    v.string("encryptionAssumedRoleIdentifier", { minLength: 1 });

    // Lists
    checkIpAccessList(v);
    v.array("privateEndpointIds", (path, id) => {
        if (typeof id !== "string") v.fail(path, `"${path}" is ${show(id)}; expected a private endpoint id (a non-empty string).`);
        else if (id === "") v.warn(path, `"${path}" is ${show(id)}; expected a private endpoint id (a non-empty string).`);
    });
    duplicates(v, "privateEndpointIds", (id) => String(id), "private endpoint id");
    checkTags(v);
    checkEndpoints(v);

    // State, password, timeouts, identity
    v.oneOf("state", DESIRED_STATES);
    checkPasswords(v);
    if (!v.skip("timeouts") && (typeof v.value("timeouts") !== "object" || Array.isArray(v.value("timeouts")))) {
        v.fail(
            "timeouts",
            `"timeouts" is ${show(v.value("timeouts"))}; expected an object like { create: "45m", update: "30m", delete: "30m" }.`,
        );
    } else checkTimeouts(v);
    v.string("organizationId", { pattern: UUID, patternText: "an organization id (a UUID)" });
    v.string("adoptServiceId", { pattern: UUID, patternText: "the id (a UUID) of an existing service" });

    // The engine uses these inputs only when there is no failure, that is when every rule above held.
    return { inputs: news as unknown as ServiceInputs, failures: v.failures };
}

/** A string whose value must never appear in a message. */
export function secretString(v: Validator, p: string, accepted: string): boolean {
    if (v.skip(p)) return false;
    const value = v.value(p);
    if (typeof value !== "string" || value === "") {
        v.fail(p, `"${p}" must be ${accepted}, got ${typeof value === "string" ? "an empty string" : `a ${typeof value}`}.`);
        return false;
    }
    return true;
}

export function checkPasswords(v: Validator): void {
    const has = (p: string) => v.value(p) !== undefined && v.value(p) !== null;
    secretString(v, "password", "a non-empty string");
    if (secretString(v, "passwordHash", "base64(sha256(password))")) {
        const hash = String(v.value("passwordHash"));
        if (!SHA256_BASE64.test(hash)) {
            v.fail(
                "passwordHash",
                `"passwordHash" (value hidden, ${hash.length} characters) is not base64(sha256(password)); expected 44 base64 characters ending in "=", e.g. from: echo -n "$PASSWORD" | sha256sum | xxd -r -p | base64.`,
            );
        }
    }
    if (secretString(v, "doubleSha1PasswordHash", "hex(sha1(sha1(password)))")) {
        const hash = String(v.value("doubleSha1PasswordHash"));
        if (!SHA1_HEX.test(hash)) {
            v.fail(
                "doubleSha1PasswordHash",
                `"doubleSha1PasswordHash" (value hidden, ${hash.length} characters) is not hex(sha1(sha1(password))); expected 40 hexadecimal digits.`,
            );
        }
    }
    if (has("password") && has("passwordHash")) {
        v.fail(
            "password",
            `"password" and "passwordHash" are both set; give one of them (the hash keeps the plaintext out of the program).`,
        );
    }
    if (has("doubleSha1PasswordHash") && !has("passwordHash")) {
        v.fail(
            "doubleSha1PasswordHash",
            `"doubleSha1PasswordHash" is set without "passwordHash"; the API ignores the MySQL hash unless passwordHash is given (with "password" both hashes are computed for you).`,
        );
    }
}

export function checkIpAccessList(v: Validator): void {
    v.array("ipAccessList", (path, entry) => {
        if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
            v.fail(path, `"${path}" is ${show(entry)}; expected { source: "<IP or CIDR>", description?: "<text>" }.`);
            return;
        }
        const e = fields(entry);
        for (const key of Object.keys(e)) {
            if (key !== "source" && key !== "description")
                v.fail(
                    `${path}.${key}`,
                    `unknown property "${path}.${key}"; accepted properties of an ipAccessList entry: source, description.`,
                );
        }
        if (isUnknown(e.source)) {
            // known at apply time
        } else if (typeof e.source !== "string" || !isIpOrCidr(e.source)) {
            v.fail(
                `${path}.source`,
                `"${path}.source" is ${show(e.source)}; expected an IPv4 or IPv6 address or CIDR block such as "203.0.113.7" or "10.0.0.0/8".`,
            );
        }
        if (e.description !== undefined && e.description !== null && !isUnknown(e.description) && typeof e.description !== "string") {
            v.fail(`${path}.description`, `"${path}.description" must be a string, got ${show(e.description)}.`);
        }
    });
    duplicates(v, "ipAccessList", (e) => (isRecord(e) ? normalSource(e.source) : undefined), "source");
}

export function checkTags(v: Validator): void {
    v.array(
        "tags",
        (path, tag) => {
            if (tag === null || typeof tag !== "object" || Array.isArray(tag)) {
                v.fail(path, `"${path}" is ${show(tag)}; expected { key: "<key>", value?: "<value>" }.`);
                return;
            }
            const t = fields(tag);
            for (const key of Object.keys(t)) {
                if (key !== "key" && key !== "value")
                    v.fail(`${path}.${key}`, `unknown property "${path}.${key}"; accepted properties of a tag: key, value.`);
            }
            if (!isUnknown(t.key)) {
                if (typeof t.key !== "string" || t.key.length < 1 || t.key.length > 128 || !TAG_PATTERN.test(t.key)) {
                    v.fail(`${path}.key`, `"${path}.key" is ${show(t.key)}; expected 1–128 letters, digits, ".", "_" or "-".`);
                } else if (t.key === SERVICE_CREATION_TAG_KEY) {
                    v.fail(
                        `${path}.key`,
                        `"${path}.key" is "${SERVICE_CREATION_TAG_KEY}", which this provider reserves for finding interrupted creates; use another key.`,
                    );
                }
            }
            if (t.value !== undefined && t.value !== null && !isUnknown(t.value)) {
                if (typeof t.value !== "string" || t.value.length < 1 || t.value.length > 256 || !TAG_PATTERN.test(t.value)) {
                    v.fail(
                        `${path}.value`,
                        `"${path}.value" is ${show(t.value)}; expected 1–256 letters, digits, ".", "_" or "-" (omit "value" for a key-only tag).`,
                    );
                }
            }
        },
        { maxItems: MAX_USER_TAGS },
    );
    duplicates(v, "tags", (t) => (isRecord(t) ? t.key : undefined), "key");
}

export function checkEndpoints(v: Validator): void {
    v.array("endpoints", (path, entry) => {
        if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
            v.fail(path, `"${path}" is ${show(entry)}; expected { protocol: "mysql", enabled: true | false }.`);
            return;
        }
        const e = fields(entry);
        for (const key of Object.keys(e)) {
            if (key !== "protocol" && key !== "enabled")
                v.fail(`${path}.${key}`, `unknown property "${path}.${key}"; accepted properties of an endpoint: protocol, enabled.`);
        }
        if (!isUnknown(e.protocol) && e.protocol !== "mysql") {
            v.fail(
                `${path}.protocol`,
                `"${path}.protocol" is ${show(e.protocol)}; only "mysql" can be switched (https and nativesecure are always on).`,
            );
        }
        if (!isUnknown(e.enabled) && typeof e.enabled !== "boolean") {
            v.fail(`${path}.enabled`, `"${path}.enabled" is ${show(e.enabled)}; expected true or false.`);
        }
    });
    duplicates(v, "endpoints", (e) => (isRecord(e) ? e.protocol : undefined), "protocol");
}

/** Fails when two known entries of a list share the same identifying value. */
export function duplicates(v: Validator, property: string, idOf: (entry: unknown) => unknown, what: string): void {
    const list = v.value(property);
    if (!Array.isArray(list)) return;
    const seen = new Set<string>();
    for (const entry of list) {
        const id = idOf(entry);
        if (id === undefined || isUnknown(id) || isUnknown(entry)) continue;
        const text = String(id);
        if (seen.has(text)) v.warn(property, `"${property}" lists ${what} ${show(id)} more than once; each ${what} may appear once.`);
        seen.add(text);
    }
}
