import { Handler } from "./context";
import { Core } from "./core";
import { badRequest, failedDependency } from "./errors";
import { newId, requireUuid } from "./ids";
import * as S from "./schemas";
import { PipeRecord } from "./store";
import { validate } from "./validation";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON of a request, checked by the OpenAPI validator before use (to be replaced by the generated types)
type Body = Record<string, any>;

/** Fields of each source that are credentials: accepted on POST/PATCH, kept aside, never returned (spec, tf). */
const SECRET_FIELDS = ["credentials", "accessKey", "serviceAccountKey", "connectionString"];
const DATABASE_SOURCES = ["postgres", "mysql", "bigquery", "mongodb"];

function requireRunning(core: Core, serviceId: string, action: "creation" | "update") {
    const svc = core.service(serviceId);
    // HTTP 424 with the real message (api-facts, from a public issue); the update wording is inferred.
    if (svc.state !== "running")
        throw failedDependency(`ClickPipe ${action} is allowed only when the ClickHouse service is running. Current state: ${svc.state}`);
}

/** Splits a source object into what is returned and the write-only secrets. */
function splitSecrets(source: Body, secrets: Record<string, unknown>, prefix: string): Body {
    const out: Body = {};
    for (const [k, v] of Object.entries(source)) {
        if (SECRET_FIELDS.includes(k)) secrets[`${prefix}.${k}`] = v;
        else if (k === "schemaRegistry" && v && typeof v === "object") {
            const { credentials, ...rest } = v as Body;
            if (credentials !== undefined) secrets[`${prefix}.schemaRegistry.credentials`] = credentials;
            out[k] = rest;
        } else out[k] = v;
    }
    return out;
}

function sourceKind(source: Body): string {
    const kinds = S.PIPE_SOURCE_KINDS.filter((k) => source[k] !== undefined && source[k] !== null);
    if (kinds.length !== 1)
        throw badRequest(
            `request body.source: Exactly one source must be set, found ${kinds.length}${kinds.length ? ` (${kinds.join(", ")})` : ""}`,
        );
    return kinds[0];
}

/** "Note that all destination columns must be included in the mappings" (spec); mappings must name real columns. */
function checkMappings(kind: string, destination: Body, fieldMappings: Body[] | undefined) {
    if (DATABASE_SOURCES.includes(kind)) return;
    for (const f of ["table", "managedTable", "columns"])
        if (destination[f] === undefined) throw badRequest(`request body.destination.${f}: The field is required`);
    const columns = (destination.columns as Body[]).map((c) => c.name as string);
    if (columns.length === 0) throw badRequest("request body.destination.columns: The array must contain at least 1 items");
    const mapped = new Set((fieldMappings ?? []).map((m) => m.destinationField));
    const missing = columns.filter((c) => !mapped.has(c));
    if (missing.length)
        throw badRequest(`request body.fieldMappings: All destination columns must be mapped, missing: ${missing.join(", ")}`);
    const unknown = (fieldMappings ?? []).find((m) => !columns.includes(m.destinationField));
    if (unknown) throw badRequest(`request body.fieldMappings: destinationField '${unknown.destinationField}' is not a destination column`);
}

/** Credentials each authentication method needs (inferred from the Terraform provider's schema). */
function checkSourceAuth(kind: string, src: Body) {
    const p = `request body.source.${kind}`;
    if (kind === "kafka") {
        if (
            ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"].includes(src.authentication) &&
            (!src.credentials?.username || !src.credentials?.password)
        )
            throw badRequest(`${p}.credentials: username and password are required for ${src.authentication} authentication`);
        if (src.authentication === "IAM_ROLE" && !src.iamRole)
            throw badRequest(`${p}.iamRole: The field is required for IAM_ROLE authentication`);
    }
    if ((kind === "objectStorage" || kind === "kinesis") && src.authentication === "IAM_USER" && !src.accessKey)
        throw badRequest(`${p}.accessKey: The field is required for IAM_USER authentication`);
    if (kind === "postgres" && (src.authentication ?? "basic") === "basic" && (!src.credentials?.username || !src.credentials?.password))
        throw badRequest(`${p}.credentials: username and password are required for basic authentication`);
}

