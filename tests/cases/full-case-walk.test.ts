import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openHttpDatabase } from '../../src/db/client.js';
import { getCaseRoute } from '../../src/routes/cases/get-case.js';
import { getCaseTimelineRoute } from '../../src/routes/cases/get-case-timeline.js';
import { api } from '../support/api.js';
import { intake } from '../support/cases.js';
import { parseResponse } from '../support/contract.js';
import { ownerConfig } from '../support/config.js';
import { createTestTenant } from '../support/tenants.js';
import { signToken, tokenFor } from '../support/tokens.js';
import { minutesAgo } from '../support/clock.js';

/** Sends a request and returns its JSON body, failing loudly on any other status. */
async function call<T = Record<string, unknown>>(path: string, token: string, init: { method?: string; body?: unknown; headers?: Record<string, string> }, status: number): Promise<T> {
  const response = await api(path, { token, ...init });
  const text = await response.text();
  if (response.status !== status) throw new Error(`${init.method ?? 'GET'} ${path}: expected ${status}, got ${response.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

describe('a sextortion case from the first report to closure', () => {
  it('is reported, worked, transferred to the cyber police station, charged and closed, with its evidence and every step on record', async () => {
    const tenant = await createTestTenant();
    const [stationA, cyberStation] = [tenant.stationCodes[0], tenant.stationCodes[3]];
    const unitAdmin = await tokenFor.unit(tenant.unitCode);
    const dutyOfficer = await signToken({ sub: 'hc.jadhav', roles: ['duty_officer'], unit: tenant.unitCode, station: stationA });
    const stationHouseOfficer = await signToken({ sub: 'pi.kulkarni', roles: ['station_house_officer'], unit: tenant.unitCode, station: stationA });
    const cyberInspector = await signToken({ sub: 'pi.shaikh', roles: ['station_house_officer'], unit: tenant.unitCode, station: cyberStation });
    const cyberInvestigator = await signToken({ sub: 'psi.more', roles: ['investigating_officer'], unit: tenant.unitCode, station: cyberStation });

    // The unit routes large losses straight to the cyber police station; this case's first payment is below it.
    await call(`/v1/units/${tenant.unitCode}/routing-rules`, unitAdmin, { method: 'POST', body: { name: 'Paid ₹50,000+ → Cyber PS', priority: 10, minAmountPaid: '50000', targetStationCode: cyberStation } }, 201);

    // T+0: the mother brings her 17-year-old son to the station; the duty officer records the complaint.
    const reported = await call<{ id: string; status: string; routedBy: string | null }>('/v1/cases', dutyOfficer, { method: 'POST', body: intake(), headers: { 'Idempotency-Key': crypto.randomUUID() } }, 201);
    expect(reported).toMatchObject({ status: 'reported', routedBy: null });
    const caseUrl = `/v1/cases/${reported.id}`;

    // T+10 min: safety screening noted; evidence preserved with its hash at capture.
    await call(`${caseUrl}/notes`, dutyOfficer, { method: 'POST', body: { body: 'Screened for self-harm risk: low. Told it is not his fault; 14416 shared. Advised not to pay or delete chats.' } }, 201);
    const chatExport = await call<{ id: string; sha256: string }>(
      `${caseUrl}/evidence`,
      dutyOfficer,
      { method: 'POST', body: { kind: 'chat_export', description: 'Instagram DM export', content: btoa('exported chat with @priya.sharma_22'), fileName: 'dm.txt', mediaType: 'text/plain', capturedAt: minutesAgo(320) } },
      201,
    );
    await call(`${caseUrl}/identifiers`, dutyOfficer, { method: 'POST', body: { kind: 'url', value: 'https://www.instagram.com/priya.sharma_22/' } }, 201);
    await call(`${caseUrl}/identifiers`, dutyOfficer, { method: 'POST', body: { kind: 'url', value: 'https://instagram.com/priya.sharma_22' } }, 409);
    await call(`${caseUrl}/identifiers`, dutyOfficer, { method: 'POST', body: { kind: 'platform_account_id', platform: 'instagram', accountId: '17841400000000001' } }, 201);

    // Golden hour: the 1930 call and the national portal complaint.
    await call(`${caseUrl}/references`, dutyOfficer, { method: 'POST', body: { kind: 'helpline_ticket', value: '1930-2026-118822' } }, 201);
    await call(`${caseUrl}/references`, dutyOfficer, { method: 'POST', body: { kind: 'ncrp_acknowledgement', value: '31811260012345' } }, 201);
    await call(`${caseUrl}/transitions`, dutyOfficer, { method: 'POST', body: { to: 'triaged', reason: 'Minor victim; money paid; content not yet circulated' } }, 200);

    // The victim remembers a second, larger payment: it crosses the unit's threshold, so the station house officer transfers the case.
    await call(`${caseUrl}/payments`, dutyOfficer, { method: 'POST', body: { amount: '60000', paidAt: minutesAgo(570), method: 'bank_transfer', reference: 'UTR433119988776', payee: { kind: 'bank_account', accountNumber: '5010 0123 4567 89', ifsc: 'hdfc0001234' } } }, 201);
    const transferred = await call<{ status: string; station: { code: string }; amountPaid: string }>(`${caseUrl}/transfer`, stationHouseOfficer, { method: 'POST', body: { toStationCode: cyberStation, reason: 'Paid ₹65,000 in total: above the unit\'s threshold' } }, 200);
    expect(transferred).toMatchObject({ status: 'transferred', station: { code: cyberStation }, amountPaid: '65000.00' });

    // The cyber police station takes it up; the reporting station can still read it but no longer work it.
    const atCyber = await call<{ version: number }>(caseUrl, cyberInspector, {}, 200);
    await call(`${caseUrl}/assignee`, cyberInspector, { method: 'PUT', body: { subject: 'psi.more', name: 'PSI S. More' }, headers: { 'If-Match': `"v${atCyber.version}"` } }, 200);
    await call(`${caseUrl}/transitions`, cyberInvestigator, { method: 'POST', body: { to: 'under_investigation' } }, 200);
    await call(caseUrl, dutyOfficer, {}, 200);
    await call(`${caseUrl}/notes`, dutyOfficer, { method: 'POST', body: { body: 'Late note from the reporting station' } }, 403);

    // Chain of custody: to the malkhana, then re-verified before the certificate is drawn up.
    await call(`${caseUrl}/evidence/${chatExport.id}/custody`, cyberInvestigator, { method: 'POST', body: { kind: 'handed_over', to: { name: 'HC R. Pawar', designation: 'Malkhana in-charge' } } }, 201);
    const reverified = await call<{ event: { matches: boolean }; evidence: { integrity: string } }>(`${caseUrl}/evidence/${chatExport.id}/custody`, cyberInvestigator, { method: 'POST', body: { kind: 'reverified', sha256: chatExport.sha256 } }, 201);
    expect(reverified).toMatchObject({ event: { matches: true }, evidence: { integrity: 'intact' } });

    // The FIR: refused until its number and sections are on the case.
    await call(`${caseUrl}/transitions`, cyberInvestigator, { method: 'POST', body: { to: 'fir_registered' } }, 409);
    await call(`${caseUrl}/references`, cyberInvestigator, { method: 'POST', body: { kind: 'fir', value: '0217/2026', sections: ['IT Act 66E', 'IT Act 67A', 'BNS 308(2)', 'POCSO 13'] } }, 201);
    await call(`${caseUrl}/transitions`, cyberInvestigator, { method: 'POST', body: { to: 'fir_registered' } }, 200);

    // Another station's complaint shares the payee account: the identifier search links them for the cyber station.
    const linked = await call<{ data: Array<{ id: string }> }>(`/v1/identifiers/bank_account/${encodeURIComponent('HDFC0001234:50100123456789')}/cases`, cyberInspector, {}, 200);
    expect(linked.data.map((item) => item.id)).toEqual([reported.id]);

    // Charge sheet filed: only the inspector closes it.
    await call(`${caseUrl}/transitions`, cyberInvestigator, { method: 'POST', body: { to: 'closed', closureReason: 'charge_sheet_filed' } }, 403);
    await call(`${caseUrl}/transitions`, cyberInspector, { method: 'POST', body: { to: 'closed', closureReason: 'charge_sheet_filed', reason: 'Charge sheet filed in court' } }, 200);

    const closed = await parseResponse(getCaseRoute, 200, await api(caseUrl, { token: cyberInspector }));
    expect(closed).toMatchObject({ status: 'closed', closure: { reason: 'charge_sheet_filed' }, assignedOfficer: { subject: 'psi.more' }, amountPaid: '65000.00' });
    expect(closed.references.map((reference) => reference.kind).sort()).toEqual(['fir', 'helpline_ticket', 'ncrp_acknowledgement']);
    expect(closed.identifiers.map((identifier) => identifier.value)).toEqual(
      expect.arrayContaining(['https://instagram.com/priya.sharma_22', 'instagram:priya.sharma_22', 'instagram:17841400000000001', 'quickcash@ybl', 'HDFC0001234:50100123456789']),
    );

    // The timeline tells the whole story in order, from the audit chain.
    const timeline = await parseResponse(getCaseTimelineRoute, 200, await api(`${caseUrl}/timeline?limit=200`, { token: cyberInspector }));
    expect(timeline.data.map((entry) => entry.action)).toEqual([
      'case.reported',
      'case.checklist_changed',
      'case.note_added',
      'evidence.captured',
      'case.identifier_added',
      'case.identifier_added',
      // The 1930 ticket completes report-1930 and starts the portal complaint; its acknowledgement completes that.
      'case.reference_added',
      'case.checklist_changed',
      'case.reference_added',
      'case.checklist_changed',
      'case.transitioned',
      'case.payment_added',
      'case.transferred',
      'case.assigned',
      'case.transitioned',
      'evidence.handed_over',
      'evidence.reverified',
      // The FIR completes register-fir, starts the POCSO sections and retires the action-taken report.
      'case.reference_added',
      'case.checklist_changed',
      'case.transitioned',
      'case.transitioned',
    ]);
    expect(timeline.data[2]!.note).toContain('not his fault');

    // The unit's chain verifies; rewriting one of the case's events behind the API's back is caught.
    const verify = () => call<{ intact: boolean; firstBrokenSequence: number | null }>(`/v1/units/${tenant.unitCode}/audit/verify`, unitAdmin, {}, 200);
    expect(await verify()).toMatchObject({ intact: true, firstBrokenSequence: null });
    const forged = timeline.data.find((entry) => entry.action === 'case.transferred')!;
    await openHttpDatabase(ownerConfig()).execute(
      sql`update audit_events set changes = changes || '{"reason":"forged"}' where unit_id = (select id from units where code = ${tenant.unitCode}) and sequence = ${forged.sequence}`,
    );
    expect(await verify()).toMatchObject({ intact: false, firstBrokenSequence: forged.sequence });
  });
});
