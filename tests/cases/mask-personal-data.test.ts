import { describe, expect, it } from 'vitest';
import { maskEmail, maskName, maskPerson, maskPhone } from '../../src/cases/mask-personal-data.js';

describe('masking personal data', () => {
  it('shows a phone number by country code and its first and last two digits', () => {
    expect(maskPhone('+919812345610')).toBe('+91 98xxxxxx10');
    expect(maskPhone('+14155552671')).toBe('+1 41xxxxxx71');
    expect(maskPhone('+447911123456')).toBe('+44 79xxxxxx56');
  });

  it('shows nothing of a number it cannot parse, only its length', () => {
    expect(maskPhone('not-a-phone')).toBe('xxxxxxxxxxx');
    expect(maskPhone('')).toBe('');
  });

  it('shows an e-mail address by its first letter, its domain\'s first letter and its top-level domain', () => {
    expect(maskEmail('ravi.kumar@gmail.com')).toBe('r***@g***.com');
    expect(maskEmail('sunita.d@example.in')).toBe('s***@e***.in');
    expect(maskEmail('a@b')).toBe('a***@b***');
    // The last @ separates the domain, so a quoted local part with an @ shows no more.
    expect(maskEmail('"a@b"@mail.example.org')).toBe('"***@m***.org');
  });

  it('shows nothing of a string that is not an address', () => {
    expect(maskEmail('no-at-sign')).toBe('***');
    expect(maskEmail('@example.in')).toBe('***');
  });

  it('reduces a name to initials', () => {
    expect(maskName('Ravi Kumar Sharma')).toBe('R. K. S.');
    expect(maskName('  sunita   deshmukh ')).toBe('S. D.');
    expect(maskName('Rohan')).toBe('R.');
    expect(maskName('रोहन देशमुख')).toBe('र. द.');
    // By code point, so a character outside the BMP is not cut in half.
    expect(maskName('😀smile face')).toBe('😀. F.');
  });

  it('masks the personal fields of a person and keeps the rest as recorded', () => {
    const complainant = {
      name: 'Sunita Deshmukh',
      phone: '+919812345610',
      email: 'sunita.d@example.in',
      address: '12 Shivaji Nagar, Pune',
      relationToVictim: 'parent',
    };
    expect(maskPerson(complainant)).toEqual({
      name: 'S. D.',
      phone: '+91 98xxxxxx10',
      email: 's***@e***.in',
      address: '(withheld)',
      relationToVictim: 'parent',
    });
    // The input is left as it was.
    expect(complainant.name).toBe('Sunita Deshmukh');

    const victim = { name: 'Rohan Deshmukh', age: 17, isMinor: true, gender: 'male' };
    const masked = maskPerson(victim);
    expect(masked).toEqual({ name: 'R. D.', age: 17, isMinor: true, gender: 'male' });
    // Fields that were not recorded are not invented.
    expect(Object.keys(masked).sort()).toEqual(['age', 'gender', 'isMinor', 'name']);
  });

  it('leaves a person without personal fields unchanged', () => {
    expect(maskPerson({ age: 30, gender: 'female' })).toEqual({ age: 30, gender: 'female' });
  });
});
