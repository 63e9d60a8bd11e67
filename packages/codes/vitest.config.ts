import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { name: 'codes', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } });
