/** The full reliability suite (`npm run test:reliability`): files named *.reliability.ts, kept out of `npm test`. */
module.exports = {
    preset: "ts-jest",
    testEnvironment: "node",
    roots: ["<rootDir>/test/reliability"],
    testMatch: ["**/*.reliability.ts"],
    testTimeout: 60 * 60 * 1000,
    // One file at a time: the cases share the machine's CPU and their timings matter.
    maxWorkers: 1,
};
