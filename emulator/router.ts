import { Handler } from "./context";
import { ApiError } from "./errors";
import { requireUuid } from "./ids";
import * as svc from "./services";
import * as backups from "./backups";
import * as extras from "./extras";
import * as pipes from "./clickpipes";
import * as org from "./organization";
import * as settings from "./serviceSettings";
import { GenericLayer, operationsOf } from "./generic";
import { openApi } from "./openapi";

const ORG = "/v1/organizations/:organizationId";
const SVC = `${ORG}/services/:serviceId`;
const PIPE = `${SVC}/clickpipes/:clickPipeId`;

/** Every `/v1` route the emulator serves: [method, path template, handler]. */
export const ROUTES: [string, string, Handler][] = [
    ["GET", "/v1/organizations", org.listOrganizations],
    ["GET", ORG, org.getOrganization],
    ["PATCH", ORG, org.patchOrganization],
    ["GET", `${ORG}/keys`, org.listKeys],
    ["POST", `${ORG}/keys`, org.createKey],
    ["GET", `${ORG}/keys/:keyId`, org.getKey],
    ["PATCH", `${ORG}/keys/:keyId`, org.patchKey],
    ["DELETE", `${ORG}/keys/:keyId`, org.deleteKey],
    ["GET", `${ORG}/prometheus`, extras.orgPrometheus],
    ["GET", `${ORG}/services`, svc.listServices],
    ["POST", `${ORG}/services`, svc.createService],
    ["GET", SVC, svc.getService],
    ["PATCH", SVC, svc.patchService],
    ["DELETE", SVC, svc.deleteService],
    ["PATCH", `${SVC}/state`, svc.changeServiceState],
    ["PATCH", `${SVC}/scaling`, svc.patchScaling],
    ["PATCH", `${SVC}/replicaScaling`, svc.patchReplicaScaling],
    ["PATCH", `${SVC}/password`, svc.patchPassword],
    ["GET", `${SVC}/privateEndpointConfig`, extras.getPrivateEndpointConfig],
    ["POST", `${SVC}/privateEndpoint`, extras.createPrivateEndpoint],
    ["GET", `${SVC}/serviceQueryEndpoint`, extras.getQueryEndpoint],
    ["POST", `${SVC}/serviceQueryEndpoint`, extras.upsertQueryEndpoint],
    ["DELETE", `${SVC}/serviceQueryEndpoint`, extras.deleteQueryEndpoint],
    ["GET", `${SVC}/prometheus`, extras.servicePrometheus],
    ["GET", `${SVC}/scalingSchedule`, settings.getScalingSchedule],
    ["POST", `${SVC}/scalingSchedule`, settings.postScalingSchedule],
    ["DELETE", `${SVC}/scalingSchedule`, settings.deleteScalingSchedule],
    ["GET", `${SVC}/upgradeWindow`, settings.getUpgradeWindow],
    ["PUT", `${SVC}/upgradeWindow`, settings.putUpgradeWindow],
    ["DELETE", `${SVC}/upgradeWindow`, settings.deleteUpgradeWindow],
    ["GET", `${SVC}/clickpipesCdcScaling`, settings.getCdcScaling],
    ["PATCH", `${SVC}/clickpipesCdcScaling`, settings.patchCdcScaling],
    ["GET", `${SVC}/clickhouseSettings`, settings.listClickhouseSettings],
    ["PATCH", `${SVC}/clickhouseSettings`, settings.patchClickhouseSettings],
    ["GET", `${SVC}/clickhouseSettings/:settingName`, settings.getClickhouseSetting],
    ["DELETE", `${SVC}/clickhouseSettings/:settingName`, settings.deleteClickhouseSetting],
    ["GET", `${SVC}/backups`, backups.listBackups],
    ["GET", `${SVC}/backups/:backupId`, backups.getBackup],
    ["GET", `${SVC}/backupConfiguration`, backups.getBackupConfiguration],
    ["PATCH", `${SVC}/backupConfiguration`, backups.patchBackupConfiguration],
    ["GET", `${SVC}/clickpipes`, pipes.listPipes],
    ["POST", `${SVC}/clickpipes`, pipes.createPipe],
    ["GET", PIPE, pipes.getPipe],
    ["PATCH", PIPE, pipes.patchPipe],
    ["DELETE", PIPE, pipes.deletePipe],
    ["PATCH", `${PIPE}/scaling`, pipes.patchPipeScaling],
    ["PATCH", `${PIPE}/state`, pipes.patchPipeState],
];

