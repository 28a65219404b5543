// @ts-check
'use strict';

/**
 * Fault injection shared by both sandboxes.
 *
 * A rule `{ operation, kind, probability = 1, count, delayMs }` applies to requests of that
 * operation (`'*'` = every operation). For each request the first matching rule whose seeded
 * random draw is below `probability` fires; `count` (when given) is how many times it may fire
 * before it is removed.
 *
 * Kinds (what the server does is up to the sandbox, these are the shared meanings):
 *  - '429' | '500' | '503': answer that status in the API's error shape, no effect.
 *  - 'slow': commit the effect, answer normally but only after `delayMs` REAL ms (default 30000).
 *  - 'reset': destroy the socket without answering; no effect.
 *  - 'malformed': answer 200 with a body that is not valid JSON; no effect.
 *  - 'lostResponse': commit the effect, then destroy the socket (client never learns it worked).
 *
 * @typedef {'429'|'500'|'503'|'slow'|'reset'|'malformed'|'lostResponse'} FaultKind
 * @typedef {{ operation: string, kind: FaultKind, probability: number, count: number|null, delayMs: number, id: number }} FaultRule
 * @typedef {{ operation?: string, kind?: string, probability?: number, count?: number, delayMs?: number }} FaultSpec
 * @typedef {object} Faults
 * @property {(spec: FaultSpec|FaultSpec[]) => FaultRule[]} set   add rule(s); throws on a bad spec
 * @property {(operation?: string) => void} clear                 remove all rules (or one operation's)
 * @property {() => FaultRule[]} list
 * @property {(operation: string) => FaultRule|null} take         decide for one request
 * @property {(fault: FaultRule, operation: string) => void} putBack give back a fault taken by a request that never executed
 * @property {() => Record<string, number>} injected              fired count per "operation:kind"
 * @property {() => void} resetCounters
 */

/** @type {readonly FaultKind[]} */
const FAULT_KINDS = ['429', '500', '503', 'slow', 'reset', 'malformed', 'lostResponse'];

/**
 * @param {{ rng: import('./rng').Rng, operations?: readonly string[] }} opts
 *   `operations`: when given, `set` rejects unknown operation names (besides '*').
 * @returns {Faults}
 */
function createFaults({ rng, operations }) {
	/** @type {FaultRule[]} */
	let rules = [];
	/** @type {Record<string, number>} */
	let fired = {};
	let nextId = 1;

	/** @param {FaultSpec} spec @returns {FaultRule} */
	const normalize = (spec) => {
		if (!spec || typeof spec !== 'object' || Array.isArray(spec)) {
			throw new Error('fault spec must be an object like { operation, kind, probability?, count?, delayMs? }');
		}
		const allowed = ['operation', 'kind', 'probability', 'count', 'delayMs'];
		for (const key of Object.keys(spec)) {
			if (!allowed.includes(key)) throw new Error(`unknown fault field "${key}" (allowed: ${allowed.join(', ')})`);
		}
		const operation = spec.operation;
		if (typeof operation !== 'string' || operation === '') {
			throw new Error('fault.operation is required (an operation name, or "*" for all)');
		}
		if (operations && operation !== '*' && !operations.includes(operation)) {
			throw new Error(`unknown operation "${operation}" (known: ${operations.join(', ')}, *)`);
		}
		const kind = String(spec.kind);
		if (!FAULT_KINDS.includes(/** @type {FaultKind} */ (kind))) {
			throw new Error(`fault.kind must be one of ${FAULT_KINDS.join(', ')}, got ${JSON.stringify(spec.kind)}`);
		}
		const probability = spec.probability ?? 1;
		if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1)) {
			throw new Error(`fault.probability must be a number in [0, 1], got ${JSON.stringify(spec.probability)}`);
		}
		const count = spec.count ?? null;
		if (count !== null && !(Number.isInteger(count) && count > 0)) {
			throw new Error(`fault.count must be a positive integer, got ${JSON.stringify(spec.count)}`);
		}
		const delayMs = spec.delayMs ?? 30000;
		if (typeof delayMs !== 'number' || !(delayMs >= 0)) {
			throw new Error(`fault.delayMs must be a non-negative number, got ${JSON.stringify(spec.delayMs)}`);
		}
		return { operation, kind: /** @type {FaultKind} */ (kind), probability, count, delayMs, id: nextId++ };
	};

	return {
		set(spec) {
			const list = Array.isArray(spec) ? spec : [spec];
			const normalized = list.map(normalize);
			rules.push(...normalized);
			return normalized.map((r) => ({ ...r }));
		},
		clear(operation) {
			rules = operation ? rules.filter((r) => r.operation !== operation) : [];
		},
		list: () => rules.map((r) => ({ ...r })),
		take(operation) {
			for (const rule of rules) {
				if (rule.operation !== '*' && rule.operation !== operation) continue;
				if (rule.probability < 1 && !(rng.next() < rule.probability)) continue;
				if (rule.count !== null) {
					rule.count -= 1;
					if (rule.count <= 0) rules = rules.filter((r) => r !== rule);
				}
				const key = `${operation}:${rule.kind}`;
				fired[key] = (fired[key] ?? 0) + 1;
				return { ...rule };
			}
			return null;
		},
		/**
		 * Returns a fault that was taken for a request that never executed (for example a
		 * throttled one): a "committed but lost" fault only makes sense once something committed.
		 * @param {FaultRule} fault
		 * @param {string} operation
		 */
		putBack(fault, operation) {
			const key = `${operation}:${fault.kind}`;
			fired[key] = Math.max(0, (fired[key] ?? 0) - 1);
			if (fired[key] === 0) delete fired[key];
			const existing = rules.find((r) => r.id === fault.id);
			if (existing && existing.count !== null) existing.count += 1;
			else if (!existing) rules.unshift({ ...fault, count: fault.count === null ? null : 1 });
		},
		injected: () => ({ ...fired }),
		resetCounters() {
			fired = {};
		},
	};
}

module.exports = { createFaults, FAULT_KINDS };
