import type { ClickPipe, ClickPipeMutateDestination, ClickPipePostSource } from "../provider/api/types";
import { Handler } from "./context";
import { Core } from "./core";
import { badRequest, failedDependency } from "./errors";
import { newId, requireUuid } from "./ids";
import { entriesOf, isObject, JsonObject, member } from "./json";
import * as S from "./schemas";
import { PipeRecord } from "./store";
import { validate } from "./validation";

/** Fields of each source that are credentials: accepted on POST/PATCH, kept aside, never returned (spec, tf). */
const SECRET_FIELDS = ["credentials", "accessKey", "serviceAccountKey", "connectionString"];
const DATABASE_SOURCES: readonly string[] = ["postgres", "mysql", "bigquery", "mongodb"];

function requireRunning(core: Core, serviceId: string, action: "creation" | "update") {
    const svc = core.service(serviceId);
    // HTTP 424 with the real message (api-facts, from a public issue); the update wording is inferred.
    if (svc.state !== "running")
        throw failedDependency(`ClickPipe ${action} is allowed only when the ClickHouse service is running. Current state: ${svc.state}`);
}

/** Splits a source object into what is returned and the write-only secrets. */
function splitSecrets(source: object, secrets: JsonObject, prefix: string): JsonObject {
    const out: JsonObject = {};
    for (const [k, v] of entriesOf(source)) {
        if (SECRET_FIELDS.includes(k)) secrets[`${prefix}.${k}`] = v;
        else if (k === "schemaRegistry" && v && typeof v === "object") {
            const { credentials, ...rest }: { credentials?: unknown } = v;
            if (credentials !== undefined) secrets[`${prefix}.schemaRegistry.credentials`] = credentials;
            out[k] = rest;
        } else out[k] = v;
    }
    return out;
}

/** The one source of a request: its kind and its object. */
function theSource(source: ClickPipePostSource): { kind: S.PipeSourceKind; given: object } {
    const given = S.PIPE_SOURCE_KINDS.flatMap((kind) => {
        const v = source[kind];
        return v !== undefined && v !== null ? [{ kind, given: v }] : [];
    });
    if (given.length !== 1)
        throw badRequest(
            `request body.source: Exactly one source must be set, found ${given.length}${given.length ? ` (${given.map((g) => g.kind).join(", ")})` : ""}`,
        );
    return given[0];
}

/** "Note that all destination columns must be included in the mappings" (spec); mappings must name real columns. */
function checkMappings(kind: string, destination: ClickPipeMutateDestination, fieldMappings: S.FieldMapping[] | undefined) {
    if (DATABASE_SOURCES.includes(kind)) return;
    for (const f of ["table", "managedTable", "columns"] as const)
        if (destination[f] === undefined) throw badRequest(`request body.destination.${f}: The field is required`);
    // `columns` is there (checked above).
    const columns = (destination.columns ?? []).map((c) => c.name);
    if (columns.length === 0) throw badRequest("request body.destination.columns: The array must contain at least 1 items");
    const mapped = new Set<string | undefined>((fieldMappings ?? []).map((m) => m.destinationField));
    const missing = columns.filter((c) => !mapped.has(c));
    if (missing.length)
        throw badRequest(`request body.fieldMappings: All destination columns must be mapped, missing: ${missing.join(", ")}`);
    const unknown = (fieldMappings ?? []).find((m) => !columns.includes(m.destinationField));
    if (unknown) throw badRequest(`request body.fieldMappings: destinationField '${unknown.destinationField}' is not a destination column`);
}

/** Credentials each authentication method needs (inferred from the Terraform provider's schema); `src` is the source with its secrets. */
function checkSourceAuth(kind: string, src: object) {
    const p = `request body.source.${kind}`;
    const authentication = member(src, "authentication");
    const credentials = member(src, "credentials");
    const hasUserAndPassword = !!member(credentials, "username") && !!member(credentials, "password");
    if (kind === "kafka") {
        if (
            typeof authentication === "string" &&
            ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"].includes(authentication) &&
            !hasUserAndPassword
        )
            throw badRequest(`${p}.credentials: username and password are required for ${authentication} authentication`);
        if (authentication === "IAM_ROLE" && !member(src, "iamRole"))
            throw badRequest(`${p}.iamRole: The field is required for IAM_ROLE authentication`);
    }
    if ((kind === "objectStorage" || kind === "kinesis") && authentication === "IAM_USER" && !member(src, "accessKey"))
        throw badRequest(`${p}.accessKey: The field is required for IAM_USER authentication`);
    if (kind === "postgres" && (authentication ?? "basic") === "basic" && !hasUserAndPassword)
        throw badRequest(`${p}.credentials: username and password are required for basic authentication`);
}

