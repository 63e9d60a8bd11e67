import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/codes', 'packages/ledger', 'apps/server', 'apps/web'],
  },
});
