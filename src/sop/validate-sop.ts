import type { FieldError } from '../http/problem.js';
import { normalizePlatform } from '../identifiers/platform.js';
import { levelOf, type Role } from '../auth/roles.js';
import { STEP_ROLES, stepSchema, type SopStep } from './step-definition.js';

export interface ResolvedStep {
  key: string;
  step: unknown;
}

const breadth = { station: 0, district: 1, unit: 2, platform: 3 } as const;

/**
 * What makes a composed SOP unusable: steps that do not parse once composed, unknown roles,
 * dependencies on steps that do not exist, cycles (through dependencies or step-completed
 * triggers), conditions no case can meet, unknown legal provisions, escalation chains that
 * go back down or back in time. Pointers name the step by key: /steps/<key>/<field>.
 */
export function validateSop(resolved: ResolvedStep[], knownProvisions: ReadonlySet<string>, timedProvisions?: ReadonlySet<string>): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const { key } of resolved) {
    if (seen.has(key)) errors.push({ pointer: `/steps/${key}`, detail: `two steps have the key ${key}: keys are unique across the base, the overlay and the station's steps` });
    seen.add(key);
  }
  const steps = new Map<string, SopStep>();
  for (const { key, step } of resolved) {
    const parsed = stepSchema.safeParse(step);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push({ pointer: `/steps/${key}/${issue.path.join('/')}`, detail: issue.message });
      continue;
    }
    steps.set(key, parsed.data);
  }
  for (const [key, step] of steps) {
    const at = (field: string) => `/steps/${key}/${field}`;
    if (!(STEP_ROLES as string[]).includes(step.ownerRole)) errors.push({ pointer: at('ownerRole'), detail: `unknown role ${step.ownerRole}: use one of ${STEP_ROLES.join(', ')}` });
    step.escalation.forEach((level, index) => {
      if (!(STEP_ROLES as string[]).includes(level.role)) errors.push({ pointer: at(`escalation/${index}/role`), detail: `unknown role ${level.role}` });
      const previous = step.escalation[index - 1];
      if (previous && level.afterMinutes < previous.afterMinutes) errors.push({ pointer: at(`escalation/${index}/afterMinutes`), detail: 'each level comes no earlier than the one before' });
      if (previous && (STEP_ROLES as string[]).includes(level.role) && (STEP_ROLES as string[]).includes(previous.role) && widthOf(level.role as Role) < widthOf(previous.role as Role)) {
        errors.push({ pointer: at(`escalation/${index}/role`), detail: `escalation goes up the chain: ${level.role} is below ${previous.role}` });
      }
    });
    for (const dependency of step.dependsOn) {
      if (!steps.has(dependency) && !resolved.some((other) => other.key === dependency)) errors.push({ pointer: at('dependsOn'), detail: `no step ${dependency} in this SOP` });
    }
    if (step.trigger.event === 'step_completed' && !resolved.some((other) => other.key === (step.trigger as { step: string }).step)) {
      errors.push({ pointer: at('trigger/step'), detail: `no step ${step.trigger.step} in this SOP` });
    }
    const { conditions } = step;
    if (step.trigger.event === 'payment_made' && conditions.moneyPaid === false) errors.push({ pointer: at('conditions/moneyPaid'), detail: 'a step started by a payment cannot require that no money was paid' });
    if (step.trigger.event === 'content_circulated' && conditions.imagesCirculated === false) {
      errors.push({ pointer: at('conditions/imagesCirculated'), detail: 'a step started by circulation cannot require that nothing circulated' });
    }
    for (const platform of conditions.platforms ?? []) {
      const normalized = normalizePlatform(platform);
      if (!normalized.ok || normalized.value !== platform) {
        errors.push({ pointer: at('conditions/platforms'), detail: normalized.ok ? `write ${platform} as ${normalized.value}, as cases record it` : normalized.problem });
      }
    }
    if (conditions.platforms !== undefined && conditions.platforms.length === 0) errors.push({ pointer: at('conditions/platforms'), detail: 'an empty list matches no case: leave it out instead' });
    if (conditions.platforms !== undefined && conditions.platformInvolved === false) errors.push({ pointer: at('conditions/platformInvolved'), detail: 'naming platforms requires a platform to be involved' });
    for (const code of step.legalRefs) {
      if (!knownProvisions.has(code)) errors.push({ pointer: at('legalRefs'), detail: `no legal provision ${code}` });
    }
    if ('provision' in step.deadline && !knownProvisions.has(step.deadline.provision)) {
      errors.push({ pointer: at('deadline/provision'), detail: `no legal provision ${step.deadline.provision}` });
    } else if ('provision' in step.deadline && timedProvisions && !timedProvisions.has(step.deadline.provision)) {
      errors.push({ pointer: at('deadline/provision'), detail: `${step.deadline.provision} sets no time limit: give the deadline in minutes` });
    }
  }
  const cycles = cyclesOf(steps);
  for (const cycle of cycles) errors.push({ pointer: `/steps/${cycle[0]}/dependsOn`, detail: `these steps wait for each other: ${cycle.join(' → ')}` });
  if (cycles.length === 0) errors.push(...stepsThatCanNeverStart(steps));
  return errors;
}

