import { z } from '@hono/zod-openapi';
import { tenancyCode } from '../../http/schemas.js';

export const stationSchema = z
  .object({
    code: tenancyCode('MH-PUNE-SHIVAJINAGAR'),
    name: z.string().openapi({ example: 'Shivajinagar Police Station' }),
    isCyberCrimeStation: z.boolean(),
    unitCode: tenancyCode('MH'),
    district: z.object({
      code: tenancyCode('MH-PUNE'),
      name: z.string().openapi({ example: 'Pune City Police Commissionerate' }),
    }),
    version: z.number().int().openapi({ description: 'Bumped by every change; the ETag is `"v<version>"`.' }),
  })
  .openapi('Station');

export function toStation(row: {
  code: string;
  name: string;
  isCyberCrimeStation: boolean;
  unitCode: string;
  districtCode: string;
  districtName: string;
  version: number;
}): z.infer<typeof stationSchema> {
  return {
    code: row.code,
    name: row.name,
    isCyberCrimeStation: row.isCyberCrimeStation,
    unitCode: row.unitCode,
    district: { code: row.districtCode, name: row.districtName },
    version: row.version,
  };
}
