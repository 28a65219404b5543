import { createHash } from 'crypto';

import fixtureFile from '../fixtures/gzip-fixtures.json';
import {
	DEFAULT_MAX_OUTPUT_BYTES,
	GzipError,
	crc32,
	decodeUtf8,
	gunzip,
	inflateRaw,
	isGzip,
} from '../../nodes/shared/gunzip';

/*
 * Compressed inputs come from test/fixtures/gzip-fixtures.json, produced by Node's zlib through
 * make-gzip-fixtures.js (tests may not import zlib). Hand-built streams below use a tiny
 * test-only DEFLATE writer to reach error paths and to randomize match copying.
 */

interface Fixture {
	name: string;
	format: 'gzip' | 'deflate-raw';
	description: string;
	base64: string;
	sha256: string;
	length: number;
	text?: string;
}

const FIXTURES = fixtureFile.fixtures as Fixture[];
const GZIP_FIXTURES = FIXTURES.filter((f) => f.format === 'gzip');
const SINGLE_MEMBER = GZIP_FIXTURES.filter((f) => f.name !== 'two-members');

function fixture(name: string): Fixture {
	const found = FIXTURES.find((f) => f.name === name);
	if (!found) throw new Error(`no fixture named ${name}`);
	return found;
}

/** A fresh copy each call, so tests can corrupt it freely. */
function bytesOf(name: string): Uint8Array {
	return new Uint8Array(Buffer.from(fixture(name).base64, 'base64'));
}

function sha256(data: Uint8Array): string {
	return createHash('sha256').update(data).digest('hex');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
	return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

function concat(...parts: Uint8Array[]): Uint8Array {
	return new Uint8Array(Buffer.concat(parts));
}

/** xorshift32, so every "random" case is the same on every run. */
function prng(seed: number): () => number {
	let s = seed >>> 0 || 1;
	return () => {
		s ^= s << 13;
		s >>>= 0;
		s ^= s >>> 17;
		s ^= s << 5;
		s >>>= 0;
		return s / 0x100000000;
	};
}

function expectGzipError(fn: () => unknown, message: RegExp): void {
	expect(fn).toThrow(GzipError);
	expect(fn).toThrow(message);
}

// ---- test-only DEFLATE writer (RFC 1951 tables typed out, independently of the decoder) ----

const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289,
	16385, 24577,
];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

class BitWriter {
	private readonly bytes: number[] = [];
	private acc = 0;
	private count = 0;

	/** Plain fields go least significant bit first. */
	bits(value: number, n: number): this {
		for (let i = 0; i < n; i++) {
			this.acc |= ((value >>> i) & 1) << this.count;
			if (++this.count === 8) this.flush();
		}
		return this;
	}

	/** Huffman codes go most significant bit first. */
	code(code: number, n: number): this {
		for (let i = n - 1; i >= 0; i--) this.bits((code >>> i) & 1, 1);
		return this;
	}

	align(): this {
		if (this.count > 0) this.flush();
		return this;
	}

	finish(): Uint8Array {
		return Uint8Array.from(this.align().bytes);
	}

	private flush(): void {
		this.bytes.push(this.acc);
		this.acc = 0;
		this.count = 0;
	}
}

/** Fixed literal/length code (RFC 1951 §3.2.6). */
function fixedSymbol(w: BitWriter, sym: number): void {
	if (sym < 144) w.code(0x30 + sym, 8);
	else if (sym < 256) w.code(0x190 + sym - 144, 9);
	else if (sym < 280) w.code(sym - 256, 7);
	else w.code(0xc0 + sym - 280, 8);
}

function lastIndexAtMost(bases: number[], value: number): number {
	let i = bases.length - 1;
	while (bases[i] > value) i--;
	return i;
}

function fixedMatch(w: BitWriter, length: number, distance: number): void {
	const li = lastIndexAtMost(LEN_BASE, length);
	fixedSymbol(w, 257 + li);
	w.bits(length - LEN_BASE[li], LEN_EXTRA[li]);
	const di = lastIndexAtMost(DIST_BASE, distance);
	w.code(di, 5);
	w.bits(distance - DIST_BASE[di], DIST_EXTRA[di]);
}

