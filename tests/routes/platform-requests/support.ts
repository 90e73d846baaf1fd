import { createPlatformRequestRoute } from '../../../src/routes/platform-requests/create-platform-request.js';
import { getPlatformRequestRoute } from '../../../src/routes/platform-requests/get-platform-request.js';
import { transitionPlatformRequestRoute } from '../../../src/routes/platform-requests/transition-platform-request.js';
import { getCaseSopRoute } from '../../../src/routes/cases/get-case-sop.js';
import { api } from '../../support/api.js';
import { reportTestCase } from '../../support/cases.js';
import { parseResponse } from '../../support/contract.js';
import { createTestTenant, type TestTenant } from '../../support/tenants.js';
import { signToken, tokenFor } from '../../support/tokens.js';

export const requestsPath = (caseId: string) => `/v1/cases/${caseId}/requests`;

export function draftRequest(caseId: string, token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return api(requestsPath(caseId), { method: 'POST', token, body, headers });
}

export function moveRequest(caseId: string, requestId: string, token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return api(`${requestsPath(caseId)}/${requestId}/transitions`, { method: 'POST', token, body, headers });
}

export async function drafted(caseId: string, token: string, body: Record<string, unknown>) {
  return parseResponse(createPlatformRequestRoute, 201, await draftRequest(caseId, token, body));
}

export async function moved(caseId: string, requestId: string, token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return parseResponse(transitionPlatformRequestRoute, 200, await moveRequest(caseId, requestId, token, body, headers));
}

export async function readRequest(caseId: string, requestId: string, token: string) {
  return parseResponse(getPlatformRequestRoute, 200, await api(`${requestsPath(caseId)}/${requestId}`, { token }));
}

export async function checklistOf(caseId: string, token: string) {
  return parseResponse(getCaseSopRoute, 200, await api(`/v1/cases/${caseId}/sop`, { token }));
}

export async function stepOf(caseId: string, token: string, key: string) {
  const checklist = await checklistOf(caseId, token);
  const step = [...checklist.now, ...checklist.closed].find((candidate) => candidate.key === key);
  if (!step) throw new Error(`no step ${key} on case ${caseId}`);
  return step;
}

/**
 * A fresh unit with the default intake (a 17-year-old on Instagram and WhatsApp, ₹5,000 paid
 * by UPI) reported at its first station, and the people who work it: the investigating
 * officer PSI Patil (subject psi.patil), the station house officer (cases:supervise), the
 * district supervisor and the unit administrator.
 */
export async function caseAtStation() {
  const tenant: TestTenant = await createTestTenant();
  const reported = await reportTestCase(tenant);
  const station = tenant.stationCodes[0];
  return {
    tenant,
    caseId: reported.id,
    reportedAt: reported.reportedAt as string,
    officer: await signToken({ sub: 'psi.patil', roles: ['investigating_officer'], unit: tenant.unitCode, station }),
    sho: await signToken({ sub: 'pi.kulkarni', roles: ['station_house_officer'], unit: tenant.unitCode, station }),
    supervisor: await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]),
    admin: await tokenFor.unit(tenant.unitCode),
  };
}
