import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../src/index.js';
import { runScheduledWork, type ScheduledJob } from '../src/scheduled.js';
import { appConfig } from './support/config.js';

describe('the scheduled handler', () => {
  it('runs every job with the scheduled time, and one failing job does not stop the others', async () => {
    const seen: string[] = [];
    const failing: ScheduledJob = async () => {
      throw new Error('sweep failed');
    };
    const recording: ScheduledJob = async (_config, now) => {
      seen.push(now.toISOString());
    };
    await runScheduledWork(appConfig(), new Date('2026-11-28T10:00:00Z'), [failing, recording]);
    expect(seen).toEqual(['2026-11-28T10:00:00.000Z']);
  });

  it('does not throw on a misconfigured environment', async () => {
    const controller = { cron: '* * * * *', scheduledTime: Date.parse('2026-11-28T10:00:00Z'), noRetry: () => {} } as ScheduledController;
    const { DATABASE_URL: _missing, ...rest } = env;
    await expect(worker.scheduled(controller, rest)).resolves.toBeUndefined();
  });
});
