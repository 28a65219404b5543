import { DEFAULT_MAX_OUTPUT_BYTES, GzipError, checkMaxOutputBytes } from './errors';
import { LINK_FLAG, MAX_CODE_BITS, buildHuffmanTable, type HuffmanTable } from './huffman';
import { OutputBuffer } from './output';

// Root table sizes: 10 bits covers nearly every literal/length code in one lookup while keeping
// the per-block table build cheap; distance and code-length alphabets are smaller.
const LITLEN_ROOT_BITS = 10;
const DIST_ROOT_BITS = 8;
const CODELEN_ROOT_BITS = 7;

const END_OF_BLOCK = 256;

/** Order in which code-length code lengths are sent (RFC 1951 §3.2.7). */
const CODELEN_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

// Length codes 257..285 and distance codes 0..29 (RFC 1951 §3.2.5). Derived from the rule
// "each base is the previous base plus the previous code's range" to avoid transcription slips.
const LENGTH_BASE = new Uint16Array(29);
const LENGTH_EXTRA = new Uint8Array(29);
const DIST_BASE = new Uint16Array(30);
const DIST_EXTRA = new Uint8Array(30);
for (let i = 0, base = 3; i < 28; i++) {
	LENGTH_EXTRA[i] = i < 8 ? 0 : (i >>> 2) - 1;
	LENGTH_BASE[i] = base;
	base += 1 << LENGTH_EXTRA[i];
}
LENGTH_BASE[28] = 258; // code 285 is a special case: 258 with no extra bits
for (let i = 0, base = 1; i < 30; i++) {
	DIST_EXTRA[i] = i < 4 ? 0 : (i >>> 1) - 1;
	DIST_BASE[i] = base;
	base += 1 << DIST_EXTRA[i];
}

let fixedTables: [HuffmanTable, HuffmanTable] | undefined;

/** Fixed Huffman codes (RFC 1951 §3.2.6), built once on first use. */
function getFixedTables(): [HuffmanTable, HuffmanTable] {
	if (!fixedTables) {
		const lit = new Uint8Array(288);
		lit.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
		// Symbols 286-287 and distances 30-31 take part in the code but are invalid in data.
		const dist = new Uint8Array(32).fill(5);
		fixedTables = [
			buildHuffmanTable(lit, LITLEN_ROOT_BITS, 'fixed literal/length'),
			buildHuffmanTable(dist, DIST_ROOT_BITS, 'fixed distance'),
		];
	}
	return fixedTables;
}

function truncated(): GzipError {
	return new GzipError('Unexpected end of compressed data (input is truncated)');
}

/**
 * Decodes one DEFLATE stream (RFC 1951) from `input` at byte `pos` into `out`. Bits are kept in a
 * 32-bit accumulator filled a byte at a time; decoding never allocates per symbol.
 */
export class Inflater {
	private bitBuf = 0;
	private bitCount = 0;
	/** Back-references may not reach before this stream's own output (e.g. into an earlier gzip member). */
	private readonly outStart: number;

	constructor(
		private readonly input: Uint8Array,
		private pos: number,
		private readonly out: OutputBuffer,
	) {
		this.outStart = out.length;
	}

	/** Inflates through the final block; returns the byte offset just past the stream. */
	run(): number {
		let isFinal: number;
		do {
			isFinal = this.bits(1);
			const type = this.bits(2);
			if (type === 0) this.storedBlock();
			else if (type === 1) this.huffmanBlock(...getFixedTables());
			else if (type === 2) this.huffmanBlock(...this.readDynamicTables());
			else throw new GzipError('Invalid DEFLATE block type 3 (reserved)');
		} while (!isFinal);
		// Whole bytes already pulled into the accumulator belong to whatever follows the stream.
		return this.pos - (this.bitCount >>> 3);
	}

	/** Tops the accumulator up to at least 24 bits while input lasts (24 + 7 < 32, so no overflow). */
	private refill(): void {
		while (this.bitCount < 24 && this.pos < this.input.length) {
			this.bitBuf |= this.input[this.pos++] << this.bitCount;
			this.bitCount += 8;
		}
	}

	/** Reads an n-bit (n <= 24) little-endian field. */
	private bits(n: number): number {
		if (this.bitCount < n) {
			this.refill();
			if (this.bitCount < n) throw truncated();
		}
		const value = this.bitBuf & ((1 << n) - 1);
		this.bitBuf >>>= n;
		this.bitCount -= n;
		return value;
	}

