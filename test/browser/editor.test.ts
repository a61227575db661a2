import * as fs from 'node:fs';
import * as path from 'node:path';

import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

import { examples, withIngestionUrl, type Example } from '../../scripts/demo/examples';
import { startSandbox, type Sandbox } from '../../scripts/demo/sandbox';
import { N8nInstance, waitFor } from '../e2e/harness/n8n';
import { N8nRest } from '../e2e/harness/rest';
import { NODE_TYPES, PACKAGE_NAME, REPO_ROOT } from '../e2e/harness/paths';

/** Debian's Chromium (scripts/dev.sh test installs it); playwright-core brings no browser of its own. */
const CHROMIUM = process.env.CONNECTORS_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOTS = path.join(REPO_ROOT, 'docs/screenshots');
const OWNER = { email: 'owner@example.com', password: 'Connectors-e2e-1' };

/** What each example's source picker must offer: the sandbox's folders / pages. */
function expectedPickerEntries(example: Example, sandbox: Sandbox): string[] {
	const entries: Record<string, string[]> = {
		google_drive: [sandbox.drive.folderName, ...sandbox.drive.subfolders],
		notion: [sandbox.notion.rootTitle, ...sandbox.notion.childTitles.filter((title) => title !== 'Meeting notes')],
		dropbox: [`Team space: /${sandbox.dropbox.seed.folderName}`],
		// The folder picker (after the Drive picker), in My OneDrive.
		onedrive: ['/Sales Playbook'],
	};
	return entries[example.provider];
}

const screenshotName = (example: Example, what: string) => `${example.provider.replace('_', '-')}-${what}.png`;

/**
 * The editor as a person uses it: n8n with the package installed, the example workflows imported,
 * opened in headless Chromium. Every node of the package must open with its parameter panel free
 * of issues, and the source pickers must list what the sandbox holds.
 */
