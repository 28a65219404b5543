/**
 * Every malformed-input failure of the gzip/DEFLATE decoder is a GzipError, so callers can tell
 * corrupt data apart from programming errors and wrap it in a NodeOperationError with context.
 */
export class GzipError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'GzipError';
	}
}

/** 64 MiB: far above any SP-API processing report, low enough to stop a decompression bomb. */
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export function checkMaxOutputBytes(maxOutputBytes: number): void {
	if (!Number.isSafeInteger(maxOutputBytes) || maxOutputBytes < 0) {
		throw new RangeError(`maxOutputBytes must be a non-negative integer, got ${maxOutputBytes}`);
	}
}
