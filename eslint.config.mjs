// Lint rules for the provider, the emulator, the tests and the scripts (`npm run lint`, which
// also checks the formatting). Formatting is Prettier's job (`npm run format`), so no
// stylistic rule is enabled here.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
    {
        ignores: ["dist/**", "**/node_modules/**", "coverage/**", ".tmp/**", "sdk/**", "provider/api/openapi.gen.ts"],
    },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        languageOptions: { globals: { ...globals.node } },
        linterOptions: { reportUnusedDisableDirectives: "error" },
        rules: {
            // A leading underscore marks a value kept on purpose (a rest sibling left out, an
            // argument a signature needs).
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
            ],
            // `import x = require("…")` is TypeScript's typed CommonJS import (p-retry's typings need it).
            "@typescript-eslint/no-require-imports": ["error", { allowAsImport: true }],
        },
    },
    {
        files: ["test/**", "bench/**"],
        languageOptions: { globals: { ...globals.node, ...globals.jest } },
        rules: {
            // Tests and benchmarks read untyped JSON from the API, the emulator and the CLI.
            "@typescript-eslint/no-explicit-any": "off",
        },
    },
    {
        files: ["**/*.js", "**/*.cjs"],
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
);
