import { hash } from 'node:crypto';

/**
 * What the chain walk expects of each row group (and each journal entry), held off the JS heap (issue 19): a ten-year
 * ledger has 1.2 million groups and 435,000 journal entries, and as Map entries of strings (the group's name, a
 * packed digest) they held some 240 MB of V8 heap — which every major garbage collection marks again, and which
 * V8 lets grow to three times over with garbage before it collects. Here each is one slot of typed arrays: its key
 * (128 bits of SHA-256 of the group's name: names are compared by their key, and no two names share one), the digest
 * of the rows it expects (128 bits), the audit entry that last wrote it, the row count, and flags. 41 bytes a slot,
 * open addressing with linear probing, grown to stay at most nine tenths full (the keys are uniform hashes, and a
 * probe is a read of a typed array: a full store costs a few probes, where a quarter of the slots kept empty cost
 * some 75 MB on ten years).
 *
 * The names themselves are not kept: a check that must name a group the table lacks reads it back from the audit
 * entry that wrote it (that only happens on a ledger that fails).
 */
export class DigestStore {
  private cap: number;
  private keys: Uint32Array;
  private digests: Uint32Array;
  private seqs: Uint32Array;
  private counts: Uint32Array;
  private flags: Uint8Array;
  size = 0;

  constructor(capacity = 256) {
    let cap = 16;
    while (cap < capacity) cap *= 2;
    this.cap = cap;
    this.keys = new Uint32Array(cap * 4);
    this.digests = new Uint32Array(cap * 4);
    this.seqs = new Uint32Array(cap);
    this.counts = new Uint32Array(cap);
    this.flags = new Uint8Array(cap);
  }

  /** The slot holding `key` (keyOf), or -1. */
  find(key: string): number {
    const k0 = word(key, 0);
    const k1 = word(key, 4);
    const k2 = word(key, 8);
    const k3 = word(key, 12);
    const mask = this.cap - 1;
    for (let i = k0 & mask; ; i = (i + 1) & mask) {
      if (this.flags[i] === 0) return -1;
      const o = i * 4;
      if (this.keys[o] === k0 && this.keys[o + 1] === k1 && this.keys[o + 2] === k2 && this.keys[o + 3] === k3) return i;
    }
  }

  /** Sets what `key` expects (replacing what it held): a digest (16 latin1 characters), the entry, the count, flags. */
  set(key: string, digest: string, seq: number, n: number, flags = 0): void {
    if ((this.size + 1) * 10 > this.cap * 9) this.grow();
    const k0 = word(key, 0);
    const k1 = word(key, 4);
    const k2 = word(key, 8);
    const k3 = word(key, 12);
    const mask = this.cap - 1;
    let i = k0 & mask;
    for (; this.flags[i] !== 0; i = (i + 1) & mask) {
      const o = i * 4;
      if (this.keys[o] === k0 && this.keys[o + 1] === k1 && this.keys[o + 2] === k2 && this.keys[o + 3] === k3) break;
    }
    if (this.flags[i] === 0) this.size++;
    const o = i * 4;
    this.keys[o] = k0;
    this.keys[o + 1] = k1;
    this.keys[o + 2] = k2;
    this.keys[o + 3] = k3;
    this.digests[o] = word(digest, 0);
    this.digests[o + 1] = word(digest, 4);
    this.digests[o + 2] = word(digest, 8);
    this.digests[o + 3] = word(digest, 12);
    this.seqs[i] = seq >>> 0;
    this.counts[i] = n >>> 0;
    this.flags[i] = USED | (flags & ~USED);
  }

  /** Whether the slot's digest is `digest` (16 latin1 characters). */
  digestIs(slot: number, digest: string): boolean {
    const o = slot * 4;
    return this.digests[o] === word(digest, 0) && this.digests[o + 1] === word(digest, 4) && this.digests[o + 2] === word(digest, 8) && this.digests[o + 3] === word(digest, 12);
  }

  digest(slot: number): string {
    let s = '';
    for (let j = 0; j < 4; j++) {
      const w = this.digests[slot * 4 + j];
      s += String.fromCharCode(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24);
    }
    return s;
  }

  /** The slot's key (16 latin1 characters), to match against keyOf(name). */
  key(slot: number): string {
    let s = '';
    for (let j = 0; j < 4; j++) {
      const w = this.keys[slot * 4 + j];
      s += String.fromCharCode(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24);
    }
    return s;
  }

  seq(slot: number): number {
    return this.seqs[slot];
  }

  count(slot: number): number {
    return this.counts[slot];
  }

  has(slot: number, flag: number): boolean {
    return (this.flags[slot] & flag) !== 0;
  }

  mark(slot: number, flag: number): void {
    this.flags[slot] |= flag;
  }

  /** The slots without `flag` (those a check did not meet), in the order of the entries that wrote them. */
  without(flag: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.cap; i++) if (this.flags[i] !== 0 && (this.flags[i] & flag) === 0) out.push(i);
    return out.sort((a, b) => this.seqs[a] - this.seqs[b]);
  }

  /** Lets the arrays go (the check is done with them). */
  release(): void {
    this.cap = 16;
    this.size = 0;
    this.keys = new Uint32Array(64);
    this.digests = new Uint32Array(64);
    this.seqs = new Uint32Array(16);
    this.counts = new Uint32Array(16);
    this.flags = new Uint8Array(16);
  }

  private grow(): void {
    const { cap, keys, digests, seqs, counts, flags } = this;
    this.cap = cap * 2;
    this.keys = new Uint32Array(this.cap * 4);
    this.digests = new Uint32Array(this.cap * 4);
    this.seqs = new Uint32Array(this.cap);
    this.counts = new Uint32Array(this.cap);
    this.flags = new Uint8Array(this.cap);
    const mask = this.cap - 1;
    for (let s = 0; s < cap; s++) {
      if (flags[s] === 0) continue;
      let i = keys[s * 4] & mask;
      while (this.flags[i] !== 0) i = (i + 1) & mask;
      for (let j = 0; j < 4; j++) {
        this.keys[i * 4 + j] = keys[s * 4 + j];
        this.digests[i * 4 + j] = digests[s * 4 + j];
      }
      this.seqs[i] = seqs[s];
      this.counts[i] = counts[s];
      this.flags[i] = flags[s];
    }
  }
}

/** Slot flags: in use (set by the store), met by the check, and (journal) touched after posting: replay its entries. */
const USED = 1;
export const SEEN = 2;
export const REPLAY = 4;

/**
 * A name's key: the first 128 bits of its SHA-256, as latin1 characters ('binary' is latin1; a one-shot hash to a
 * string is the cheap call, about a quarter of a microsecond — no quicker done by hand for a UUID).
 */
export function keyOf(name: string): string {
  return hash('sha256', name, 'binary');
}

function word(s: string, at: number): number {
  return (s.charCodeAt(at) | (s.charCodeAt(at + 1) << 8) | (s.charCodeAt(at + 2) << 16) | (s.charCodeAt(at + 3) << 24)) >>> 0;
}
