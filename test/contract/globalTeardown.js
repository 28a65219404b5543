// @ts-check
// Adds up what every sandbox saw during the run: requests our nodes sent that the official models
// reject fail the whole test run (see ledger.js).
const fs = require('node:fs');
const path = require('node:path');
const { DIR_ENV } = require('./ledger');
const { specsStatus } = require('./specs');

module.exports = async () => {
	const dir = process.env[DIR_ENV];
	if (!dir || !fs.existsSync(dir)) return;
	const entries = fs.readdirSync(dir).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
	fs.rmSync(dir, { recursive: true, force: true });
	const status = specsStatus();
	const sum = (/** @type {(e: any) => number} */ pick) => entries.reduce((n, e) => n + pick(e), 0);
	const amazonRequests = sum((e) => e.amazon.requests);
	const shopifyRequests = sum((e) => e.shopify.requests);
	const violations = entries.flatMap((e) => [
		...e.amazon.requestViolations.map((/** @type {any} */ v) => `${e.label}: Amazon ${v.operation ?? v.path}: ${JSON.stringify(v.errors)}`),
		...(e.amazon.responseViolations ? [`${e.label}: ${e.amazon.responseViolations} sandbox responses violate the Amazon models`] : []),
		...e.shopify.documentViolations.map((/** @type {any} */ v) => `${e.label}: Shopify ${v.operationName}: ${JSON.stringify(v.errors)}`),
	]);
	const out = process.stdout;
	if (!status.available) {
		out.write(`\ncontract: SKIPPED - ${status.reason}\n`);
		return;
	}
	out.write(
		`\ncontract: ${amazonRequests} Amazon requests and ${shopifyRequests} Shopify requests from ${entries.length} sandboxes checked against ../shared/specs: ${violations.length} violations\n`,
	);
	if (violations.length) {
		throw new Error(`Requests the official API models reject:\n${violations.slice(0, 50).join('\n')}`);
	}
};