/** A minimal gzip member (no optional fields) around a raw stream; trailer values overridable. */
function gzipMember(deflate: Uint8Array, content: Uint8Array, crc = crc32(content), size = content.length): Uint8Array {
	const header = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
	const trailer = Buffer.alloc(8);
	trailer.writeUInt32LE(crc >>> 0, 0);
	trailer.writeUInt32LE(size >>> 0, 4);
	return concat(Uint8Array.from(header), deflate, trailer);
}

/** One fixed-Huffman final block holding the given writer calls. */
function fixedBlock(body: (w: BitWriter) => void): Uint8Array {
	const w = new BitWriter().bits(1, 1).bits(1, 2);
	body(w);
	return w.finish();
}

// ---------------------------------------------------------------------------------------------

describe('gunzip: zlib-produced fixtures', () => {
	test.each(GZIP_FIXTURES.map((f) => [f.name, f] as const))('%s', (_name, f) => {
		const out = gunzip(bytesOf(f.name));
		expect(out).toBeInstanceOf(Uint8Array);
		expect(out.length).toBe(f.length);
		expect(sha256(out)).toBe(f.sha256);
	});

	test.each(FIXTURES.filter((f) => f.format === 'deflate-raw').map((f) => [f.name, f] as const))('inflateRaw %s', (_name, f) => {
		const out = inflateRaw(bytesOf(f.name));
		expect(out.length).toBe(f.length);
		expect(sha256(out)).toBe(f.sha256);
	});

	test('the fixtures cover stored, fixed and dynamic blocks and levels 0, 1, 6, 9', () => {
		// With no optional header fields the first DEFLATE byte is at offset 10; BTYPE is bits 1-2.
		const firstBlockTypes = new Set(SINGLE_MEMBER.filter((f) => bytesOf(f.name)[3] === 0).map((f) => (bytesOf(f.name)[10] >> 1) & 3));
		expect([...firstBlockTypes].sort()).toEqual([0, 1, 2]);
		for (const level of [0, 1, 6, 9]) expect(fixture(`mixed-level-${level}`).length).toBeGreaterThan(65535);
	});

	test('text fixtures decode to the original strings', () => {
		for (const name of ['ascii', 'utf8']) expect(decodeUtf8(gunzip(bytesOf(name)))).toBe(fixture(name).text);
		expect(decodeUtf8(gunzip(bytesOf('utf8')))).toContain('東京都渋谷区');
		expect(decodeUtf8(gunzip(bytesOf('utf8')))).toContain('📦');
		expect(decodeUtf8(inflateRaw(bytesOf('raw-ascii')))).toBe(fixture('raw-ascii').text);
	});

	test('a header with FTEXT, FHCRC, FEXTRA, FNAME and FCOMMENT is parsed', () => {
		const data = bytesOf('header-fields');
		expect(data[3]).toBe(0x1f);
		expect(decodeUtf8(gunzip(data))).toMatch(/^<\?xml version="1.0"/);
	});

	test('concatenated members are joined', () => {
		const out = gunzip(bytesOf('two-members'));
		expect(sha256(out)).toBe(fixture('two-members').sha256);
		expect(decodeUtf8(out.subarray(out.length - fixture('utf8').length))).toBe(fixture('utf8').text);
	});

	test('trailing zero padding after the last member is ignored', () => {
		const out = gunzip(concat(bytesOf('ascii'), new Uint8Array(512)));
		expect(decodeUtf8(out)).toBe(fixture('ascii').text);
	});
});

