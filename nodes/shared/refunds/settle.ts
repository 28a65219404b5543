/**
 * Turning a throw into a value, so shared modules can decide about an error outside a catch block
 * (the n8n Cloud rule wants node errors thrown from catch blocks; these modules have no node, and
 * the node routers wrap whatever reaches them in NodeApiError/NodeOperationError).
 */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function settle<T>(run: () => Promise<T>): Promise<Settled<T>> {
	try {
		return { ok: true, value: await run() };
	} catch (error) {
		return { ok: false, error };
	}
}

export function settleSync<T>(run: () => T): Settled<T> {
	try {
		return { ok: true, value: run() };
	} catch (error) {
		return { ok: false, error };
	}
}
