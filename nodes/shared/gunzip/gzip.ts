import { crc32 } from './crc32';
import { DEFAULT_MAX_OUTPUT_BYTES, GzipError, checkMaxOutputBytes } from './errors';
import { Inflater } from './inflate';
import { OutputBuffer } from './output';

// Member header layout and flag bits (RFC 1952 §2.3.1).
const ID1 = 0x1f;
const ID2 = 0x8b;
const CM_DEFLATE = 8;
const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const FRESERVED = 0xe0; // FTEXT (0x01) is only a hint and needs no handling
const FIXED_HEADER_BYTES = 10;
const TRAILER_BYTES = 8;

/** DEFLATE cannot expand data by more than about 1032:1, which bounds a trustworthy size hint. */
const MAX_DEFLATE_RATIO = 1032;

export function isGzip(data: Uint8Array): boolean {
	return data.length >= 2 && data[0] === ID1 && data[1] === ID2;
}

function readUint16LE(data: Uint8Array, pos: number): number {
	return data[pos] | (data[pos + 1] << 8);
}

function readUint32LE(data: Uint8Array, pos: number): number {
	return (data[pos] | (data[pos + 1] << 8) | (data[pos + 2] << 16) | (data[pos + 3] << 24)) >>> 0;
}

function hex(n: number): string {
	return n.toString(16).padStart(8, '0');
}

function truncatedHeader(offset: number): GzipError {
	return new GzipError(`Truncated gzip header in member at offset ${offset}`);
}

/** Skips an ISO 8859-1, zero-terminated header field (FNAME or FCOMMENT). */
function skipZeroTerminated(data: Uint8Array, pos: number, memberStart: number): number {
	const end = data.indexOf(0, pos);
	if (end < 0) throw truncatedHeader(memberStart);
	return end + 1;
}

/** Parses a member header (RFC 1952 §2.3) and returns the offset of its DEFLATE data. */
function readHeader(data: Uint8Array, start: number): number {
	const available = data.length - start;
	if ((available > 0 && data[start] !== ID1) || (available > 1 && data[start + 1] !== ID2)) {
		throw new GzipError(`Not gzip data: bad magic bytes at offset ${start} (expected 1f 8b)`);
	}
	if (available < FIXED_HEADER_BYTES) throw truncatedHeader(start);
	if (data[start + 2] !== CM_DEFLATE) {
		throw new GzipError(`Unsupported gzip compression method ${data[start + 2]} (only 8, deflate, is defined)`);
	}
	const flags = data[start + 3];
	// RFC 1952 requires rejecting reserved flags: they may announce fields we would misparse.
	if (flags & FRESERVED) throw new GzipError(`Unsupported gzip header flags 0x${flags.toString(16)} (reserved bits set)`);

	let pos = start + FIXED_HEADER_BYTES; // skips MTIME, XFL and OS, which decoding does not need
	if (flags & FEXTRA) {
		if (pos + 2 > data.length) throw truncatedHeader(start);
		pos += 2 + readUint16LE(data, pos);
		if (pos > data.length) throw truncatedHeader(start);
	}
	if (flags & FNAME) pos = skipZeroTerminated(data, pos, start);
	if (flags & FCOMMENT) pos = skipZeroTerminated(data, pos, start);
	if (flags & FHCRC) {
		if (pos + 2 > data.length) throw truncatedHeader(start);
		const expected = readUint16LE(data, pos);
		const actual = crc32(data.subarray(start, pos)) & 0xffff;
		if (expected !== actual) throw new GzipError(`Gzip header CRC mismatch in member at offset ${start}`);
		pos += 2;
	}
	return pos;
}

/** Decodes one member into `out` and returns the offset just past its trailer. */
function readMember(data: Uint8Array, start: number, out: OutputBuffer): number {
	const outStart = out.length;
	let pos = readHeader(data, start);
	pos = new Inflater(data, pos, out).run();
	if (pos + TRAILER_BYTES > data.length) throw new GzipError(`Truncated gzip trailer in member at offset ${start}`);

	const expectedCrc = readUint32LE(data, pos);
	const expectedSize = readUint32LE(data, pos + 4);
	const produced = out.view(outStart);
	const actualCrc = crc32(produced);
	if (actualCrc !== expectedCrc) {
		throw new GzipError(`Gzip CRC-32 mismatch in member at offset ${start}: expected ${hex(expectedCrc)}, got ${hex(actualCrc)}`);
	}
	// ISIZE is the uncompressed size modulo 2^32.
	const actualSize = produced.length % 0x100000000;
	if (actualSize !== expectedSize) {
		throw new GzipError(`Gzip size mismatch in member at offset ${start}: trailer says ${expectedSize} bytes, got ${actualSize}`);
	}
	return pos + TRAILER_BYTES;
}

function isAllZero(data: Uint8Array, from: number): boolean {
	for (let i = from; i < data.length; i++) if (data[i] !== 0) return false;
	return true;
}

/**
 * Decompresses gzip data (RFC 1952): every concatenated member is decoded and the outputs joined,
 * as gzip(1) does. Trailing zero padding is ignored; any other trailing bytes are an error rather
 * than silently dropped, since they usually mean a corrupted or mis-concatenated download.
 */
export function gunzip(data: Uint8Array, maxOutputBytes: number = DEFAULT_MAX_OUTPUT_BYTES): Uint8Array {
	checkMaxOutputBytes(maxOutputBytes);
	if (data.length === 0) throw new GzipError('Not gzip data: input is empty');

	// The last ISIZE is exact for the usual single member, so the buffer rarely needs to grow;
	// it is untrusted, hence capped by what the input could possibly expand to.
	const sizeHint = data.length >= 18 ? readUint32LE(data, data.length - 4) : 0;
	const out = new OutputBuffer(Math.min(sizeHint, data.length * MAX_DEFLATE_RATIO), maxOutputBytes);

	let pos = 0;
	for (;;) {
		pos = readMember(data, pos, out);
		if (isAllZero(data, pos)) return out.result();
		if (data[pos] !== ID1 || (pos + 1 < data.length && data[pos + 1] !== ID2)) {
			throw new GzipError(`Unexpected data after gzip member at offset ${pos} (not a gzip member)`);
		}
	}
}
