// @ts-check
// Loads the official API models from ../shared/specs for the contract tests. Plain JS: the .ts
// tests may not touch the file system under the n8n Cloud lint rules.
const fs = require('node:fs');
const path = require('node:path');

const SPECS_DIR = process.env.SHARED_SPECS_DIR || path.resolve(__dirname, '../../../shared/specs');

/** @returns {{ available: true, dir: string } | { available: false, reason: string }} */
function specsStatus() {
	if (fs.existsSync(path.join(SPECS_DIR, 'shopify')) && fs.existsSync(path.join(SPECS_DIR, 'amazon'))) {
		return { available: true, dir: SPECS_DIR };
	}
	return { available: false, reason: `official API models not found at ${SPECS_DIR} (set SHARED_SPECS_DIR); contract checks need ../shared/specs beside the repository` };
}

/** @param {string} version */
function shopifySdl(version) {
	const file = path.join(SPECS_DIR, 'shopify', `admin-${version}.graphql`);
	return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

/**
 * One of Shopify's official webhook examples, or undefined where the models are absent.
 * @param {string} name e.g. 'fulfillments_create'
 */
function webhookExample(name) {
	const file = path.join(SPECS_DIR, 'shopify', 'webhooks-2026-07', `${name}.example.json`);
	return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
}

module.exports = { specsStatus, shopifySdl, webhookExample, SPECS_DIR };
