/** Tenancy codes: upper-case words joined by hyphens, each level prefixed by its parent's code. */
export const tenancyCodePattern = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$/;

export function nestsUnder(code: string, parentCode: string): boolean {
  return code.startsWith(`${parentCode}-`) && code.length > parentCode.length + 1;
}
