import { describe, expect, it } from 'vitest';
import type { Permission } from '../../src/auth/permissions.js';
import { permissionsOf } from '../../src/auth/permissions.js';
import type { Role } from '../../src/auth/roles.js';
import {
  allowedRequestTransitions,
  approvalPermission,
  endsRequest,
  isPlatformAnswer,
  kindsApprovableBy,
  mayAttempt,
  REQUEST_KINDS,
  REQUEST_STATUSES,
  REQUEST_TARGETS,
  requestStatusesAllowing,
} from '../../src/requests/request-workflow.js';

const holding = (...permissions: Permission[]) => new Set<Permission>(permissions);
const ofRole = (role: Role) => permissionsOf([role], []);

describe('the platform request state machine', () => {
  it('goes draft → approved → sent, then to the platform\'s answer, and ends there', () => {
    expect(Object.fromEntries(REQUEST_STATUSES.map((status) => [status, allowedRequestTransitions(status)]))).toEqual({
      draft: ['approved'],
      approved: ['sent'],
      sent: ['acknowledged', 'actioned', 'refused', 'expired'],
      acknowledged: ['actioned', 'refused', 'expired'],
      actioned: [],
      refused: [],
      expired: [],
    });
  });

  it('never returns to draft, never skips approval, and every target is reachable from somewhere', () => {
    for (const status of REQUEST_STATUSES) {
      expect(allowedRequestTransitions(status)).not.toContain('draft' as never);
      if (status !== 'approved') expect(allowedRequestTransitions(status)).not.toContain('sent');
    }
    for (const target of REQUEST_TARGETS) expect(requestStatusesAllowing(target).length).toBeGreaterThan(0);
    expect(requestStatusesAllowing('actioned')).toEqual(['sent', 'acknowledged']);
    expect(requestStatusesAllowing('approved')).toEqual(['draft']);
  });

  it('is a DAG: following allowed moves from a draft always ends, in at most four moves', () => {
    const longest = (status: (typeof REQUEST_STATUSES)[number]): number =>
      Math.max(0, ...allowedRequestTransitions(status).map((next) => 1 + longest(next)));
    expect(longest('draft')).toBe(4);
  });

  it('marks the platform\'s answers and the moves that end the request', () => {
    expect(REQUEST_TARGETS.filter(isPlatformAnswer)).toEqual(['acknowledged', 'actioned', 'refused']);
    expect(REQUEST_TARGETS.filter(endsRequest)).toEqual(['refused', 'expired']);
  });
});

describe('who approves what', () => {
  it('needs cases:supervise for police orders and cases:work for a preservation request', () => {
    expect(Object.fromEntries(REQUEST_KINDS.map((kind) => [kind, approvalPermission(kind)]))).toEqual({
      takedown: 'cases:supervise',
      preservation: 'cases:work',
      preservation_extension: 'cases:work',
      data_disclosure: 'cases:supervise',
      emergency_disclosure: 'cases:supervise',
      payment_hold: 'cases:supervise',
      sim_imei_block: 'cases:supervise',
    });
  });

  it('lets each role approve the kinds its permissions allow', () => {
    expect(kindsApprovableBy(ofRole('investigating_officer'))).toEqual(['preservation', 'preservation_extension']);
    expect(kindsApprovableBy(ofRole('duty_officer'))).toEqual(['preservation', 'preservation_extension']);
    expect(kindsApprovableBy(ofRole('unit_supervisor'))).toEqual([...REQUEST_KINDS]);
    expect(kindsApprovableBy(ofRole('station_house_officer'))).toEqual([...REQUEST_KINDS]);
    expect(kindsApprovableBy(ofRole('district_supervisor'))).toEqual([...REQUEST_KINDS]);
    expect(kindsApprovableBy(ofRole('unit_admin'))).toEqual([...REQUEST_KINDS]);
    expect(kindsApprovableBy(ofRole('auditor'))).toEqual([]);
    expect(kindsApprovableBy(holding('cases:read'))).toEqual([]);
  });

  it('lets only cases:work send and record answers; approval needs either permission', () => {
    expect(REQUEST_TARGETS.filter((to) => mayAttempt(to, ofRole('investigating_officer')))).toEqual([...REQUEST_TARGETS]);
    expect(REQUEST_TARGETS.filter((to) => mayAttempt(to, ofRole('district_supervisor')))).toEqual(['approved']);
    expect(REQUEST_TARGETS.filter((to) => mayAttempt(to, ofRole('auditor')))).toEqual([]);
  });
});
