import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.wrangler/', '.data/', 'dist/', 'worker-configuration.d.ts', 'assets/docs/swagger-ui/', 'assets/app/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Handlers reach the database only through c.var.db (the tenant runner) and src/db/queries.
    files: ['src/routes/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['drizzle-orm', 'drizzle-orm/*'], message: 'Routes hold no SQL: call a function in src/db/queries.' },
            { group: ['@neondatabase/serverless', 'pg'], message: 'Routes never open connections: use c.var.db.' },
            { group: ['**/db/client*', '**/db/schema*'], message: 'Routes use c.var.db and src/db/queries, not the client or schema.' },
          ],
        },
      ],
    },
  },
);