	private decodeSymbol(code: HuffmanTable): number {
		if (this.bitCount < MAX_CODE_BITS) this.refill();
		const buf = this.bitBuf;
		let entry = code.table[buf & code.rootMask];
		if (entry & LINK_FLAG) {
			entry = code.table[(entry >>> 5) + ((buf >>> code.rootBits) & ((1 << (entry & 15)) - 1))];
		}
		const len = entry & 15;
		if (len === 0 || len > this.bitCount) {
			// Past the end of input the accumulator is zero-padded, so a miss there means truncation.
			if (this.pos >= this.input.length && this.bitCount < MAX_CODE_BITS) throw truncated();
			throw new GzipError('Invalid Huffman code in compressed data');
		}
		this.bitBuf >>>= len;
		this.bitCount -= len;
		return entry >>> 5;
	}

	private storedBlock(): void {
		// Stored data is byte-aligned: drop the rest of the current byte, hand back prefetched bytes.
		this.pos -= this.bitCount >>> 3;
		this.bitBuf = 0;
		this.bitCount = 0;
		const input = this.input;
		const pos = this.pos;
		if (pos + 4 > input.length) throw truncated();
		const len = input[pos] | (input[pos + 1] << 8);
		const nlen = input[pos + 2] | (input[pos + 3] << 8);
		if ((len ^ 0xffff) !== nlen) throw new GzipError('Invalid stored block: LEN does not match NLEN');
		if (pos + 4 + len > input.length) throw truncated();
		this.out.append(input.subarray(pos + 4, pos + 4 + len));
		this.pos = pos + 4 + len;
	}

	/** Reads a dynamic block's code definitions (RFC 1951 §3.2.7). */
	private readDynamicTables(): [HuffmanTable, HuffmanTable] {
		const hlit = this.bits(5) + 257;
		const hdist = this.bits(5) + 1;
		const hclen = this.bits(4) + 4;
		if (hlit > 286) throw new GzipError(`Invalid dynamic block: ${hlit} literal/length codes (max 286)`);

		const codeLenLengths = new Uint8Array(19);
		for (let i = 0; i < hclen; i++) codeLenLengths[CODELEN_ORDER[i]] = this.bits(3);
		const codeLenCode = buildHuffmanTable(codeLenLengths, CODELEN_ROOT_BITS, 'code length');

		// Literal/length and distance lengths form one sequence; repeats may cross between them.
		const total = hlit + hdist;
		const lengths = new Uint8Array(total);
		for (let i = 0; i < total; ) {
			const sym = this.decodeSymbol(codeLenCode);
			if (sym < 16) {
				lengths[i++] = sym;
				continue;
			}
			let value = 0;
			let repeat: number;
			if (sym === 16) {
				if (i === 0) throw new GzipError('Invalid dynamic block: repeat code with no previous length');
				value = lengths[i - 1];
				repeat = 3 + this.bits(2);
			} else if (sym === 17) {
				repeat = 3 + this.bits(3);
			} else {
				repeat = 11 + this.bits(7);
			}
			if (i + repeat > total) throw new GzipError('Invalid dynamic block: code lengths overflow the alphabet');
			lengths.fill(value, i, i + repeat);
			i += repeat;
		}
		// Without an end-of-block code the block could never end.
		if (lengths[END_OF_BLOCK] === 0) throw new GzipError('Invalid dynamic block: missing end-of-block code');

		return [
			buildHuffmanTable(lengths.subarray(0, hlit), LITLEN_ROOT_BITS, 'literal/length'),
			buildHuffmanTable(lengths.subarray(hlit), DIST_ROOT_BITS, 'distance'),
		];
	}

	/** The hot loop: literals and length/distance pairs until end-of-block (RFC 1951 §3.2.5). */
	private huffmanBlock(litLen: HuffmanTable, dist: HuffmanTable): void {
		const out = this.out;
		for (;;) {
			const sym = this.decodeSymbol(litLen);
			if (sym < 256) {
				out.pushByte(sym);
				continue;
			}
			if (sym === END_OF_BLOCK) return;
			const li = sym - 257;
			if (li >= 29) throw new GzipError(`Invalid literal/length symbol ${sym}`);
			const length = LENGTH_BASE[li] + this.bits(LENGTH_EXTRA[li]);
			const ds = this.decodeSymbol(dist);
			if (ds >= 30) throw new GzipError(`Invalid distance symbol ${ds}`);
			const distance = DIST_BASE[ds] + this.bits(DIST_EXTRA[ds]);
			if (distance > out.length - this.outStart) {
				throw new GzipError(`Invalid distance ${distance}: reaches back before the start of the output`);
			}
			out.copyMatch(distance, length);
		}
	}
}

/** Decompresses a raw DEFLATE stream (no zlib or gzip wrapper). Bytes after the final block are ignored. */
export function inflateRaw(data: Uint8Array, maxOutputBytes: number = DEFAULT_MAX_OUTPUT_BYTES): Uint8Array {
	checkMaxOutputBytes(maxOutputBytes);
	const out = new OutputBuffer(Math.max(4096, data.length * 4), maxOutputBytes);
	new Inflater(data, 0, out).run();
	return out.result();
}
