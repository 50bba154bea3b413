// ESLint for the site's own JavaScript (make lint). Kept in .ci/ because the project's top
// level is fixed; with --config, patterns are relative to the directory eslint runs in (the root).
import js from "@eslint/js";
import globals from "globals";

export default [
  {
    ignores: ["docs/assets/runtime/**", "node_modules/**", "site/**", "build/**", ".venv/**"],
  },
  {
    files: [
      "docs/assets/**/*.mjs",
      "docs/assets/**/*.js",
      "deploy/**/*.mjs",
      ".ci/*.mjs",
      "validator/kb_build/service_worker.js",
    ],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: "module",
      globals: { ...globals.browser, ...globals.worker, ...globals.serviceworker },
    },
    rules: {
      ...js.configs.recommended.rules,
      "no-unused-vars": ["error", { argsIgnorePattern: "^_", caughtErrors: "none" }],
      eqeqeq: ["error", "smart"],
      "no-var": "error",
      "prefer-const": "error",
    },
  },
  {
    // Classic scripts loaded by MkDocs' extra_javascript, written as ES5 for old browsers.
    files: ["docs/assets/javascripts/*.js"],
    languageOptions: { sourceType: "script" },
    rules: { "no-var": "off" },
  },
];
