/**
 * What the client says it is: this package's version, read once from its package.json, and the
 * `User-Agent` header built from it.
 */
import * as fs from "fs";
import * as path from "path";

let packageVersion: string | undefined;

/** This package's version, read from its package.json (found upwards from this file, in dist/ or in source). */
export function providerVersion(): string {
    if (packageVersion !== undefined) return packageVersion;
    packageVersion = "0.0.0";
    let dir = __dirname;
    for (let i = 0; i < 6; i++) {
        const candidate = path.join(dir, "package.json");
        try {
            const pkg = JSON.parse(fs.readFileSync(candidate, "utf8"));
            if (pkg.name === "pulumi-clickhouse-cloud") {
                packageVersion = String(pkg.version);
                break;
            }
        } catch {
            // not here; look one level up
        }
        dir = path.dirname(dir);
    }
    return packageVersion;
}

/** The `User-Agent` this client sends. */
export function userAgent(): string {
    return `pulumi-clickhouse-cloud/${providerVersion()} (node ${process.versions.node})`;
}