describe('helpers', () => {
	test('isGzip checks the magic bytes only', () => {
		expect(isGzip(bytesOf('ascii'))).toBe(true);
		expect(isGzip(Uint8Array.from([0x1f, 0x8b]))).toBe(true);
		expect(isGzip(Uint8Array.from([0x1f]))).toBe(false);
		expect(isGzip(new Uint8Array(0))).toBe(false);
		expect(isGzip(Buffer.from('<?xml'))).toBe(false);
	});

	test('crc32 matches the standard check values', () => {
		expect(crc32(new Uint8Array(0))).toBe(0);
		expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
		expect(crc32(Buffer.from('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
		expect(crc32(Buffer.from('a'))).toBe(0xe8b7be43);
	});

	test('crc32 can continue across chunks of any alignment', () => {
		const data = gunzip(bytesOf('mixed-level-6'));
		const whole = crc32(data);
		for (const cut of [0, 1, 2, 3, 5, 4096, 4099, data.length - 1, data.length]) {
			expect(crc32(data.subarray(cut), crc32(data.subarray(0, cut)))).toBe(whole);
		}
	});

	test('decodeUtf8 drops a BOM and replaces invalid sequences', () => {
		expect(decodeUtf8(Uint8Array.from([0xef, 0xbb, 0xbf, 0x41]))).toBe('A');
		expect(decodeUtf8(Uint8Array.from([0x41, 0xff, 0x42]))).toBe('A\ufffdB');
		expect(decodeUtf8(new Uint8Array(0))).toBe('');
	});

	test('the default output cap is 64 MiB', () => {
		expect(DEFAULT_MAX_OUTPUT_BYTES).toBe(64 * 1024 * 1024);
	});
});

describe('gunzip: malformed input', () => {
	test('bad magic', () => {
		expectGzipError(() => gunzip(Buffer.from('<?xml version="1.0"?>')), /bad magic/);
		expectGzipError(() => gunzip(Uint8Array.from([0x1f, 0x8c, 8, 0, 0, 0, 0, 0, 0, 3])), /bad magic/);
		expectGzipError(() => gunzip(new Uint8Array(0)), /empty/);
	});

	test('unsupported compression method', () => {
		const data = bytesOf('ascii');
		data[2] = 7;
		expectGzipError(() => gunzip(data), /compression method 7/);
	});

	test('reserved header flags', () => {
		const data = bytesOf('ascii');
		data[3] |= 0x20;
		expectGzipError(() => gunzip(data), /reserved/);
	});

	test('header CRC mismatch', () => {
		const data = bytesOf('header-fields');
		data[4] ^= 0x01; // MTIME is covered by the header CRC
		expectGzipError(() => gunzip(data), /header CRC mismatch/);
	});

	test('every truncation of small members is reported as truncated', () => {
		for (const name of ['empty', 'ascii', 'utf8', 'header-fields']) {
			const data = bytesOf(name);
			for (let end = 1; end < data.length; end++) {
				expectGzipError(() => gunzip(data.subarray(0, end)), /truncated/i);
			}
		}
	});

	test('truncation at sampled offsets of large members is reported as truncated', () => {
		for (const name of ['report-2mb', 'random-300k', 'mixed-level-0', 'excerpt-fixed', 'zeros-8mb']) {
			const data = bytesOf(name);
			const n = data.length;
			for (const end of [2, 9, 10, 11, 12, 100, n >> 2, n >> 1, n - 100, n - 9, n - 8, n - 5, n - 1]) {
				expectGzipError(() => gunzip(data.subarray(0, end)), /truncated/i);
			}
		}
	});

	test('flipped CRC byte', () => {
		const data = bytesOf('report-2mb');
		data[data.length - 8] ^= 0xff;
		expectGzipError(() => gunzip(data), /CRC-32 mismatch/);
	});

	test('wrong ISIZE', () => {
		for (const name of ['ascii', 'report-2mb']) {
			const data = bytesOf(name);
			data[data.length - 4] ^= 0x01;
			expectGzipError(() => gunzip(data), /size mismatch/);
		}
	});

	test('maxOutputBytes is enforced, inclusive of the exact size', () => {
		const data = bytesOf('report-2mb');
		const size = fixture('report-2mb').length;
		expect(gunzip(data, size).length).toBe(size);
		expectGzipError(() => gunzip(data, size - 1), /exceeds maxOutputBytes/);
		expectGzipError(() => gunzip(bytesOf('zeros-8mb'), 1024 * 1024), /exceeds maxOutputBytes/);
		expectGzipError(() => inflateRaw(bytesOf('raw-mixed'), 1000), /exceeds maxOutputBytes/);
		expect(gunzip(bytesOf('empty'), 0).length).toBe(0);
	});

	test('maxOutputBytes spans all members', () => {
		const size = fixture('two-members').length;
		expect(gunzip(bytesOf('two-members'), size).length).toBe(size);
		expectGzipError(() => gunzip(bytesOf('two-members'), size - 1), /exceeds maxOutputBytes/);
	});

	test('the default cap stops a stream that expands past 64 MiB', () => {
		// One literal, then (length 258, distance 1) pairs: 13 bits for every 258 output bytes.
		const pairs = Math.ceil((DEFAULT_MAX_OUTPUT_BYTES + 1) / 258);
		const bomb = fixedBlock((w) => {
			fixedSymbol(w, 0);
			for (let i = 0; i < pairs; i++) fixedMatch(w, 258, 1);
			fixedSymbol(w, 256);
		});
		expect(bomb.length).toBeLessThan(500 * 1024);
		expectGzipError(() => gunzip(gzipMember(bomb, new Uint8Array(0))), /exceeds maxOutputBytes \(67108864 bytes\)/);
	});

	test('invalid maxOutputBytes is a RangeError', () => {
		for (const bad of [-1, 1.5, Number.NaN, Infinity]) expect(() => gunzip(bytesOf('ascii'), bad)).toThrow(RangeError);
	});

	test('invalid block type 3', () => {
		expectGzipError(() => inflateRaw(Uint8Array.from([0x07, 0, 0])), /block type 3/);
		expectGzipError(() => gunzip(gzipMember(Uint8Array.from([0x07, 0, 0]), new Uint8Array(0))), /block type 3/);
	});

	test('stored block with LEN/NLEN mismatch', () => {
		expectGzipError(() => inflateRaw(Uint8Array.from([0x01, 5, 0, 0, 0, 1, 2, 3, 4, 5])), /LEN does not match NLEN/);
	});

	test('distance reaching before the start of the output', () => {
		const stream = fixedBlock((w) => {
			fixedSymbol(w, 65);
			fixedMatch(w, 3, 2);
			fixedSymbol(w, 256);
		});
		expectGzipError(() => inflateRaw(stream), /Invalid distance 2/);
	});

	test('a back-reference may not reach into the previous member', () => {
		const second = fixedBlock((w) => {
			fixedMatch(w, 3, 1);
			fixedSymbol(w, 256);
		});
		const data = concat(bytesOf('ascii'), gzipMember(second, Buffer.from('\n\n\n')));
		expectGzipError(() => gunzip(data), /Invalid distance 1/);
	});

	test('literal/length symbols 286-287 and distance symbols 30-31 are rejected', () => {
		expectGzipError(() => inflateRaw(fixedBlock((w) => fixedSymbol(w, 286))), /literal\/length symbol 286/);
		const badDistance = fixedBlock((w) => {
			fixedSymbol(w, 65);
			fixedSymbol(w, 257);
			w.code(30, 5);
		});
		expectGzipError(() => inflateRaw(badDistance), /distance symbol 30/);
	});

	/** Dynamic block header: HLIT=257, HDIST=1, then code-length code lengths in RFC order. */
	function dynamicHeader(codeLenLengths: number[], hlit = 257): BitWriter {
		const w = new BitWriter().bits(1, 1).bits(2, 2).bits(hlit - 257, 5).bits(0, 5).bits(codeLenLengths.length - 4, 4);
		for (const len of codeLenLengths) w.bits(len, 3);
		return w;
	}

	test('dynamic block: over-subscribed code', () => {
		// Symbols 16, 17, 18 and 0 all with length 1: four one-bit codes cannot exist.
		expectGzipError(() => inflateRaw(dynamicHeader([1, 1, 1, 1]).finish()), /over-subscribed/);
	});

	test('dynamic block: repeat with no previous length', () => {
		// Code-length code: symbols 0 and 16 get one-bit codes "0" and "1" (canonical order).
		const w = dynamicHeader([1, 0, 0, 1]).code(1, 1).bits(0, 2);
		expectGzipError(() => inflateRaw(w.finish()), /no previous length/);
	});

	test('dynamic block: lengths overflowing the alphabet', () => {
		// Symbol 0 -> "0", symbol 18 -> "1": 138 + 138 zeros > 258 lengths.
		const w = dynamicHeader([0, 0, 1, 1]).code(1, 1).bits(127, 7).code(1, 1).bits(127, 7);
		expectGzipError(() => inflateRaw(w.finish()), /overflow/);
	});

	test('dynamic block: missing end-of-block code', () => {
		// All 258 lengths zero via symbol 18 twice (138 + 120).
		const w = dynamicHeader([0, 0, 1, 1]).code(1, 1).bits(127, 7).code(1, 1).bits(109, 7);
		expectGzipError(() => inflateRaw(w.finish()), /missing end-of-block/);
	});

	test('dynamic block: too many literal/length codes', () => {
		expectGzipError(() => inflateRaw(dynamicHeader([1, 1, 0, 0], 287).finish()), /287 literal\/length codes/);
	});

	test('data after a member that is not another member', () => {
		expectGzipError(() => gunzip(concat(bytesOf('ascii'), Buffer.from('garbage'))), /Unexpected data after gzip member/);
		expectGzipError(() => gunzip(concat(bytesOf('ascii'), Uint8Array.from([0x1f, 0x00]))), /Unexpected data after gzip member/);
	});

	test('truncated raw DEFLATE', () => {
		const data = bytesOf('raw-mixed');
		for (const end of [0, 1, 50, data.length >> 1, data.length - 1]) {
			expectGzipError(() => inflateRaw(data.subarray(0, end)), /truncated/);
		}
	});
});

describe('randomized (seeded, no zlib at test time)', () => {
	test('random concatenations of fixture members decode to the joined outputs', () => {
		const rand = prng(0x1952);
		const pool = SINGLE_MEMBER.filter((f) => f.length < 1024 * 1024);
		for (let round = 0; round < 25; round++) {
			const picks = Array.from({ length: 2 + Math.floor(rand() * 4) }, () => pool[Math.floor(rand() * pool.length)]);
			const expected = concat(...picks.map((f) => gunzip(bytesOf(f.name))));
			const padding = new Uint8Array(rand() < 0.3 ? Math.floor(rand() * 64) : 0);
			const out = gunzip(concat(...picks.map((f) => bytesOf(f.name)), padding));
			expect(out.length).toBe(picks.reduce((sum, f) => sum + f.length, 0));
			expect(sameBytes(out, expected)).toBe(true);
		}
	});

	test('single-byte corruption is caught or harmless, and always a GzipError', () => {
		const rand = prng(0xbadc0de);
		for (const name of ['ascii', 'header-fields', 'excerpt-fixed', 'mixed-level-6', 'mixed-level-0', 'random-300k']) {
			const original = bytesOf(name);
			const f = fixture(name);
			for (let i = 0; i < 60; i++) {
				const data = original.slice();
				const at = Math.floor(rand() * data.length);
				data[at] ^= 1 + Math.floor(rand() * 255);
				let out: Uint8Array | undefined;
				let error: unknown;
				try {
					out = gunzip(data);
				} catch (e) {
					error = e;
				}
				if (error !== undefined) {
					expect(error).toBeInstanceOf(GzipError);
				} else {
					// Only fields outside every check (MTIME, XFL, OS) may change without an error.
					expect(out && sha256(out)).toBe(f.sha256);
				}
			}
		}
	});

	test('random LZ77 token streams round-trip through stored and fixed-Huffman blocks', () => {
		const rand = prng(0x5eed);
		for (let round = 0; round < 40; round++) {
			const expected: number[] = [];
			const w = new BitWriter();
			const blocks = 1 + Math.floor(rand() * 4);
			for (let b = 0; b < blocks; b++) {
				const isFinal = b === blocks - 1 ? 1 : 0;
				if (rand() < 0.3) {
					const len = Math.floor(rand() * 3000);
					w.bits(isFinal, 1).bits(0, 2).align().bits(len, 16).bits(len ^ 0xffff, 16);
					for (let i = 0; i < len; i++) {
						const byte = Math.floor(rand() * 256);
						w.bits(byte, 8);
						expected.push(byte);
					}
					continue;
				}
				w.bits(isFinal, 1).bits(1, 2);
				const tokens = Math.floor(rand() * 4000);
				for (let t = 0; t < tokens; t++) {
					if (expected.length > 0 && rand() < 0.45) {
						const window = Math.min(expected.length, 32768);
						const distance = 1 + Math.floor((rand() < 0.5 ? rand() * Math.min(window, 8) : rand() * window) % window);
						const length = 3 + Math.floor(rand() * 256);
						fixedMatch(w, length, distance);
						for (let k = 0; k < length; k++) expected.push(expected[expected.length - distance]);
					} else {
						const byte = rand() < 0.7 ? 0x61 + Math.floor(rand() * 6) : Math.floor(rand() * 256);
						fixedSymbol(w, byte);
						expected.push(byte);
					}
				}
				fixedSymbol(w, 256);
			}
			const deflate = w.finish();
			const content = Uint8Array.from(expected);
			expect(sameBytes(inflateRaw(deflate), content)).toBe(true);
			expect(sameBytes(gunzip(gzipMember(deflate, content)), content)).toBe(true);
		}
	});
});
