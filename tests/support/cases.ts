import { api } from './api.js';
import { minutesAgo } from './clock.js';
import type { TestTenant } from './tenants.js';
import { tokenFor } from './tokens.js';

/** A realistic intake: a 17-year-old lured on Instagram last evening, recorded on a video call, paid by UPI 15 hours ago (the golden hour has passed). */
export function intake(overrides: Record<string, unknown> = {}) {
  return {
    complainant: { name: 'Sunita Deshmukh', phone: '98123 45610', email: 'sunita.d@example.in', relationToVictim: 'parent' },
    victim: { name: 'Rohan Deshmukh', age: 17, gender: 'male' },
    incident: {
      firstContactAt: minutesAgo(960),
      platforms: ['instagram', 'whatsapp'],
      channels: ['chat', 'video_call'],
      recordedMaterial: ['video_call_recording'],
      threat: 'Will send the video to all followers unless paid',
      imagesCirculated: false,
      amountDemanded: '25000',
    },
    identifiers: [
      { kind: 'platform_handle', platform: 'instagram', handle: '@Priya.Sharma_22' },
      { kind: 'phone', value: '+91 70000 12345' },
    ],
    payments: [{ amount: '5000', paidAt: minutesAgo(920), method: 'upi', reference: '433112345678', payer: 'rohan@okhdfc', payee: { kind: 'upi', value: 'QuickCash@YBL' } }],
    narrative: 'Met on Instagram; a video call was recorded; paid ₹5,000 by UPI.',
    ...overrides,
  };
}

export type CaseBody = { id: string; status: string; version: number; station: { code: string }; [field: string]: unknown };

/** Reports a case at the tenant's first station as its duty officer (or the given token). */
export async function reportTestCase(tenant: TestTenant, overrides: Record<string, unknown> = {}, token?: string): Promise<CaseBody> {
  const response = await api('/v1/cases', {
    method: 'POST',
    token: token ?? (await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'duty_officer')),
    body: intake(overrides),
  });
  if (response.status !== 201) throw new Error(`intake: ${response.status} ${await response.text()}`);
  return response.json();
}
