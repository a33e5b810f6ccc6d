/**
 * The plugin face's names: the package, the kinds it serves, their type tokens, and the parts of a
 * URN. Kept apart from ./provider.ts so the command-line tools can use them without loading the
 * provider server.
 */
import type { ResourceKind } from "../shim";

/** The package name: distinct from the bridged provider's `clickhouse` (see scripts/gen-schema.js). */
export const PACKAGE = "clickhouse-cloud";

/** The resource kinds the plugin face serves (the dynamic face's StackOwnership is not one). */
export const PLUGIN_KINDS = [
    "Service",
    "ServiceScaling",
    "BackupConfiguration",
    "PrivateEndpoint",
    "ClickPipe",
    "ServiceQueryEndpoint",
] as const;
export type PluginKind = (typeof PLUGIN_KINDS)[number] & ResourceKind;

/** The type token of a kind: `clickhouse-cloud:index:Service`. */
export const tokenOf = (kind: PluginKind): string => `${PACKAGE}:index:${kind}`;

/** The parts of a URN: `urn:pulumi:<stack>::<project>::<parent types$><type>::<name>`. */
export function parseUrn(urn: string): { stack: string; project: string; type: string; name: string } {
    const [head, project, qualifiedType, ...rest] = urn.split("::");
    const stack = head.replace(/^urn:pulumi:/, "");
    return { stack, project, type: qualifiedType?.split("$").pop() ?? "", name: rest.join("::") };
}
