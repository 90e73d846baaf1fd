import { describe, expect, it } from 'vitest';
import { WITHHELD_TEXT } from '../../src/cases/mask-personal-data.js';
import { CASE_EVENT_ACTIONS, isCaseEventAction, maskTimelineContent } from '../../src/cases/timeline-masking.js';

describe('masking a timeline entry for a reader without personal:read', () => {
  it('withholds a note\'s text and keeps its hash', () => {
    expect(maskTimelineContent('case.note_added', { changes: { bodySha256: 'ab'.repeat(32) }, note: 'Spoke to the victim\'s mother' })).toEqual({
      changes: { bodySha256: 'ab'.repeat(32) },
      note: WITHHELD_TEXT,
    });
  });

  it('shows only the keys decided for the action: a key a payload gains later stays hidden until someone decides it', () => {
    const changes = { amount: '3000', currency: 'INR', method: 'upi', reference: null, payee: 'cash.king@paytm', payer: 'rohan@okhdfc' };
    expect(maskTimelineContent('case.payment_added', { changes, note: null }).changes).toEqual({
      amount: '3000',
      currency: 'INR',
      method: 'upi',
      reference: null,
      payee: 'cash.king@paytm',
    });
  });

  it('keeps a checklist change\'s steps and what happened to each, nothing else', () => {
    expect(maskTimelineContent('case.checklist_changed', { changes: { 'victim-safety': 'added', 'bank-trail': 'retired', odd: 'Sunita' }, note: null }).changes).toEqual({
      'victim-safety': 'added',
      'bank-trail': 'retired',
    });
  });

  it('shows nothing of an action it has no decision for', () => {
    expect(isCaseEventAction('case.note_edited')).toBe(false);
    expect(isCaseEventAction('toString')).toBe(false);
    expect(maskTimelineContent('case.note_edited', { changes: { body: 'Spoke to the victim\'s mother' }, note: 'Spoke to the victim\'s mother' })).toEqual({ changes: {}, note: null });
  });

  it('has a decision for every action it lists, and lists each once', () => {
    expect(new Set(CASE_EVENT_ACTIONS).size).toBe(CASE_EVENT_ACTIONS.length);
    expect(CASE_EVENT_ACTIONS.filter((action) => !isCaseEventAction(action))).toEqual([]);
  });
});
