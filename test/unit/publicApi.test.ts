/**
 * The package's main entry is its public API: the resources, their argument and output types,
 * the read functions and the documented helpers. Everything else (handlers, check and diff
 * functions, request shaping) is reached by the tests through `provider/...` and is free to change.
 */
import * as publicEntry from "../../provider";

/** Every value the main entry exports, sorted. A name added here is a promise to users. */
const PUBLIC_VALUES = [
    "ApiError",
    "BackupConfiguration",
    "ClickPipe",
    "PrivateEndpoint",
    "Service",
    "ServiceQueryEndpoint",
    "ServiceScaling",
    "getBackup",
    "getBackupConfiguration",
    "getBackupConfigurationOutput",
    "getBackupOutput",
    "getPrivateEndpointConfig",
    "getPrivateEndpointConfigOutput",
    "getPrometheusMetrics",
    "getPrometheusMetricsOutput",
    "getService",
    "getServiceOutput",
    "listBackups",
    "listBackupsOutput",
    "listServices",
    "listServicesOutput",
];

it("exports the resources, the read functions and ApiError, nothing else", () => {
    expect(Object.keys(publicEntry).sort()).toEqual([...PUBLIC_VALUES].sort());
});

/** Every type the main entry exports besides the values above. */
const PUBLIC_TYPES = [
    // Arguments and outputs of each resource
    "ServiceArgs",
    "ServiceOutputs",
    "ServiceIpAccessEntry",
    "ServiceTag",
    "ServiceEndpointSetting",
    "ServiceDesiredState",
    "ServiceScalingArgs",
    "ServiceScalingOutputs",
    "BackupConfigurationArgs",
    "BackupConfigurationOutputs",
    "PrivateEndpointArgs",
    "PrivateEndpointOutputs",
    "ClickPipeArgs",
    "ClickPipeOutputs",
    "ClickPipeSourceArgs",
    "ClickPipeDesiredState",
    "DeepInput",
    "ServiceQueryEndpointArgs",
    "ServiceQueryEndpointOutputs",
    "QueryEndpointRole",
    "Timeouts",
    // The read functions' arguments and options
    "FunctionOptions",
    "FunctionConfig",
    "ListServicesArgs",
    "PrometheusMetricsArgs",
    // The API's vocabulary and payloads, as the functions return them
    "CloudProvider",
    "Region",
    "ServiceTier",
    "ServiceState",
    "ClickPipeState",
    "ApiService",
    "Backup",
    "ApiBackupConfiguration",
    "PrivateEndpointConfig",
    "ApiClickPipe",
];

it("exports exactly the documented types, as the declarations show them", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require("typescript") as typeof import("typescript");
    const entry = require.resolve("../../provider/index.ts");
    const program = ts.createProgram([entry], {
        strict: true,
        skipLibCheck: true,
        noEmit: true,
        esModuleInterop: true,
        resolveJsonModule: true,
    });
    const checker = program.getTypeChecker();
    const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
    const names = checker
        .getExportsOfModule(moduleSymbol)
        .map((s) => s.name)
        .sort();
    expect(names).toEqual([...new Set([...PUBLIC_VALUES, ...PUBLIC_TYPES])].sort());
});

it("every optional argument's TSDoc says what removing it does", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require("typescript") as typeof import("typescript");
    const entry = require.resolve("../../provider/index.ts");
    const program = ts.createProgram([entry], {
        strict: true,
        skipLibCheck: true,
        noEmit: true,
        esModuleInterop: true,
        resolveJsonModule: true,
    });
    const checker = program.getTypeChecker();
    const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
    const silent: string[] = [];
    for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
        if (!/Args$/.test(symbol.name) || ["ListServicesArgs", "PrometheusMetricsArgs", "ClickPipeSourceArgs"].includes(symbol.name))
            continue;
        const type = checker.getDeclaredTypeOfSymbol(checker.getAliasedSymbol(symbol));
        for (const property of type.getProperties()) {
            if (!(property.flags & ts.SymbolFlags.Optional)) continue;
            const doc =
                ts.displayPartsToString(property.getDocumentationComment(checker)) +
                " " +
                property
                    .getJsDocTags()
                    .map((t) => ts.displayPartsToString(t.text))
                    .join(" ");
            if (!/remov/i.test(doc)) silent.push(`${symbol.name}.${property.name}`);
        }
    }
    expect(silent).toEqual([]);
});