const PER_PLATFORM_EVENTS = new Set(['platform_deadline_missed', 'preservation_expiring']);

/**
 * A step that no case can ever start: one started by a platform's event but not taken per
 * platform, or one started by another step whose conditions contradict its own (the two never
 * apply to the same case), or by a step that itself can never start.
 */
function stepsThatCanNeverStart(steps: Map<string, SopStep>): FieldError[] {
  const errors: FieldError[] = [];
  const never = new Map<string, string>();
  for (const [key, step] of steps) {
    if (PER_PLATFORM_EVENTS.has(step.trigger.event) && !step.forEachPlatform) {
      never.set(key, `${step.trigger.event} happens to a request to one platform: the step must be taken forEachPlatform, or it never starts`);
      errors.push({ pointer: `/steps/${key}/forEachPlatform`, detail: never.get(key)! });
    }
  }
  const startedBy = (key: string, seen: Set<string>): string | null => {
    if (never.has(key)) return never.get(key)!;
    const step = steps.get(key);
    if (!step || step.trigger.event !== 'step_completed' || seen.has(key)) return null;
    const trigger = steps.get(step.trigger.step);
    if (!trigger) return null;
    const clash = contradiction(step.conditions, trigger.conditions);
    if (clash) return `it starts when ${step.trigger.step} is closed, but ${step.trigger.step} requires ${clash}: the two never apply to the same case`;
    const upstream = startedBy(step.trigger.step, new Set([...seen, key]));
    return upstream === null ? null : `it starts when ${step.trigger.step} is closed, which never starts`;
  };
  for (const [key, step] of steps) {
    if (never.has(key) || step.trigger.event !== 'step_completed') continue;
    const reason = startedBy(key, new Set());
    if (reason) errors.push({ pointer: `/steps/${key}/trigger/step`, detail: `${key} can never start: ${reason}` });
  }
  return errors;
}

function contradiction(own: SopStep['conditions'], other: SopStep['conditions']): string | null {
  for (const fact of ['victimIsMinor', 'moneyPaid', 'imagesCirculated', 'platformInvolved', 'riskToLife', 'firRegistered'] as const) {
    if (own[fact] !== undefined && other[fact] !== undefined && own[fact] !== other[fact]) return `${fact} to be ${String(other[fact])}`;
  }
  if (own.platforms && other.platforms && !own.platforms.some((platform) => other.platforms!.includes(platform))) return `one of ${other.platforms.join(', ')}`;
  return null;
}

function widthOf(role: Role): number {
  return breadth[levelOf([role], { station: 'x', district: 'x' })];
}

/** Each cycle once, through dependsOn and step-completed triggers. */
function cyclesOf(steps: Map<string, SopStep>): string[][] {
  const edges = (step: SopStep) => [...new Set([...step.dependsOn, ...(step.trigger.event === 'step_completed' ? [step.trigger.step] : [])])];
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[][] = [];
  const visit = (key: string, path: string[]) => {
    if (state.get(key) === 'done') return;
    if (state.get(key) === 'visiting') {
      cycles.push([...path.slice(path.indexOf(key)), key]);
      return;
    }
    const step = steps.get(key);
    if (!step) return;
    state.set(key, 'visiting');
    for (const next of edges(step)) visit(next, [...path, key]);
    state.set(key, 'done');
  };
  for (const key of steps.keys()) visit(key, []);
  return cycles;
}
