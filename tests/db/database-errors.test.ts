import { describe, expect, it } from 'vitest';
import { transientFailureOf } from '../../src/db/database-errors.js';

describe('transientFailureOf: what kind of failure a driver error is', () => {
  it('takes a connection that could not be opened within the bound for a timeout, whichever timer fired first', () => {
    // pg-pool's own connection timeout, and pg's Client's, race the request's bound: both are the bound passing.
    expect(transientFailureOf(new Error('timeout exceeded when trying to connect'))).toBe('timed_out');
    expect(transientFailureOf(new Error('Connection terminated due to connection timeout'))).toBe('timed_out');
  });

  it('takes a connection that broke for a lost connection', () => {
    expect(transientFailureOf(new Error('Connection terminated unexpectedly'))).toBe('connection_lost');
    expect(transientFailureOf(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe('connection_lost');
  });
});
