import { GzipError } from './errors';

/** DEFLATE codes are at most 15 bits long (RFC 1951 §3.2.2, §3.2.7). */
export const MAX_CODE_BITS = 15;

/**
 * A two-level decoding table for a canonical Huffman code. The low `rootBits` bits of the input
 * index `table` directly; codes longer than that continue in a sub-table. Entries are:
 *   0                           no code starts with these bits (invalid input)
 *   symbol << 5 | length        leaf: decoded symbol and its full code length (1..15)
 *   offset << 5 | 16 | bits     link: sub-table at `offset`, indexed by the next `bits` bits
 * Packing into an Int32Array keeps decoding to one or two array reads with no allocation.
 */
export interface HuffmanTable {
	table: Int32Array;
	rootBits: number;
	rootMask: number;
}

export const LINK_FLAG = 16;

/** Huffman codes go MSB-first but DEFLATE packs bits LSB-first, so table indexes are reversed codes. */
function reverseBits(code: number, length: number): number {
	let reversed = 0;
	for (let i = 0; i < length; i++) {
		reversed = (reversed << 1) | (code & 1);
		code >>>= 1;
	}
	return reversed;
}

/**
 * Builds the table for symbols 0..lengths.length-1 with the given code lengths (0 = unused).
 * Over-subscribed length sets cannot be decoded unambiguously and are rejected. Incomplete sets
 * are allowed, as RFC 1951 does not forbid them; their unassigned bit patterns stay 0 and are
 * reported as invalid codes only if the data actually uses them.
 */
export function buildHuffmanTable(lengths: Uint8Array, maxRootBits: number, what: string): HuffmanTable {
	const count = new Uint16Array(MAX_CODE_BITS + 1);
	let maxLength = 0;
	for (let sym = 0; sym < lengths.length; sym++) {
		const len = lengths[sym];
		count[len]++;
		if (len > maxLength) maxLength = len;
	}
	count[0] = 0;

	let left = 1;
	for (let len = 1; len <= MAX_CODE_BITS; len++) {
		left = (left << 1) - count[len];
		if (left < 0) throw new GzipError(`Invalid ${what} code lengths: over-subscribed Huffman code`);
	}

	// First code of each length, straight from RFC 1951 §3.2.2 step 2.
	const nextCode = new Uint16Array(MAX_CODE_BITS + 1);
	for (let len = 1, code = 0; len <= MAX_CODE_BITS; len++) {
		code = (code + count[len - 1]) << 1;
		nextCode[len] = code;
	}

	const rootBits = Math.max(1, Math.min(maxRootBits, maxLength));
	const rootSize = 1 << rootBits;
	const rootMask = rootSize - 1;

	// Pass 1: assign codes and find how many extra bits each root slot's sub-table needs.
	const reversed = new Uint16Array(lengths.length);
	const subBits = new Uint8Array(rootSize);
	for (let sym = 0; sym < lengths.length; sym++) {
		const len = lengths[sym];
		if (len === 0) continue;
		const rev = reverseBits(nextCode[len]++, len);
		reversed[sym] = rev;
		if (len > rootBits) {
			const slot = rev & rootMask;
			if (len - rootBits > subBits[slot]) subBits[slot] = len - rootBits;
		}
	}

	// Pass 2: lay the sub-tables out after the root table and link them.
	let size = rootSize;
	const subOffset = new Uint32Array(rootSize);
	for (let slot = 0; slot < rootSize; slot++) {
		if (subBits[slot] === 0) continue;
		subOffset[slot] = size;
		size += 1 << subBits[slot];
	}
	const table = new Int32Array(size);
	for (let slot = 0; slot < rootSize; slot++) {
		if (subBits[slot] !== 0) table[slot] = (subOffset[slot] << 5) | LINK_FLAG | subBits[slot];
	}

	// Pass 3: a code of length L fills every entry whose low L bits match it (prefix-freeness
	// guarantees leaves never overwrite links or each other).
	for (let sym = 0; sym < lengths.length; sym++) {
		const len = lengths[sym];
		if (len === 0) continue;
		const entry = (sym << 5) | len;
		const rev = reversed[sym];
		if (len <= rootBits) {
			for (let i = rev; i < rootSize; i += 1 << len) table[i] = entry;
		} else {
			const slot = rev & rootMask;
			const base = subOffset[slot];
			const end = 1 << subBits[slot];
			for (let i = rev >>> rootBits; i < end; i += 1 << (len - rootBits)) table[base + i] = entry;
		}
	}
	return { table, rootBits, rootMask };
}
