import type { IdentitySet } from '../model/graph.js';
import { namedIdentities, sameIdentity } from '../model/identity.js';
import type { RosterEntry, RosterKey } from './call-record.js';

// Beyond this many comparisons a lookup table pays for itself (a meeting's full roster, say).
const SCAN_LIMIT = 512;

const tableKey = (k: RosterKey): string => (k.id !== undefined ? `p:${k.id}` : `i:${k.identity ?? ''}`);

/**
 * A working copy of a roster for one step: the record's array until the first change, then a
 * copy. Finds entries by scanning, which beats hashing for the few participants of most calls,
 * or by a table built once when a big roster meets a notification naming many participants.
 */
export class RosterDraft {
  #entries: Array<RosterEntry | undefined>;
  #copied = false;
  #holes = 0;
  readonly #table: Map<string, number> | undefined;
  // In table mode: the ids an entry's identities name (lower case) → its position, built on the
  // first lookup of a participant without id, so that matching many of them stays linear.
  #byIdentityId: Map<string, number> | undefined;

  constructor(
    private readonly base: readonly RosterEntry[],
    lookups: number,
  ) {
    this.#entries = base as RosterEntry[];
    if (base.length * lookups > SCAN_LIMIT) this.#table = new Map(base.map((e, i) => [tableKey(e), i]));
  }

  /** The position of the entry with this participant id, or -1. */
  findId(id: string): number {
    if (this.#table) return this.#table.get(`p:${id}`) ?? -1;
    const entries = this.#entries;
    for (let i = 0; i < entries.length; i += 1) if (entries[i]?.id === id) return i;
    return -1;
  }

  /** The position of the entry recorded by this identity key (one with no id yet), or -1. */
  findIdentity(identity: string): number {
    if (this.#table) return this.#table.get(`i:${identity}`) ?? -1;
    const entries = this.#entries;
    for (let i = 0; i < entries.length; i += 1) {
      const e = entries[i];
      if (e !== undefined && e.id === undefined && e.identity === identity) return i;
    }
    return -1;
  }

  /** The first entry with an id whose identity is the same party as `identity` (a participant reported without id). */
  findIdentified(identity: IdentitySet | null | undefined): number {
    if (!this.#table) return this.#entries.findIndex((e) => e !== undefined && e.id !== undefined && sameIdentity(e.participant.info?.identity, identity));
    const index = (this.#byIdentityId ??= this.#indexIdentities());
    for (const named of namedIdentities(identity)) {
      const at = index.get(named.id.toLowerCase());
      const e = at === undefined ? undefined : this.#entries[at];
      if (e !== undefined && e.id !== undefined) return at!;
    }
    return -1;
  }

  #indexIdentities(): Map<string, number> {
    const index = new Map<string, number>();
    this.#entries.forEach((e, i) => e && this.#indexEntry(index, e, i));
    return index;
  }

  #indexEntry(index: Map<string, number>, e: RosterEntry, at: number): void {
    if (e.id === undefined) return;
    for (const named of namedIdentities(e.participant.info?.identity)) {
      const key = named.id.toLowerCase();
      const held = index.get(key);
      if (held === undefined || this.#entries[held] === undefined) index.set(key, at);
    }
  }

  at(index: number): RosterEntry | undefined {
    return this.#entries[index];
  }

  /** Replaces the entry at `index` (its key may change: an identity entry gets its id). */
  replace(index: number, entry: RosterEntry): void {
    const old = this.#writable()[index];
    this.#entries[index] = entry;
    if (this.#table && old) {
      this.#table.delete(tableKey(old));
      this.#table.set(tableKey(entry), index);
    }
    if (this.#byIdentityId) this.#indexEntry(this.#byIdentityId, entry, index);
  }

  remove(index: number): void {
    const old = this.#writable()[index];
    this.#entries[index] = undefined;
    this.#holes += 1;
    if (this.#table && old) this.#table.delete(tableKey(old));
  }

  add(entry: RosterEntry): void {
    this.#table?.set(tableKey(entry), this.#entries.length);
    this.#writable().push(entry);
    if (this.#byIdentityId) this.#indexEntry(this.#byIdentityId, entry, this.#entries.length - 1);
  }

  /** The roster after the changes: the record's own array when nothing changed. */
  result(): RosterEntry[] {
    if (!this.#copied) return this.base as RosterEntry[];
    return this.#holes === 0 ? (this.#entries as RosterEntry[]) : this.#entries.filter((e): e is RosterEntry => e !== undefined);
  }

  #writable(): Array<RosterEntry | undefined> {
    if (!this.#copied) {
      this.#entries = this.base.slice();
      this.#copied = true;
    }
    return this.#entries;
  }
}
