import { beforeEach, describe, expect, it } from 'vitest';
import { putRecord } from '../../lib/offline-store';
import { freshIndexedDB } from '../../lib/test-db';
import { customerKey } from '../record/operations';
import { customersOnPhone, matchesOnPhone, normalisePlate, searchOnPhone } from './on-phone';

const wang = {
  name: '王芳',
  phone: '+8613179907206',
  vehicles: [{ id: 'V1', vin: 'LRW3E7FS5PC123457', plate: '沪A·12345', modelName: 'Model Y' }],
};
const lee = { name: 'Grace Lee', phone: '+8613800001111', vehicles: [] };

describe('matchesOnPhone', () => {
  it('finds a name fragment, ignoring case for Latin names', () => {
    expect(matchesOnPhone('王', wang)).toBe(true);
    expect(matchesOnPhone('grace', lee)).toBe(true);
    expect(matchesOnPhone('张', wang)).toBe(false);
  });

  it('matches one or two characters at the start or end of a name, three anywhere, as the server does', () => {
    const zhang = { name: '张小凡', phone: '+8613700009999', vehicles: [] };
    expect(matchesOnPhone('张', zhang)).toBe(true);
    expect(matchesOnPhone('小凡', zhang)).toBe(true);
    expect(matchesOnPhone('小', zhang)).toBe(false);
    expect(matchesOnPhone('ace l', lee)).toBe(true);
    expect(matchesOnPhone('ac', lee)).toBe(false);
  });

  it('finds the last digits of a phone, from four on, with spaces or dashes typed', () => {
    expect(matchesOnPhone('7206', wang)).toBe(true);
    expect(matchesOnPhone('990-7206', wang)).toBe(true);
    expect(matchesOnPhone('1317', wang)).toBe(false);
    expect(matchesOnPhone('206', wang)).toBe(false);
  });

  it('finds the end of a VIN from six characters, typed in lower case', () => {
    expect(matchesOnPhone('123457', wang)).toBe(true);
    expect(matchesOnPhone('pc123457', wang)).toBe(true);
    expect(matchesOnPhone('23457', wang)).toBe(false);
  });

  it('finds a plate however it was typed, by its end', () => {
    expect(matchesOnPhone('沪A12345', wang)).toBe(true);
    expect(matchesOnPhone('a 12345', wang)).toBe(true);
    expect(matchesOnPhone('2345', wang)).toBe(true);
    expect(matchesOnPhone('沪B12345', wang)).toBe(false);
  });

  it('matches nothing on an empty box', () => {
    expect(matchesOnPhone('  ', wang)).toBe(false);
  });

  it('normalises plates as the server does', () => {
    expect(normalisePlate('沪a·123-45 ')).toBe('沪A12345');
  });
});

describe('customers on this phone', () => {
  beforeEach(freshIndexedDB);

  const held = (id: string, person: typeof wang | typeof lee) => ({
    customer: { id, tags: [], isHighPriority: false, ...person },
  });

  it('lists held customer records, most recently opened first, and nothing else', async () => {
    await putRecord(customerKey('C1'), held('C1', wang), new Date('2026-12-01T08:00:00Z'));
    await putRecord(customerKey('C2'), held('C2', lee), new Date('2026-12-01T09:00:00Z'));
    await putRecord(customerKey('C3'), { customer: null }, new Date('2026-12-01T10:00:00Z'));
    await putRecord('me', { me: { id: 'U1' } });
    await putRecord('case:K1', { case: { id: 'K1' } });
    const listed = await customersOnPhone();
    expect(listed.map((customer) => customer.id)).toEqual(['C2', 'C1']);
    expect(listed[1]?.fetchedAt).toEqual(new Date('2026-12-01T08:00:00Z'));
    expect((await searchOnPhone('7206')).map((customer) => customer.name)).toEqual(['王芳']);
  });
});
