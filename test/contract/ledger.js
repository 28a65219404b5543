// @ts-check
// Collects, across the whole jest run, every request our nodes sent to the sandbox and what the
// sandbox found wrong with it against the official models. Written per sandbox on stop; the global
// teardown adds it up and fails the run on any violation. Plain JS: it writes files.
const fs = require('node:fs');
const path = require('node:path');

const DIR_ENV = 'SANDBOX_CONTRACT_DIR';

/**
 * @param {{ amazon: { control: any }, shopify: { control: any } }} sandbox
 * @param {string} label the test file
 */
function recordContract(sandbox, label) {
	const dir = process.env[DIR_ENV];
	if (!dir) return;
	const amazonRequests = sandbox.amazon.control.recordedRequests();
	const amazonState = sandbox.amazon.control.state();
	const shopifyRequests = sandbox.shopify.control.recordedRequests();
	const entry = {
		label,
		amazon: {
			specValidation: amazonState.specValidation,
			requests: amazonRequests.length,
			requestViolations: amazonRequests
				.filter((/** @type {any} */ r) => (r.validationErrors ?? []).length > 0)
				.map((/** @type {any} */ r) => ({ operation: r.operation, method: r.method, path: r.path, errors: r.validationErrors })),
			responseViolations: (amazonState.responseViolations ?? []).length,
		},
		shopify: {
			specValidation: sandbox.shopify.control.state().specValidation,
			requests: shopifyRequests.length,
			documentViolations: shopifyRequests
				.filter((/** @type {any} */ r) => (r.validationErrors ?? []).length > 0)
				.map((/** @type {any} */ r) => ({ operationName: r.operationName, errors: r.validationErrors })),
		},
	};
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`), JSON.stringify(entry));
}

module.exports = { recordContract, DIR_ENV };
