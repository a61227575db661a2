/** A clock whose timers fire only when the test advances it, so nothing really waits. */
export class FakeClock {
	private current = 0;
	private timers: Array<{ at: number; resolve: () => void }> = [];

	readonly now = (): number => this.current;

	readonly sleep = (ms: number): Promise<void> =>
		new Promise((resolve) => {
			this.timers.push({ at: this.current + ms, resolve });
		});

	/** Fires every timer due within `ms`, in order, letting promise chains settle between them. */
	async advanceBy(ms: number): Promise<void> {
		const target = this.current + ms;
		await settle();
		for (;;) {
			this.timers.sort((a, b) => a.at - b.at);
			const next = this.timers[0];
			if (!next || next.at > target) break;
			this.timers.shift();
			this.current = Math.max(this.current, next.at);
			next.resolve();
			await settle();
		}
		this.current = target;
	}
}

export function settle(): Promise<void> {
	return new Promise((resolve) => setImmediate(resolve));
}
