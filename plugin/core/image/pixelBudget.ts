/**
 * Limits how many pixels are being decoded at once: each decode takes its image's pixel count
 * from the budget and gives it back when done; a decode that does not fit waits, except that one
 * decode may always run (an image larger than the whole budget runs alone). So a folder of
 * 12-megapixel photos is decoded one at a time however many workers there are, while small
 * images still decode several at once.
 */
export class PixelBudget {
    private readonly _limit: number;
    private _inUse = 0;
    private _running = 0;
    private readonly _waiting: { pixels: number; start: () => void }[] = [];

    /**
     * @param limit pixels decoded at once (at least one image always runs)
     */
    public constructor(limit: number) {
        this._limit = limit;
    }

    /**
     * Waits until `pixels` fit, then takes them.
     * @param pixels the image's pixel count (0 when unknown: never waits)
     * @returns gives the pixels back (call once, when the decode is over)
     */
    public async acquireAsync(pixels: number): Promise<() => void> {
        if (!this._fits(pixels) || this._waiting.length > 0) {
            await new Promise<void>((resolve) => this._waiting.push({ pixels, start: resolve }));
        } else {
            this._take(pixels);
        }
        let released = false;
        return () => {
            if (!released) {
                released = true;
                this._inUse -= pixels;
                this._running--;
                this._wake();
            }
        };
    }

    private _fits(pixels: number): boolean {
        return this._running === 0 || this._inUse + pixels <= this._limit;
    }

    private _take(pixels: number): void {
        this._inUse += pixels;
        this._running++;
    }

    private _wake(): void {
        while (this._waiting.length > 0 && this._fits(this._waiting[0].pixels)) {
            const next = this._waiting.shift()!;
            this._take(next.pixels);
            next.start();
        }
    }
}
