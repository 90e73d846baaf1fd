import { answer, api, type Schemas } from './api/client';

export type Caller = Schemas['Caller'];

export const readCaller = () => answer(api.GET('/v1/me'));

export const can = (caller: Caller, permission: Caller['permissions'][number]) => caller.permissions.includes(permission);
/** Supervisors and administrators see districts and units; station officers their station. */
export const supervises = (caller: Caller) => caller.level === 'district' || caller.level === 'unit';
