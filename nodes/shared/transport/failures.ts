/**
 * What a thrown HTTP error tells us. n8n wraps axios errors in NodeApiError with the axios error
 * as `cause`; we read both, and never keep the request config (it holds the auth headers).
 */
export interface ThrownHttpFailure {
	kind: 'response' | 'timeout' | 'network' | 'other';
	status?: number;
	body?: unknown;
	code?: string;
	message: string;
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ERR_SOCKET_CLOSED', 'ECONNABORTED_SOCKET']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'ERR_CANCELED']);

interface ErrorLike {
	message?: string;
	code?: string;
	httpCode?: string | null;
	cause?: ErrorLike;
	response?: { status?: number; data?: unknown };
}

export function classifyThrown(error: unknown): ThrownHttpFailure {
	const chain: ErrorLike[] = [];
	let current = error as ErrorLike | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		chain.push(current);
		current = current.cause;
	}
	const withResponse = chain.find((e) => e.response?.status !== undefined);
	const message = String(chain[0]?.message ?? 'unknown error');
	if (withResponse?.response) {
		return { kind: 'response', status: withResponse.response.status, body: withResponse.response.data, message };
	}
	const code = chain.map((e) => e.code).find((c): c is string => typeof c === 'string');
	if ((code && TIMEOUT_CODES.has(code)) || /timeout/i.test(message)) return { kind: 'timeout', code, message };
	if ((code && NETWORK_CODES.has(code)) || /socket hang up|ECONNRESET|network/i.test(message)) {
		return { kind: 'network', code, message };
	}
	const httpCode = Number(chain.find((e) => e.httpCode)?.httpCode);
	if (Number.isFinite(httpCode) && httpCode > 0) return { kind: 'response', status: httpCode, message };
	return { kind: 'other', code, message };
}
