/** Unit, integration and end-to-end tests, all under test/. */
module.exports = {
    preset: "ts-jest",
    testEnvironment: "node",
    roots: ["<rootDir>/test"],
    testMatch: ["**/*.test.ts"],
    testTimeout: 120000,
};