export function pipeView(p: PipeRecord) {
    const { roles: _roles, ...destination } = p.destination;
    const v: Body = {
        id: p.id,
        serviceId: p.serviceId,
        name: p.name,
        state: p.state,
        scaling: { ...p.scaling },
        source: { [p.sourceKind]: p.source },
        destination,
        fieldMappings: p.fieldMappings.map((m) => ({ ...m })),
    };
    if (p.settings) v.settings = { ...p.settings };
    return { ...v, createdAt: new Date(p.createdAt).toISOString(), updatedAt: new Date(p.updatedAt).toISOString() };
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
    const b = body as Body;
    const kind = sourceKind(b.source);
    checkSourceAuth(kind, b.source[kind]);
    checkMappings(kind, b.destination, b.fieldMappings);
    requireRunning(core, params.serviceId, "creation");
    const now = core.now();
    const secrets: Record<string, unknown> = {};
    const pipe: PipeRecord = {
        id: newId(),
        serviceId: params.serviceId,
        name: b.name,
        state: "Provisioning",
        scaling: { replicas: 1, replicaCpuMillicores: 125, replicaMemoryGb: 0.5, ...(b.scaling ?? {}) },
        sourceKind: kind,
        source: splitSecrets(b.source[kind], secrets, kind),
        destination: { ...b.destination },
        fieldMappings: (b.fieldMappings ?? []).map((m: Body) => ({ sourceField: m.sourceField, destinationField: m.destinationField })),
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

const withoutNulls = (o: Body) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));

export const patchPipe: Handler = ({ core, params, body }) => {
    validate(S.ClickPipePatchRequest, body);
    const b = body as Body;
    const pipe = pipeOf(core, params.serviceId, params.clickPipeId);
    requireRunning(core, params.serviceId, "update");
    let source = pipe.source;
    const secrets = { ...pipe.secrets };
    if (b.source) {
        const given = S.PIPE_SOURCE_KINDS.filter((k) => b.source[k] !== undefined && b.source[k] !== null);
        const other = given.find((k) => k !== pipe.sourceKind);
        if (other)
            throw badRequest(`request body.source.${other}: this ClickPipe has a ${pipe.sourceKind} source; the source kind cannot change`);
        const patch = b.source[pipe.sourceKind] as Body | undefined;
        if (patch) {
            const { tableMappingsToAdd, tableMappingsToRemove, settings, ...fields } = patch;
            source = { ...source };
            for (const [k, v] of Object.entries(splitSecrets(fields, secrets, pipe.sourceKind))) {
                if (v === null) delete source[k];
                else source[k] = v;
            }
            if (settings) source.settings = withoutNulls({ ...((source.settings as Body) ?? {}), ...settings });
            if (tableMappingsToRemove || tableMappingsToAdd) {
                const removeKeys = new Set((tableMappingsToRemove ?? []).map((m: Body) => `${m.sourceSchemaName}.${m.sourceTable}`));
                source.tableMappings = [
                    ...((source.tableMappings as Body[]) ?? []).filter((m) => !removeKeys.has(`${m.sourceSchemaName}.${m.sourceTable}`)),
                    ...(tableMappingsToAdd ?? []),
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
    Object.assign(pipe, { source, secrets, destination, fieldMappings, updatedAt: core.now() });
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
    const b = withoutNulls(body as Body);
    const pipe = pipeOf(core, params.serviceId, params.clickPipeId);
    if (Object.keys(b).length === 0) throw badRequest("request body: at least one scaling field must be set");
    pipe.scaling = { ...pipe.scaling, ...b };
    pipe.updatedAt = core.now();
    return { result: pipeView(pipe) };
};

export const patchPipeState: Handler = ({ core, params, body }) => {
    validate(S.ClickPipeStatePatchRequest, body);
    const command = (body as Body).command as "start" | "stop" | "resync";
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
