import { describe, expect, it } from 'vitest';
import { formatPhone, phoneEnding } from './phone';

describe('phone', () => {
  it('groups a mainland mobile 3-4-4 without the country code', () => {
    expect(formatPhone('+8613179907206')).toBe('131 7990 7206');
  });

  it('leaves other numbers as stored', () => {
    expect(formatPhone('+85291234567')).toBe('+85291234567');
  });

  it('ends in the last four digits', () => {
    expect(phoneEnding('+8613179907206')).toBe('7206');
  });
});
