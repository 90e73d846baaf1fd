import { describe, expect, it } from 'vitest';
import {
  allowedTransitions,
  CASE_STATUSES,
  needsSupervision,
  statusesAllowing,
  TRANSFERABLE_STATUSES,
  TRANSITION_TARGETS,
  type CaseStatus,
} from '../../src/cases/workflow.js';

describe('case workflow', () => {
  it('lets a case go reported → triaged → under_investigation → fir_registered → closed', () => {
    const path: CaseStatus[] = ['reported', 'triaged', 'under_investigation', 'fir_registered', 'closed'];
    for (const [index, from] of path.slice(0, -1).entries()) {
      expect(allowedTransitions(from), `${from} → ${path[index + 1]}`).toContain(path[index + 1]);
    }
  });

  it('answers the allowed moves of every status as the SOP sets them', () => {
    expect(Object.fromEntries(CASE_STATUSES.map((status) => [status, [...allowedTransitions(status)].sort()]))).toEqual({
      reported: ['closed', 'triaged', 'under_investigation'],
      triaged: ['closed', 'under_investigation'],
      under_investigation: ['closed', 'fir_registered'],
      fir_registered: ['closed'],
      transferred: ['closed', 'fir_registered', 'triaged', 'under_investigation'],
      closed: ['under_investigation'],
    });
  });

  it('keeps statusesAllowing the exact inverse of allowedTransitions', () => {
    for (const to of TRANSITION_TARGETS) {
      const from = statusesAllowing(to);
      for (const status of CASE_STATUSES) {
        expect(from.includes(status), `${status} → ${to}`).toBe(allowedTransitions(status).includes(to));
      }
    }
    for (const status of CASE_STATUSES) {
      for (const to of allowedTransitions(status)) expect(statusesAllowing(to), `${status} → ${to}`).toContain(status);
    }
  });

  it('names only transition targets as moves, never `reported` or `transferred` (a transfer is its own operation)', () => {
    for (const status of CASE_STATUSES) {
      for (const to of allowedTransitions(status)) expect(TRANSITION_TARGETS).toContain(to);
    }
    expect(TRANSITION_TARGETS).not.toContain('reported');
    expect(TRANSITION_TARGETS).not.toContain('transferred');
  });

  it('lets every open case be closed, and a closed case only be reopened to investigation', () => {
    expect([...statusesAllowing('closed')].sort()).toEqual(CASE_STATUSES.filter((status) => status !== 'closed').sort());
    expect(allowedTransitions('closed')).toEqual(['under_investigation']);
    expect(statusesAllowing('fir_registered').sort()).toEqual(['transferred', 'under_investigation']);
  });

  it('needs supervision for closing and for reopening, and for nothing else', () => {
    for (const from of CASE_STATUSES) {
      for (const to of allowedTransitions(from)) {
        expect(needsSupervision(from, to), `${from} → ${to}`).toBe(to === 'closed' || from === 'closed');
      }
    }
    expect(needsSupervision(null, 'closed')).toBe(true);
    expect(needsSupervision('closed', 'under_investigation')).toBe(true);
    expect(needsSupervision(null, 'under_investigation')).toBe(false);
    expect(needsSupervision('reported', 'triaged')).toBe(false);
    expect(needsSupervision('transferred', 'fir_registered')).toBe(false);
  });

  it('transfers any case but a closed one', () => {
    expect([...TRANSFERABLE_STATUSES].sort()).toEqual(['fir_registered', 'reported', 'transferred', 'triaged', 'under_investigation']);
  });
});
