import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.tools/**', '.test-output/**', 'node_modules/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Pure logic, AWS operations and the flows must run without an editor (unit tests, the
    // sandbox, benches): the editor reaches them through ports (src/flows/ports.ts).
    files: ['src/core/**/*.ts', 'src/aws/**/*.ts', 'src/flows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/core, src/aws and src/flows stay editor-free: pass what you need in.' }],
      }],
    },
  },
  {
    // One path to root credentials: AssumeRoot is reached only through the session runner's
    // environment (src/flows/env.ts), so guardrails, the intent gate, the registry and
    // the task id cannot be skipped. test/unit/oneRootPath.test.ts checks the same over all of src.
    files: ['src/**/*.ts'],
    ignores: ['src/flows/env.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "MemberExpression[property.name='assumeRoot']",
        message: 'AssumeRoot goes through runRootTask (src/flows/env.ts builds its env): no second caller.',
      }],
    },
  },
);
