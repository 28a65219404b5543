/**
 * Runs our nodes inside the real n8n engine (n8n-core WorkflowExecute, PollContext, HookContext,
 * WebhookContext). n8n's own node test harness is not published, and its credentials helper skips
 * `preAuthentication`; this one mirrors the CLI's, so token exchange and renewal are exercised.
 */
import { ExecutionLifecycleHooks, HookContext, PollContext, WebhookContext, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, ICredentialsHelper, NodeConnectionTypes, NodeHelpers, Workflow } from 'n8n-workflow';

/** Stand-in for n8n-nodes-base.manualTrigger, so tests need no n8n-nodes-base dependency. */
class ManualTriggerStub implements INodeType {
	description = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'test stub',
		defaults: { name: 'Manual' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/** Stand-in for n8n-nodes-base.noOp: templates end branches in it, tests read its input. */
class NoOpStub implements INodeType {
	description = {
		displayName: 'No Operation',
		name: 'noOp',
		group: ['organization'],
		version: 1,
		description: 'test stub',
		defaults: { name: 'No Op' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/**
 * Stand-in for n8n-nodes-base.set v3.4 ("Edit Fields", manual mapping): templates use it for summaries.
 * Evaluates `assignments.assignments` (expressions resolved by the engine) into a new item, like
 * the real node with "Include Other Input Fields" off.
 */
class SetStub implements INodeType {
	description = {
		displayName: 'Edit Fields (Set)',
		name: 'set',
		group: ['input'],
		version: [3.3, 3.4],
		description: 'test stub',
		defaults: { name: 'Edit Fields' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Fields to Set', name: 'assignments', type: 'assignmentCollection', default: {} },
			{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: [] },
		],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((_item, i) => {
				const assignments = this.getNodeParameter('assignments.assignments', i, []) as Array<{ name: string; value: unknown }>;
				const json: IDataObject = {};
				for (const a of assignments) json[a.name] = a.value as IDataObject[string];
				return { json, pairedItem: { item: i } };
			}),
		];
	}
}

/** Stand-in for n8n-nodes-base.emailSend: templates keep it disabled; if enabled it passes items through. */
class EmailSendStub implements INodeType {
	description = {
		displayName: 'Send Email',
		name: 'emailSend',
		group: ['output'],
		version: [2, 2.1],
		description: 'test stub',
		defaults: { name: 'Send Email' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/** Stand-in for n8n-nodes-base.scheduleTrigger: tests start the workflow at it with runWorkflow. */
class ScheduleTriggerStub implements INodeType {
	description = {
		displayName: 'Schedule Trigger',
		name: 'scheduleTrigger',
		group: ['trigger', 'schedule'],
		version: [1, 1.1, 1.2],
		description: 'test stub',
		defaults: { name: 'Schedule Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Trigger Rules', name: 'rule', type: 'fixedCollection', default: {}, options: [] }],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/** Stand-in for n8n-nodes-base.stickyNote: never executed, only needs to be a known type. */
class StickyNoteStub implements INodeType {
	description = {
		displayName: 'Sticky Note',
		name: 'stickyNote',
		group: ['input'],
		version: 1,
		description: 'test stub',
		defaults: { name: 'Sticky Note' },
		inputs: [],
		outputs: [],
		properties: [],
	} as unknown as INodeTypeDescription;
}

export class TestNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType | IVersionedNodeType> = {
		'n8n-nodes-base.manualTrigger': new ManualTriggerStub(),
		'n8n-nodes-base.noOp': new NoOpStub(),
		'n8n-nodes-base.set': new SetStub(),
		'n8n-nodes-base.emailSend': new EmailSendStub(),
		'n8n-nodes-base.stickyNote': new StickyNoteStub(),
		'n8n-nodes-base.scheduleTrigger': new ScheduleTriggerStub(),
	};

	constructor(types: Record<string, INodeType | IVersionedNodeType>) {
		Object.assign(this.types, types);
	}

	getByName(type: string) {
		const found = this.types[type];
		if (!found) throw new Error(`Unknown node type ${type}`);
		return found;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	}

	getKnownTypes() {
		return {};
	}
}

export class TestCredentialsHelper extends ICredentialsHelper {
	readonly preAuthCalls: Array<{ type: string; expired: boolean }> = [];

	constructor(
		readonly credentialTypes: Record<string, ICredentialType>,
		readonly store: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	getParentTypes(name: string): string[] {
		return this.credentialTypes[name]?.extends ?? [];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.credentialTypes[typeName] ?? {};
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (authenticate?.type === 'generic') {
			const options = requestOptions as unknown as Record<string, Record<string, unknown>>;
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				options[outerKey] ??= {};
				for (const [key, value] of Object.entries(outerValue as Record<string, string>)) {
					options[outerKey][key] = workflow.expression.getSimpleParameterValue(
						node,
						value,
						'internal',
						{ $credentials: credentials },
						undefined,
						'',
					);
				}
			}
		}
		return requestOptions;
	}

	/** Mirrors n8n's CLI helper: run preAuthentication when the expirable field is empty or expired. */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.credentialTypes[typeName];
		const expirable = type?.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
		if (!type?.preAuthentication || !expirable) return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		this.preAuthCalls.push({ type: typeName, expired: credentialsExpired });
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		Object.assign(this.store[typeName], output); // "persist" like n8n's updateCredentials
		return Object.assign(credentials, output);
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: unknown,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		if (!this.store[type]) throw new Error(`No credentials of type ${type} in the test store`);
		return { ...this.store[type] }; // n8n decrypts a fresh object per call
	}

	async getCredentials(): Promise<never> {
		throw new Error('not needed in tests');
	}

	async updateCredentials(_c: unknown, type: string, data: ICredentialDataDecryptedObject) {
		this.store[type] = data;
	}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}
}

export interface Engine {
	nodeTypes: TestNodeTypes;
	credentialsHelper: TestCredentialsHelper;
}

export interface FakeHttpRequest {
	headers: Record<string, string>;
	body: unknown;
	rawBody: Buffer;
	query: Record<string, string>;
	params: Record<string, string>;
	method: string;
}

export interface FakeHttpResponse {
	statusCode: number;
	body?: unknown;
	ended: boolean;
	status(code: number): FakeHttpResponse;
	send(body?: unknown): FakeHttpResponse;
	json(body?: unknown): FakeHttpResponse;
	end(body?: unknown): FakeHttpResponse;
	setHeader(name: string, value: string): void;
}

function buildAdditionalData(
	hooks: ExecutionLifecycleHooks,
	credentialsHelper: ICredentialsHelper,
	extra: Partial<Record<string, unknown>> = {},
) {
	// A plain object, not a deep mock: n8n-core probes optional fields such as
	// `encryptedRunnerIdentity`, and a mock's always-truthy properties send it down wrong paths.
	const base = 'http://127.0.0.1:5678';
	const notSupported = async () => {
		throw new Error('not supported in the test harness');
	};
	return {
		hooks,
		credentialsHelper,
		currentNodeParameters: undefined,
		executionId: undefined,
		userId: 'test-user',
		variables: {},
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		formWaitingBaseUrl: `${base}/form-waiting`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		executeWorkflow: notSupported,
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: notSupported,
		...extra,
	} as unknown as IWorkflowExecuteAdditionalData;
}

function toWorkflow(workflowJson: IWorkflowBase, engine: Engine, staticData?: IDataObject, active = false) {
	return new Workflow({
		id: workflowJson.id ?? 'test-workflow',
		name: workflowJson.name,
		nodes: workflowJson.nodes,
		connections: workflowJson.connections,
		settings: workflowJson.settings,
		staticData: staticData ?? workflowJson.staticData ?? {},
		nodeTypes: engine.nodeTypes,
		active,
	});
}

/** Runs a workflow JSON (as exported from n8n) through the real n8n-core WorkflowExecute. */
export async function runWorkflow(
	workflowJson: IWorkflowBase,
	engine: Engine,
	options: { mode?: WorkflowExecuteMode; triggerItems?: INodeExecutionData[]; startNode?: string; staticData?: IDataObject } = {},
) {
	const { mode = 'manual', triggerItems = [{ json: {} }] } = options;
	const workflow = toWorkflow(workflowJson, engine, options.staticData);
	const hooks = new ExecutionLifecycleHooks(mode, '1', workflowJson);
	const nodeExecutionOrder: string[] = [];
	hooks.addHandler('nodeExecuteAfter', (nodeName) => {
		nodeExecutionOrder.push(nodeName);
	});
	let resolveRun!: (run: IRun) => void;
	const finished = new Promise<IRun>((resolve) => (resolveRun = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveRun(run));

	const startNode = options.startNode ? workflow.getNode(options.startNode) : workflow.getStartNode();
	if (!startNode) throw new Error('workflow has no start node');
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: startNode, data: { main: [triggerItems] }, source: null }] },
	});
	const additionalData = buildAdditionalData(hooks, engine.credentialsHelper);
	await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
	const run = await finished;
	return { run, nodeExecutionOrder, workflow };
}

/** JSON of one output of a node, first run. */
export function outputOf(run: IRun, nodeName: string, outputIndex = 0): IDataObject[] {
	const task = run.data.resultData.runData[nodeName]?.[0];
	if (!task) throw new Error(`node ${nodeName} did not run`);
	return (task.data?.main?.[outputIndex] ?? []).map((item) => item.json);
}

/** Items (with pairedItem) of one output of a node, first run. */
export function itemsOf(run: IRun, nodeName: string, outputIndex = 0): INodeExecutionData[] {
	const task = run.data.resultData.runData[nodeName]?.[0];
	if (!task) throw new Error(`node ${nodeName} did not run`);
	return task.data?.main?.[outputIndex] ?? [];
}

export function errorOf(run: IRun, nodeName?: string) {
	if (nodeName) return run.data.resultData.runData[nodeName]?.[0]?.error;
	return run.data.resultData.error;
}

/** Calls a polling trigger's poll() the way an activated workflow does ('trigger') or the editor ('manual'). */
export async function pollOnce(
	workflowJson: IWorkflowBase,
	nodeName: string,
	engine: Engine,
	options: { mode?: WorkflowExecuteMode; staticData?: IDataObject } = {},
) {
	const { mode = 'trigger' } = options;
	const workflow = toWorkflow(workflowJson, engine, options.staticData ?? {}, true);
	const node = workflow.getNode(nodeName);
	if (!node) throw new Error(`no node ${nodeName}`);
	const hooks = new ExecutionLifecycleHooks(mode, '1', workflowJson);
	const ctx = new PollContext(workflow, node, buildAdditionalData(hooks, engine.credentialsHelper), mode, 'activate');
	const nodeType = engine.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	if (!nodeType.poll) throw new Error(`${node.type} is not a polling node`);
	const result = await nodeType.poll.call(ctx);
	return { result, staticData: workflow.staticData as IDataObject };
}

function webhookDataFor(workflow: Workflow, node: INode, engine: Engine, name = 'default'): IWebhookData {
	const nodeType = engine.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const description = nodeType.description.webhooks?.find((w) => w.name === name);
	if (!description) throw new Error(`${node.type} has no webhook named ${name}`);
	return {
		httpMethod: 'POST',
		node: node.name,
		path: String(description.path),
		webhookDescription: description,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: {} as IWorkflowExecuteAdditionalData,
		isTest: false,
	} as unknown as IWebhookData;
}

/** Runs a webhook trigger's checkExists / create / delete like n8n does on (de)activation. */
export async function runWebhookMethod(
	workflowJson: IWorkflowBase,
	nodeName: string,
	method: 'checkExists' | 'create' | 'delete',
	engine: Engine,
	options: { staticData?: IDataObject; webhookBaseUrl?: string } = {},
) {
	const workflow = toWorkflow(workflowJson, engine, options.staticData ?? {}, true);
	const node = workflow.getNode(nodeName);
	if (!node) throw new Error(`no node ${nodeName}`);
	const hooks = new ExecutionLifecycleHooks('trigger', '1', workflowJson);
	const additionalData = buildAdditionalData(hooks, engine.credentialsHelper, options.webhookBaseUrl ? { webhookBaseUrl: options.webhookBaseUrl } : {});
	const webhookData = webhookDataFor(workflow, node, engine);
	const ctx = new HookContext(workflow, node, additionalData, 'trigger', 'activate', webhookData);
	const nodeType = engine.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const fn = nodeType.webhookMethods?.default?.[method];
	if (!fn) throw new Error(`${node.type} has no webhook method ${method}`);
	const result = await fn.call(ctx);
	return { result, staticData: workflow.staticData as IDataObject, webhookUrl: ctx.getNodeWebhookUrl('default') };
}

/** Delivers one HTTP request to a webhook trigger, with the raw body n8n keeps for signature checks. */
export async function invokeWebhook(
	workflowJson: IWorkflowBase,
	nodeName: string,
	engine: Engine,
	request: { headers: Record<string, string>; rawBody: string | Buffer; query?: Record<string, string> },
	options: { staticData?: IDataObject; onRespond?: (http: FakeHttpResponse) => void } = {},
): Promise<{ response: IWebhookResponseData; http: FakeHttpResponse; staticData: IDataObject }> {
	const workflow = toWorkflow(workflowJson, engine, options.staticData ?? {}, true);
	const node = workflow.getNode(nodeName);
	if (!node) throw new Error(`no node ${nodeName}`);
	const rawBody = Buffer.isBuffer(request.rawBody) ? request.rawBody : Buffer.from(request.rawBody, 'utf8');
	let body: unknown = {};
	try {
		body = JSON.parse(rawBody.toString('utf8'));
	} catch {
		body = {};
	}
	const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
	const httpRequest: FakeHttpRequest = { headers, body, rawBody, query: request.query ?? {}, params: {}, method: 'POST' };
	const http: FakeHttpResponse = {
		statusCode: 200,
		ended: false,
		status(code) {
			this.statusCode = code;
			return this;
		},
		send(payload) {
			this.body = payload;
			this.ended = true;
			options.onRespond?.(this);
			return this;
		},
		json(payload) {
			return this.send(payload);
		},
		end(payload) {
			return this.send(payload);
		},
		setHeader() {},
	};
	const hooks = new ExecutionLifecycleHooks('webhook', '1', workflowJson);
	const additionalData = buildAdditionalData(hooks, engine.credentialsHelper, { httpRequest, httpResponse: http });
	const ctx = new WebhookContext(workflow, node, additionalData, 'webhook', webhookDataFor(workflow, node, engine), [], null);
	const nodeType = engine.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	if (!nodeType.webhook) throw new Error(`${node.type} is not a webhook node`);
	const response = await nodeType.webhook.call(ctx);
	return { response, http, staticData: workflow.staticData as IDataObject };
}

/**
 * Runs a credential's `test` the way n8n's CredentialsTester does: preAuthentication first (n8n
 * always runs it for a test), then the declared request, then the declared rules.
 */
export async function testCredential(engine: Engine, typeName: string): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const type = engine.credentialsHelper.credentialTypes[typeName];
	if (!type?.test) throw new Error(`${typeName} has no test`);
	const node: INode = {
		id: 'credential-test',
		name: 'Credential Test',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const workflow = new Workflow({ id: 'credential-test', nodes: [node], connections: {}, active: false, nodeTypes: engine.nodeTypes });
	const hooks = new ExecutionLifecycleHooks('manual', '1', { nodes: [node], connections: {} } as unknown as IWorkflowBase);
	const ctx = new HookContext(workflow, node, buildAdditionalData(hooks, engine.credentialsHelper), 'manual', 'manual');
	const credentials: ICredentialDataDecryptedObject = { ...(engine.credentialsHelper.store[typeName] ?? {}) };
	try {
		if (type.preAuthentication) {
			Object.assign(credentials, await type.preAuthentication.call({ helpers: { httpRequest: ctx.helpers.httpRequest } }, credentials));
		}
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
	const resolve = (value: unknown) =>
		typeof value === 'string' && value.startsWith('=')
			? workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '')
			: value;
	const { request } = type.test;
	let options = {
		...request,
		url: `${String(resolve(request.baseURL) ?? '')}${String(resolve(request.url) ?? '')}`,
		baseURL: undefined,
		returnFullResponse: true,
	} as unknown as IHttpRequestOptions;
	options = await engine.credentialsHelper.authenticate(credentials, typeName, options, workflow, node);
	try {
		const response = (await ctx.helpers.httpRequest(options)) as { body: unknown };
		for (const rule of type.test.rules ?? []) {
			if (rule.type !== 'responseSuccessBody') continue;
			const actual = rule.properties.key.split(/[.[\]]/).filter(Boolean).reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], response.body);
			if (actual === rule.properties.value) return { status: 'Error', message: rule.properties.message };
		}
		return { status: 'OK', message: 'Connection successful!' };
	} catch (error) {
		const status = (error as { response?: { status?: number } }).response?.status ?? (error as { httpCode?: string }).httpCode;
		for (const rule of type.test.rules ?? []) {
			if (rule.type === 'responseCode' && Number(status) === rule.properties.value) return { status: 'Error', message: rule.properties.message };
		}
		return { status: 'Error', message: (error as Error).message };
	}
}
