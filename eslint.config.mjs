// ESLint flat config: typescript-eslint's type-checked rules over every TypeScript file the project runs.
// Type information comes from tsconfig.json through the project service, so run `hardhat compile` first
// (typechain-types/ must exist for the contract types to resolve).
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["typechain-types/**", "artifacts/**", "cache/**", "coverage/**", "node_modules/**", "deployments/**"],
  },
  {
    files: ["scripts/**/*.ts", "test/**/*.ts", "bench/**/*.ts", "deploy/**/*.ts", "hardhat.config.ts"],
    extends: [eslint.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-explicit-any": "error",
      // Prettier owns layout and prints `contract\n  .connect(x)\n  ["f(uint256)"](...)` chains that this rule
      // mistakes for ASI hazards; eslint-config-prettier turns it off for the same reason.
      "no-unexpected-multiline": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { args: "after-used", argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" },
      ],
    },
  },
  {
    // chai assertions end in a property (`expect(x).to.be.true`), which reads as an unused expression.
    files: ["test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-expressions": "off",
    },
  },
);
