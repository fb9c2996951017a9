/**
 * Search over the customers this phone holds (records opened earlier, kept in IndexedDB), for
 * when the server cannot be asked. The same kinds as the server's search (domain/search.py): a
 * name fragment, a phone's last digits (4 or more), a VIN's end (6 or more), a plate's end.
 */
import type { ResultOfOp } from '../../lib/graphql';
import { listRecords } from '../../lib/offline-store';
import type { CustomerRecordQuery } from '../record/operations';
import { customerKey } from '../record/operations';

type RecordData = ResultOfOp<typeof CustomerRecordQuery>;
type Held = NonNullable<RecordData['customer']>;

/** What a results card shows, with when this phone last had it from the server. */
export type PhoneCustomer = Pick<Held, 'id' | 'name' | 'phone' | 'tags' | 'isHighPriority' | 'vehicles'> & {
  fetchedAt: Date;
};

const PHONE_ENDING_MIN = 4;
const VIN_FRAGMENT_MIN = 6;
const PLATE_FRAGMENT_MIN = 4;
// Shorter name fragments are a surname or a given name: the start or the end of a name.
const NAME_ANYWHERE_MIN = 3;
// A VIN never holds I, O or Q (ISO 3779).
const VIN_FRAGMENT = /^[A-HJ-NPR-Z0-9]+$/;

/** As the server compares plates: upper case, without spaces, dots or dashes. */
export function normalisePlate(raw: string): string {
  return raw.toUpperCase().replace(/[\s·.\-_]/g, '');
}

/** Does this customer answer to what was typed, by the server's rules? */
export function matchesOnPhone(
  text: string,
  customer: Pick<PhoneCustomer, 'name' | 'phone' | 'vehicles'>,
): boolean {
  const query = text.trim();
  if (!query) return false;
  const digits = query.replace(/[\s-]/g, '');
  const allDigits = /^\d+$/.test(digits);
  if (allDigits && digits.length >= PHONE_ENDING_MIN && customer.phone.replace(/\D/g, '').endsWith(digits)) {
    return true;
  }
  const token = normalisePlate(query);
  for (const vehicle of customer.vehicles) {
    if (token.length >= VIN_FRAGMENT_MIN && VIN_FRAGMENT.test(token) && vehicle.vin.endsWith(token))
      return true;
    const plate = vehicle.plate ? normalisePlate(vehicle.plate) : '';
    if (token.length >= PLATE_FRAGMENT_MIN && /\d/.test(token) && plate.endsWith(token)) return true;
  }
  return !allDigits && nameMatches(query.toLowerCase(), customer.name.toLowerCase());
}

function nameMatches(fragment: string, name: string): boolean {
  if ([...fragment].length >= NAME_ANYWHERE_MIN) return name.includes(fragment);
  return name.startsWith(fragment) || name.endsWith(fragment);
}

/** The customers whose record is on this phone, the most recently opened first. */
export async function customersOnPhone(): Promise<PhoneCustomer[]> {
  const rows = await listRecords<RecordData>(customerKey(''));
  const customers: PhoneCustomer[] = [];
  for (const row of rows) {
    const held = row.data?.customer;
    if (!held) continue;
    const { id, name, phone, tags, isHighPriority, vehicles } = held;
    customers.push({ id, name, phone, tags, isHighPriority, vehicles, fetchedAt: row.fetchedAt });
  }
  return customers;
}

export async function searchOnPhone(text: string): Promise<PhoneCustomer[]> {
  return (await customersOnPhone()).filter((customer) => matchesOnPhone(text, customer));
}
