import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface LockedPackage {
	optionalDependencies?: Record<string, string>;
}

/** `npm ci` refuses a lock that lacks any platform's optional package ("Missing: … from lock file"). */
describe('package-lock.json', () => {
	const lock = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };

	/** Where npm would resolve `name` from the package at `location`: its own node_modules, then each parent's. */
	function resolves(location: string, name: string): boolean {
		for (let base = location; ; base = base.slice(0, Math.max(0, base.lastIndexOf('/node_modules/')))) {
			if (`${base === '' ? '' : `${base}/`}node_modules/${name}` in lock.packages) return true;
			if (base === '') return false;
		}
	}

	it("lists every locked package's optional dependencies, for every platform, so that npm ci accepts it", () => {
		const missing = Object.entries(lock.packages).flatMap(([location, entry]) =>
			Object.keys(entry.optionalDependencies ?? {})
				.filter((name) => !resolves(location, name))
				.map((name) => `${location || '(root)'} → ${name}`),
		);
		expect(missing).toEqual([]);
	});
});