export function pipeView(p: PipeRecord): ClickPipe {
    const { roles: _roles, ...destination } = p.destination;
    return {
        id: p.id,
        serviceId: p.serviceId,
        name: p.name,
        state: p.state,
        scaling: { ...p.scaling },
        source: { [p.sourceKind]: p.source },
        destination,
        fieldMappings: p.fieldMappings.map((m) => ({ ...m })),
        ...(p.settings ? { settings: { ...p.settings } } : {}),
        createdAt: new Date(p.createdAt).toISOString(),
        updatedAt: new Date(p.updatedAt).toISOString(),
    };
}

const pipeOf = (core: Core, serviceId: string, pipeId: string) => core.pipe(serviceId, requireUuid("clickPipeId", pipeId));

export const listPipes: Handler = ({ core, params }) => {
    core.service(params.serviceId);
    const pipes = Object.values(core.data.clickpipes)
        .filter((p) => p.serviceId === params.serviceId)
        .sort((a, b) => a.createdAt - b.createdAt);
    return { result: pipes.map(pipeView) };
};

export const createPipe: Handler = ({ core, params, body }) => {
    validate(S.ClickPipePostRequest, body);
    const b = body;
    const { kind, given } = theSource(b.source);
    checkSourceAuth(kind, given);
    checkMappings(kind, b.destination, b.fieldMappings);
    requireRunning(core, params.serviceId, "creation");
    const now = core.now();
    const secrets: JsonObject = {};
    const pipe: PipeRecord = {
        id: newId(),
        serviceId: params.serviceId,
        name: b.name,
        state: "Provisioning",
        scaling: { replicas: 1, replicaCpuMillicores: 125, replicaMemoryGb: 0.5, ...(b.scaling ?? {}) },
        sourceKind: kind,
        source: splitSecrets(given, secrets, kind),
        destination: { ...b.destination },
        fieldMappings: (b.fieldMappings ?? []).map((m) => ({ sourceField: m.sourceField, destinationField: m.destinationField })),
        settings: b.settings,
        createdAt: now,
        updatedAt: now,
        pending: [],
        secrets,
    };
    core.data.clickpipes[pipe.id] = pipe;
    core.schedule(pipe, [["Running", "pipeProvisioning"]]);
    return { result: pipeView(pipe) };
};

export const getPipe: Handler = ({ core, params }) => ({ result: pipeView(pipeOf(core, params.serviceId, params.clickPipeId)) });

/** The object without its null fields (a null in a patch removes the field). */
const withoutNulls = (o: object): JsonObject => Object.fromEntries(entriesOf(o).filter(([, v]) => v !== null));

/** A list of a patch or a stored source: an array, or nothing. */
const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const mappingKey = (m: unknown) => `${member(m, "sourceSchemaName")}.${member(m, "sourceTable")}`;

