/** Tests only: a fresh in-memory IndexedDB for each test. */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { resetDBConnectionForTests } from './db';

export async function freshIndexedDB(): Promise<void> {
  await resetDBConnectionForTests();
  globalThis.indexedDB = new IDBFactory();
}