interface Route {
    method: string;
    template: string;
    handler: Handler;
    parts: string[];
    generic: boolean;
}

const braces = (template: string) => template.replace(/:([A-Za-z]+)/g, "{$1}");
let compiled: Route[] | undefined;

/**
 * The routes: the handlers above, then one generic handler per other operation of the OpenAPI
 * document (see generic.ts); without the document only the handlers above answer. Paths with
 * more literal segments are tried first (`…/clickhouseSettings/schema` before `…/{settingName}`).
 */
function routes(): Route[] {
    if (compiled) return compiled;
    const own: Route[] = ROUTES.map(([method, template, handler]) => ({
        method,
        template,
        handler,
        parts: template.split("/"),
        generic: false,
    }));
    const known = new Set(own.map((r) => `${r.method} ${braces(r.template)}`));
    const doc = openApi();
    const extra: Route[] = [];
    if (doc) {
        const layer = new GenericLayer(doc, operationsOf(doc));
        for (const op of layer.operations) {
            if (known.has(`${op.method} ${op.template}`)) continue;
            const template = op.template.replace(/\{([^}]+)\}/g, ":$1");
            extra.push({ method: op.method, template, handler: layer.handler(op), parts: template.split("/"), generic: true });
        }
    }
    const literals = (r: Route) => r.parts.filter((p) => !p.startsWith(":")).length;
    compiled = [...own, ...extra].sort((a, b) => literals(b) - literals(a));
    return compiled;
}

/** The `/v1` operations the emulator answers, as `METHOD {template}` (its own and the generic layer's). */
export function answeredOperations(): { method: string; template: string; generic: boolean }[] {
    return routes().map((r) => ({ method: r.method, template: braces(r.template), generic: r.generic }));
}

function match(parts: string[], pathParts: string[]): Record<string, string> | undefined {
    if (parts.length !== pathParts.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < parts.length; i++) {
        if (parts[i].startsWith(":")) params[parts[i].slice(1)] = decodeSegment(parts[i].slice(1), pathParts[i]);
        else if (parts[i] !== pathParts[i]) return undefined;
    }
    return params;
}

/** A path parameter as sent, percent-decoded once; a malformed escape is the client's error. */
function decodeSegment(name: string, raw: string): string {
    try {
        return decodeURIComponent(raw);
    } catch {
        throw new ApiError(400, "BAD_REQUEST", `request path.${name}: malformed percent-encoding <string:${raw}>`);
    }
}

/** Finds the handler; 404 for unknown paths, 405 for a known path with another method. Checks path ids. */
export function route(
    method: string,
    pathname: string,
    orgId: string,
): { handler: Handler; params: Record<string, string>; template: string } {
    const pathParts = pathname.replace(/\/+$/, "").split("/");
    let pathKnown = false;
    for (const r of routes()) {
        const params = match(r.parts, pathParts);
        if (!params) continue;
        pathKnown = true;
        if (r.method !== method) continue;
        if (params.organizationId !== undefined) {
            const id = requireUuid("organizationId", params.organizationId);
            // Another organization is refused with 403, as for a key without access to it: the emulator
            // serves a single organization and a 404 would hide a misconfigured organization id.
            if (id !== orgId.toLowerCase()) throw new ApiError(403, "FORBIDDEN", `The API key does not have access to organization ${id}`);
        }
        // The generic layer checks path parameters against the document itself.
        if (!r.generic)
            for (const name of ["serviceId", "clickPipeId", "backupId"])
                if (params[name] !== undefined) params[name] = requireUuid(name, params[name]);
        return { handler: r.handler, params, template: r.template };
    }
    if (pathKnown) throw new ApiError(405, "METHOD_NOT_ALLOWED", `${method} is not allowed on ${pathname}`);
    throw new ApiError(404, "NOT_FOUND", `No route for ${method} ${pathname}`);
}
