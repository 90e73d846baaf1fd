import { env } from 'cloudflare:workers';
import { parseConfig, type AppConfig } from '../../src/env.js';

export function appConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  const result = parseConfig({ ...env, ...overrides });
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.config;
}

/** The owner's connection: fixtures only. It bypasses row-level security, as migrations do. */
export function ownerConfig(): AppConfig {
  return appConfig({ DATABASE_URL: env.TEST_OWNER_DATABASE_URL });
}
