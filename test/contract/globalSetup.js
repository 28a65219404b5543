// @ts-check
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { DIR_ENV } = require('./ledger');

module.exports = async () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-contract-'));
	process.env[DIR_ENV] = dir;
};
