import { ApiError, hintFor } from "../../../provider/api/errors";

const ORG = "7c0f5e1a-4d1b-4c8e-9a55-000000000001";
const base = { method: "GET", path: `/v1/organizations/${ORG}/services` };

describe("setup hints in API errors", () => {
    it("401 names the settings of the key, never a value", () => {
        const e = new ApiError({ ...base, status: 401, code: "UNAUTHORIZED", detail: "Invalid API key id or secret" });
        expect(e.message).toMatch(
            /401 UNAUTHORIZED: Invalid API key id or secret\. The API key was refused: check clickhouse:tokenKey and clickhouse:tokenSecret/,
        );
        expect(e.message).toContain("CLICKHOUSE_TOKEN_SECRET");
    });

    it("403 names the organization of the request and where it is configured", () => {
        const e = new ApiError({ ...base, status: 403, code: "FORBIDDEN", detail: "no access" });
        expect(e.message).toContain(`in organization ${ORG}: check that clickhouse:organizationId (or CLICKHOUSE_ORG_ID)`);
    });

    it.each(["DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN", "ERR_TLS_CERT_ALTNAME_INVALID", "CERT_HAS_EXPIRED"])(
        "%s says how to trust a CA, not how to switch verification off",
        (code) => {
            const e = new ApiError({ ...base, status: 0, code, detail: "self-signed certificate" });
            expect(e.message).toContain("NODE_EXTRA_CA_CERTS=<ca.pem>");
            expect(e.message).not.toMatch(/NODE_TLS_REJECT_UNAUTHORIZED|rejectUnauthorized/);
        },
    );

    it.each([
        [400, "BAD_REQUEST"],
        [404, "NOT_FOUND"],
        [0, "ECONNRESET"],
    ])("%i %s gets no hint", (status, code) => {
        expect(hintFor({ status, code, path: base.path })).toBeUndefined();
    });
});
