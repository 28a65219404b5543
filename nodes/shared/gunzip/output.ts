import { GzipError } from './errors';

/**
 * Growable output with a hard size cap. The cap is checked before every allocation, so a
 * decompression bomb fails fast instead of exhausting memory.
 */
export class OutputBuffer {
	buf: Uint8Array;
	length = 0;

	constructor(
		initialSize: number,
		private readonly maxBytes: number,
	) {
		this.buf = new Uint8Array(Math.min(initialSize, maxBytes));
	}

	/** Makes room for `extra` more bytes; `buf` may be replaced, so re-read it afterwards. */
	ensure(extra: number): void {
		if (this.length + extra > this.buf.length) this.grow(this.length + extra);
	}

	private grow(needed: number): void {
		if (needed > this.maxBytes) {
			throw new GzipError(`Decompressed data exceeds maxOutputBytes (${this.maxBytes} bytes)`);
		}
		// Doubling keeps the total copying linear in the output size.
		const size = Math.min(this.maxBytes, Math.max(needed, this.buf.length * 2, 4096));
		const next = new Uint8Array(size);
		next.set(this.buf.subarray(0, this.length));
		this.buf = next;
	}

	pushByte(byte: number): void {
		if (this.length === this.buf.length) this.grow(this.length + 1);
		this.buf[this.length++] = byte;
	}

	append(chunk: Uint8Array): void {
		this.ensure(chunk.length);
		this.buf.set(chunk, this.length);
		this.length += chunk.length;
	}

	/** LZ77 back-reference; the caller has checked that `distance` stays inside the output. */
	copyMatch(distance: number, length: number): void {
		this.ensure(length);
		const buf = this.buf;
		let to = this.length;
		let from = to - distance;
		if (distance >= length && length > 16) {
			// Non-overlapping: a native block copy is faster for long runs.
			buf.copyWithin(to, from, from + length);
		} else {
			// Overlapping copies must go byte by byte: they repeat bytes written by this very copy.
			const end = to + length;
			while (to < end) buf[to++] = buf[from++];
		}
		this.length += length;
	}

	view(start: number): Uint8Array {
		return this.buf.subarray(start, this.length);
	}

	/** The exact-size result; avoids a copy when the size hint was right. */
	result(): Uint8Array {
		return this.buf.length === this.length ? this.buf : this.buf.slice(0, this.length);
	}
}
