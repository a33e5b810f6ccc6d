/**
 * The shared vocabulary (provider/api/catalog.ts): the same lists as the OpenAPI document's enums,
 * and the password hashes against known answers.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import {
    ALL_REGIONS,
    CLOUD_PROVIDERS,
    mysqlDoubleSha1Hash,
    RELEASE_CHANNELS,
    SERVICE_TIERS,
    sha256PasswordHash,
} from "../../../provider/api/catalog";

describe("password hashes", () => {
    it.each([
        // sha256("password") = 5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8
        ["password", "XohImNooBHFR0OVvjcYpJ3NgPQ1qq73WKhHvch0VQtg=", "2470c0c06dee42fd1618bb99005adca2ec9d1e19"],
        // sha256("") = e3b0c442…b855; sha1(sha1("")) = be1bdec0aa74b4dcb079943e70528096cca985f8
        ["", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "be1bdec0aa74b4dcb079943e70528096cca985f8"],
        ["Ünïcødé pass 1!", sha256Of("Ünïcødé pass 1!"), doubleSha1Of("Ünïcødé pass 1!")],
    ])("%j", (password, sha256, doubleSha1) => {
        expect(sha256PasswordHash(password)).toBe(sha256);
        expect(mysqlDoubleSha1Hash(password)).toBe(doubleSha1);
    });
});

function sha256Of(text: string): string {
    return createHash("sha256").update(Buffer.from(text, "utf8")).digest("base64");
}
function doubleSha1Of(text: string): string {
    return createHash("sha1")
        .update(createHash("sha1").update(Buffer.from(text, "utf8")).digest())
        .digest("hex");
}

const specFile =
    process.env.CLICKHOUSE_OPENAPI_PATH ||
    path.resolve(__dirname, "..", "..", "..", "..", "shared", "reference", "clickhouse-cloud-openapi.json");
const present = fs.existsSync(specFile);
if (!present) console.log(`catalog test against the OpenAPI document skipped: not at ${specFile}`);
(present ? describe : describe.skip)("the lists are the OpenAPI document's enums", () => {
    const schemas = present ? JSON.parse(fs.readFileSync(specFile, "utf8")).components.schemas : {};
    const service = schemas.Service?.properties ?? {};
    it.each([
        ["provider", CLOUD_PROVIDERS],
        ["region", ALL_REGIONS],
        ["tier", SERVICE_TIERS],
        ["releaseChannel", RELEASE_CHANNELS],
    ])("Service.%s", (field, ours) => {
        expect([...(ours as readonly string[])].sort()).toEqual([...service[field].enum].sort());
    });
});