describe('The n8n editor in a real browser, on the example workflows', () => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	let baseUrl: string;
	let rest: N8nRest;
	let browser: Browser;
	let context: BrowserContext;
	let page: Page;
	const loaded = examples();

	beforeAll(async () => {
		if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (scripts/dev.sh test does)`);
		sandbox = await startSandbox();
		n8n = await N8nInstance.create(sandbox.env);
		await n8n.importCredentials(sandbox.credentials());
		for (const example of loaded) await n8n.importWorkflow(withIngestionUrl(example.workflow, sandbox.index.url));
		baseUrl = await n8n.start();
		rest = await N8nRest.asOwner(baseUrl);
		// Right after readiness n8n may still refuse a login for a moment.
		let cookie: string | undefined;
		await waitFor(
			async () => {
				const login = await fetch(`${baseUrl}/rest/login`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
				});
				cookie = login.status === 200 ? login.headers.getSetCookie().find((value) => value.startsWith('n8n-auth=')) : undefined;
				return cookie !== undefined;
			},
			60_000,
			'n8n to accept the owner login',
		);
		if (!cookie) throw new Error('no n8n-auth cookie');

		browser = await chromium.launch({
			executablePath: CHROMIUM,
			headless: true,
			// Without the background-networking switches Chromium phones home and, on a closed network, stalls.
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
			],
		});
		context = await browser.newContext({ viewport: { width: 1440, height: 860 } });
		await context.addCookies([{ name: 'n8n-auth', value: cookie.split(';')[0].slice('n8n-auth='.length), url: baseUrl }]);
		page = await context.newPage();
		// A loaded two-core machine: n8n's editor bundle and the node types take a while the first time.
		page.setDefaultTimeout(60_000);
		fs.mkdirSync(SCREENSHOTS, { recursive: true });
	});

	afterAll(async () => {
		await context?.close();
		await browser?.close();
		await n8n?.dispose();
		await sandbox?.close();
	});

	async function openWorkflow(id: string): Promise<void> {
		await page.goto(`${baseUrl}/workflow/${id}`);
		await page.locator('[data-test-id="canvas-node"]').first().waitFor();
	}

	function canvasNode(name: string) {
		return page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
	}

	async function openNode(name: string): Promise<void> {
		await canvasNode(name).dblclick();
		await page.locator('[data-test-id="ndv"] [data-test-id="node-parameters"]').waitFor();
	}

	async function closeNode(): Promise<void> {
		await page.locator('[data-test-id="ndv-close-button"]').click();
		await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden' });
	}

	/** Issues n8n shows: parameter issues in the open panel, issue badges on nodes, error toasts. */
	async function visibleProblems(): Promise<string[]> {
		const problems: string[] = [];
		for (const issue of await page.locator('[data-test-id="parameter-issues"]:visible, .has-issues:visible').all()) {
			const parameter = issue.locator('xpath=ancestor::*[@data-test-id="parameter-item"][1]');
			problems.push(`parameter issue: ${(await parameter.count()) > 0 ? (await parameter.innerText()).slice(0, 120) : 'in the open panel'}`);
		}
		for (const badge of await page.locator('[data-test-id="node-issues"]:visible').all()) {
			const node = badge.locator('xpath=ancestor::*[@data-node-name][1]');
			problems.push(`node issues on ${(await node.count()) > 0 ? await node.getAttribute('data-node-name') : 'the open node'}`);
		}
		for (const toast of await page.locator('.el-notification:visible').all()) {
			const text = (await toast.innerText()).trim();
			const className = (await toast.getAttribute('class')) ?? '';
			if (/error/.test(className) || /error|problem|could not/i.test(text)) problems.push(`notification: ${text.slice(0, 200)}`);
		}
		return problems;
	}

	// Each panel (node type and operation) is opened once, in the first example that has it: the CI time goes to what is new.
	const panelsOpened = new Set<string>();
	describe.each(loaded.map((example) => [example.label, example] as const))('%s example', (_label, example) => {
		const packageNodes = example.workflow.nodes
			.filter((node) => String(node.type).startsWith(`${PACKAGE_NAME}.`))
			.filter((node) => {
				const panel = `${String(node.type)}:${String((node.parameters as { operation?: unknown } | undefined)?.operation)}`;
				if (panelsOpened.has(panel)) return false;
				panelsOpened.add(panel);
				return true;
			})
			.map((node) => String(node.name));

		it('opens on the canvas with every node free of issues', async () => {
			await openWorkflow(example.workflow.id);
			for (const node of example.workflow.nodes) await canvasNode(String(node.name)).waitFor();
			expect(await visibleProblems()).toEqual([]);
			await page.screenshot({ path: path.join(SCREENSHOTS, screenshotName(example, 'workflow')) });
		});

		it.each(packageNodes)('opens %s with a parameter panel free of issues', async (name) => {
			await openWorkflow(example.workflow.id);
			await openNode(name);
			// The credential slot is filled and the panel shows the node's own parameters.
			await page.locator('[data-test-id="ndv"] [data-test-id="parameter-input-operation"]').waitFor();
			expect(await visibleProblems()).toEqual([]);
			await closeNode();
		});

		it('lists the sandbox in the source picker of List Changes', async () => {
			await openWorkflow(example.workflow.id);
			await openNode('List Changes');
			// The source's own picker is the last one (a OneDrive folder's drive picker comes before it).
			await page.locator('[data-test-id="ndv"] [data-test-id="rlc-input"]').last().click();
			const items = page.locator('[data-test-id="rlc-item"]');
			await items.first().waitFor();
			const expected = expectedPickerEntries(example, sandbox);
			// Entries load page by page: wait until every expected one is there.
			for (const name of expected) await items.getByText(name, { exact: true }).first().waitFor();
			const shown = (await items.allTextContents()).map((text) => text.trim());
			expect(shown).toEqual(expect.arrayContaining(expected));
			expect(await visibleProblems()).toEqual([]);
			await page.screenshot({ path: path.join(SCREENSHOTS, screenshotName(example, 'source-picker')) });
			await page.keyboard.press('Escape');
			await closeNode();
		});

		it('imports from the file in examples/ through the editor, as the README says', async () => {
			await page.goto(`${baseUrl}/workflow/new`);
			await page.locator('[data-test-id="canvas"]').waitFor();
			await page.locator('[data-test-id="workflow-import-input"]').setInputFiles(path.join(REPO_ROOT, 'examples', example.file));
			for (const node of example.workflow.nodes) await canvasNode(String(node.name)).waitFor();
			// The credentials the file names exist here (same ids and names): n8n links them, nothing to fix.
			expect(await visibleProblems()).toEqual([]);
		});

		it('runs from the Execute workflow button and the index receives every document', async () => {
			const expected = sandbox.importable[example.provider];
			const before = sandbox.index.stats.upserts;
			await openWorkflow(example.workflow.id);
			await page.locator('[data-test-id="execute-workflow-button"]').click();
			const finished = page.locator('.el-notification', { hasText: 'executed successfully' });
			await finished.waitFor({ timeout: 180_000 });
			expect(sandbox.index.stats.upserts - before).toBe(expected);
			expect(await canvasNode('Commit').locator('[data-test-id="canvas-node-status-success"]').count()).toBe(1);
			expect(await canvasNode('Not Ingested (Retry Next Run)').locator('[data-test-id="canvas-node-status-success"]').count()).toBe(0);
			expect(await visibleProblems()).toEqual([]);
			// A clean picture: the toast closed, the button idle again.
			await finished.locator('.el-notification__closeBtn').click();
			await finished.waitFor({ state: 'hidden' });
			await page.locator('[data-test-id="execute-workflow-button"]', { hasText: 'Execute workflow' }).waitFor();
			await page.screenshot({ path: path.join(SCREENSHOTS, screenshotName(example, 'executed')) });
		});
	});

	it('does report issues: a List Changes step without folder or credential shows them', async () => {
		const { id } = await rest.request<{ id: string }>('POST', '/workflows', {
			name: 'Broken on purpose',
			nodes: [
				{
					id: 'broken-1',
					name: 'No Folder',
					type: NODE_TYPES.googleDriveConnector,
					typeVersion: 1,
					position: [0, 0],
					parameters: { operation: 'listChanges', source: 'folder', sourceFolderId: { __rl: true, mode: 'list', value: '' } },
				},
			],
			connections: {},
			settings: {},
		});
		await openWorkflow(id);
		await page.locator('[data-test-id="node-issues"]').first().waitFor();
		await openNode('No Folder');
		await page.locator('[data-test-id="ndv"] [data-test-id="parameter-issues"]').first().waitFor();
		expect((await visibleProblems()).length).toBeGreaterThan(0);
		await closeNode();
	});
});