export const patchPipe: Handler = ({ core, params, body }) => {
    validate(S.ClickPipePatchRequest, body);
    const b = body;
    const pipe = pipeOf(core, params.serviceId, params.clickPipeId);
    requireRunning(core, params.serviceId, "update");
    let source = pipe.source;
    const secrets = { ...pipe.secrets };
    if (b.source) {
        const patchSource = b.source;
        const given = S.PIPE_SOURCE_KINDS.filter((k) => member(patchSource, k) !== undefined && member(patchSource, k) !== null);
        const other = given.find((k) => k !== pipe.sourceKind);
        if (other)
            throw badRequest(`request body.source.${other}: this ClickPipe has a ${pipe.sourceKind} source; the source kind cannot change`);
        // The patch of the pipe's own kind (an object, or null or missing: the schema allows nothing else).
        const patch = member(patchSource, pipe.sourceKind);
        if (isObject(patch)) {
            const { tableMappingsToAdd, tableMappingsToRemove, settings, ...fields } = patch;
            source = { ...source };
            for (const [k, v] of Object.entries(splitSecrets(fields, secrets, pipe.sourceKind))) {
                if (v === null) delete source[k];
                else source[k] = v;
            }
            if (settings) source.settings = withoutNulls({ ...(source.settings ?? {}), ...settings });
            if (tableMappingsToRemove || tableMappingsToAdd) {
                const removeKeys = new Set(listOf(tableMappingsToRemove).map(mappingKey));
                source.tableMappings = [
                    ...listOf(source.tableMappings).filter((m) => !removeKeys.has(mappingKey(m))),
                    ...listOf(tableMappingsToAdd),
                ];
            }
            checkSourceAuth(pipe.sourceKind, {
                ...source,
                ...Object.fromEntries(
                    Object.entries(secrets)
                        .filter(([k]) => k.split(".").length === 2)
                        .map(([k, v]) => [k.split(".")[1], v]),
                ),
            });
        }
    }
    const destination = b.destination?.columns ? { ...pipe.destination, columns: b.destination.columns } : pipe.destination;
    const fieldMappings = b.fieldMappings ?? pipe.fieldMappings;
    checkMappings(pipe.sourceKind, destination, fieldMappings);
    pipe.source = source;
    pipe.secrets = secrets;
    pipe.destination = destination;
    pipe.fieldMappings = fieldMappings;
    pipe.updatedAt = core.now();
    if (b.name) pipe.name = b.name;
    if (b.settings === null) delete pipe.settings;
    else if (b.settings) pipe.settings = withoutNulls({ ...(pipe.settings ?? {}), ...b.settings });
    return { result: pipeView(pipe) };
};

export const deletePipe: Handler = ({ core, params }) => {
    const pipe = pipeOf(core, params.serviceId, params.clickPipeId);
    // Inferred: the pipe stays visible while its resources are torn down, then reads answer 404.
    if (pipe.pending.at(-1)?.state !== "gone") {
        core.enter("clickpipe", pipe, "Stopping");
        core.schedule(pipe, [["gone", "pipeDeleting"]]);
    }
    return {};
};

export const patchPipeScaling: Handler = ({ core, params, body }) => {
    validate(S.ClickPipeScalingPatchRequest, body);
    const b = body;
    const pipe = pipeOf(core, params.serviceId, params.clickPipeId);
    // A null leaves a field as it is.
    const scaling = { ...pipe.scaling };
    let given = 0;
    for (const k of ["replicas", "concurrency", "replicaCpuMillicores", "replicaMemoryGb"] as const) {
        const v = b[k];
        if (v !== null && v !== undefined) {
            scaling[k] = v;
            given++;
        }
    }
    if (given === 0) throw badRequest("request body: at least one scaling field must be set");
    pipe.scaling = scaling;
    pipe.updatedAt = core.now();
    return { result: pipeView(pipe) };
};

export const patchPipeState: Handler = ({ core, params, body }) => {
    validate(S.ClickPipeStatePatchRequest, body);
    const command = body.command;
    const pipe = pipeOf(core, params.serviceId, params.clickPipeId);
    if (pipe.pending.at(-1)?.state === "gone") throw badRequest(`ClickPipe ${pipe.id} is being deleted`);
    if (command === "stop") {
        // "Stopping a ClickPipe will stop the ingestion process from any state" (spec).
        if (pipe.state !== "Stopped" && pipe.state !== "Stopping") {
            core.enter("clickpipe", pipe, "Stopping");
            core.schedule(pipe, [["Stopped", "pipeStopping"]]);
        }
    } else if (command === "start") {
        // "Starting is allowed for ClickPipes in the Stopped state or with a Failed state" (spec).
        if (pipe.state !== "Stopped" && pipe.state !== "Failed")
            throw badRequest(`ClickPipe can be started only in the Stopped or Failed state. Current state: ${pipe.state}`);
        core.enter("clickpipe", pipe, "Provisioning");
        core.schedule(pipe, [["Running", "pipeStarting"]]);
    } else {
        // "Resyncing is only for Postgres and MySQL pipes and can be done from any state" (spec).
        if (pipe.sourceKind !== "postgres" && pipe.sourceKind !== "mysql")
            throw badRequest(`resync is only available for Postgres and MySQL ClickPipes; this one has a ${pipe.sourceKind} source`);
        core.enter("clickpipe", pipe, "Resync");
        core.schedule(pipe, [["Running", "pipeStarting"]]);
    }
    pipe.updatedAt = core.now();
    return { result: pipeView(pipe) };
};
