/**
 * Between the API's service object, the recorded outputs and the inputs: outputs carry the
 * input-shaped values `diff` compares and the secrets the API never returns; `read` rebuilds the
 * inputs from them so a refresh shows only real drift.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Service as ApiService } from "../../api/types";
import { CREATION_KEY, OWNER_KEY } from "../hidden";
import { compact, fields } from "../records";
import { isUnknown } from "../unknown";
import { IMPORTED_KEY } from "../importId";
import type { ServiceArgs, ServiceInputs, ServiceOutputs } from "./args";
import { comparableOutputs, isCreationTag } from "./diff";
import { API_FIELDS, INPUT_KEYS, INPUT_ONLY_KEYS, REPLACING_KEYS, SECRET_OUTPUTS, ServiceArgumentKey } from "./properties";

/** What the outputs keep that the API does not return. */
export interface Kept {
    password?: string;
    passwordHash?: string;
    doubleSha1PasswordHash?: string;
}

/**
 * Outputs from an API service object: every API field, input values where the API has none
 * (tier, encryption, warehouse settings the API may omit), the input-only settings and the kept
 * secrets. `src` is the inputs (create, update) or the previous outputs (read).
 */
export function outputsFrom(
    svc: ApiService,
    from: Partial<ServiceInputs> | Partial<ServiceOutputs>,
    kept: Kept,
    organizationId: string,
): ServiceOutputs {
    const src = fields(from);
    const api = fields(svc);
    const out: Record<string, unknown> = {};
    for (const f of API_FIELDS) {
        if (api[f] !== undefined) out[f] = api[f];
    }
    if (Array.isArray(svc.tags)) out.tags = svc.tags.filter((t) => !isCreationTag(t));
    for (const f of ["tier", "encryptionAssumedRoleIdentifier", "byocId", "dataWarehouseId", "isReadonly"]) {
        if (out[f] === undefined && src[f] !== undefined && !isUnknown(src[f])) out[f] = src[f];
    }
    // The key as given: an API that masks it must not look like a change (which would replace).
    if (src.encryptionKey !== undefined) out.encryptionKey = src.encryptionKey;
    out.__replacingInputs = isPlainObject(src.__replacingInputs) ? src.__replacingInputs : replacingInputsOf(src);
    for (const f of ["backupId", "timeouts", "adoptServiceId", CREATION_KEY, OWNER_KEY, IMPORTED_KEY]) {
        if (src[f] !== undefined && !isUnknown(src[f])) out[f] = src[f];
    }
    out.organizationId = organizationId;
    out.__inputKeys = Array.isArray(src.__inputKeys) ? src.__inputKeys : inputKeysOf(src);
    // The shape is the table's: every API field, then the input-only arguments.
    return compact({ ...out, ...kept }) as ServiceOutputs;
}

/** A JSON object (not an array, not null). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The replacing settings the user wrote (the encryption key is kept in its own secret output). */
export function replacingInputsOf(inputs: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of REPLACING_KEYS) {
        if (k !== "encryptionKey" && inputs[k] !== undefined && inputs[k] !== null && !isUnknown(inputs[k])) out[k] = inputs[k];
    }
    return out;
}

/** The arguments the user set, so `read` can rebuild the inputs. */
export function inputKeysOf(inputs: Record<string, unknown>): string[] {
    return INPUT_KEYS.filter((k) => inputs[k] !== undefined && inputs[k] !== null);
}

/**
 * The inputs as the user wrote them, with the API's current values for every setting the user
 * manages: after a refresh, a real drift shows as a diff and nothing else does. Secrets and
 * input-only settings come from the previous outputs.
 */
export function inputsFrom(recorded: ServiceOutputs, keys: readonly string[]): ServiceInputs {
    const outs = fields(recorded);
    const c = comparableOutputs(outs);
    const inputs: Record<string, unknown> = {};
    for (const k of keys) {
        if (!isArgument(k)) continue;
        const value = INPUT_ONLY_KEYS.includes(k) ? outs[k] : c[k];
        if (value !== undefined) inputs[k] = value;
    }
    for (const k of [CREATION_KEY, OWNER_KEY]) if (outs[k] !== undefined) inputs[k] = outs[k];
    // The recorded arguments, as the user wrote them (name, provider and region are always set).
    return inputs as unknown as ServiceInputs;
}

/** The arguments an imported service's outputs record as set: the required ones (see {@link importedInputsOf}). */
export const IMPORTED_INPUT_KEYS = ["name", "provider", "region"] as const;

/**
 * The inputs that reproduce a service the API reports, for `pulumi import`: the required
 * arguments, every setting the API reports that an argument can set, and the optional ones only
 * where they differ from what leaving them out means (a stopped state, MySQL on, tags). No
 * password: the API never returns it, and none is invented (a program's password is recorded
 * by the first update, see {@link IMPORTED_KEY}).
 */
export function importedInputsOf(outs: ServiceOutputs): ServiceInputs {
    const c = comparableOutputs(fields(outs));
    const inputs: Record<string, unknown> = {};
    const keys = [
        "name",
        "provider",
        "region",
        "tier",
        "ipAccessList",
        "minReplicaMemoryGb",
        "maxReplicaMemoryGb",
        "numReplicas",
        "idleScaling",
        "idleTimeoutMinutes",
        "releaseChannel",
        "encryptionAssumedRoleIdentifier",
        "byocId",
    ];
    for (const k of keys) if (c[k] !== undefined && c[k] !== null) inputs[k] = c[k];
    if (Array.isArray(c.tags) && c.tags.length > 0) inputs.tags = c.tags;
    if (Array.isArray(c.privateEndpointIds) && c.privateEndpointIds.length > 0) inputs.privateEndpointIds = c.privateEndpointIds;
    if (Array.isArray(c.endpoints) && c.endpoints.some((e: { enabled?: boolean }) => e?.enabled)) inputs.endpoints = c.endpoints;
    if (c.state === "stopped") inputs.state = "stopped";
    // A secondary service of a warehouse, or a read-only one, is one only by its creation arguments.
    if (outs.isPrimary === false && typeof c.dataWarehouseId === "string") inputs.dataWarehouseId = c.dataWarehouseId;
    if (c.isReadonly === true) inputs.isReadonly = true;
    return inputs as unknown as ServiceInputs;
}

/**
 * The secret arguments (password, its hashes, the encryption key) marked secret, so that neither
 * the state's inputs, nor `preview --diff`, nor the engine's check messages show them when the
 * program passes plain strings (for example read from its environment).
 */
export function secretInputs(args: ServiceArgs): Record<string, pulumi.Input<unknown>> {
    const out: Record<string, pulumi.Input<unknown>> = {};
    const given = fields(args);
    for (const key of SECRET_OUTPUTS) {
        const value = given[key];
        if (value !== undefined && value !== null) out[key] = pulumi.secret(value);
    }
    return out;
}

function isArgument(k: string): k is ServiceArgumentKey {
    return (INPUT_KEYS as readonly string[]).includes(k);
}
