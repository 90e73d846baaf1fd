import { describe, expect, it } from 'vitest';
import { reportCaseRoute } from '../../../src/routes/cases/report-case.js';
import { api } from '../../support/api.js';
import { intake } from '../../support/cases.js';
import { parseResponse } from '../../support/contract.js';
import { createTestTenant } from '../../support/tenants.js';
import { tokenFor } from '../../support/tokens.js';

describe('POST /v1/cases', () => {
  it('records the complaint at the duty officer\'s station with normalised identifiers and payments', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'duty_officer');
    const response = await api('/v1/cases', { method: 'POST', token, body: intake() });
    const reported = await parseResponse(reportCaseRoute, 201, response);
    expect(response.headers.get('etag')).toBe('"v1"');
    expect(response.headers.get('location')).toBe(`/v1/cases/${reported.id}`);
    expect(reported).toMatchObject({
      status: 'reported',
      station: { code: tenant.stationCodes[0] },
      reportedStation: { code: tenant.stationCodes[0] },
      personalData: 'full',
      amountPaid: '5000.00',
      currency: 'INR',
      routedBy: null,
      complainant: { name: 'Sunita Deshmukh', phone: '+919812345610' },
      victim: { age: 17 },
    });
    expect(reported.identifiers.map((identifier) => `${identifier.kind} ${identifier.value} ${identifier.source}`).sort()).toEqual([
      'phone +917000012345 intake',
      'platform_handle instagram:priya.sharma_22 intake',
      'upi quickcash@ybl payment',
    ]);
    expect(reported.payments).toEqual([expect.objectContaining({ amount: '5000.00', reference: '433112345678', payee: 'quickcash@ybl', payer: 'rohan@okhdfc' })]);
  });
});
