import type { SamBox } from "../core/sam/samTypes";
import type { FrameBox, FrameClick } from "../core/pipeline/segmentStage";
import type { FrameMask } from "../core/segmentation/maskSet";
import { ObjectPalette } from "../prompt/promptTypes";

/** A click on a splat view, in pixels of the view as rendered. */
export interface SplatViewClick {
    readonly view: number;
    readonly x: number;
    readonly y: number;
    /** 1 = the object, 0 = background. */
    readonly label: 0 | 1;
}

/** A box drawn on a splat view, in pixels of the view as rendered. */
export interface SplatViewBox {
    readonly view: number;
    readonly box: SamBox;
}

/** One prompt edit, in the order the user made them (undo takes the last). */
export type SplatViewPrompt = ({ readonly kind: "click" } & SplatViewClick) | ({ readonly kind: "box" } & SplatViewBox);

/** An object the user prompts in the splat views. */
export interface SplatPromptObject {
    readonly id: number;
    readonly name: string;
    /** 0-1 RGB. */
    readonly color: readonly [number, number, number];
    /** Clicks and boxes, oldest first. */
    readonly prompts: readonly SplatViewPrompt[];
    /** The clicks among the prompts. */
    readonly clicks: readonly SplatViewClick[];
    /** The last box drawn (SAM takes one box per object), or null. */
    readonly box: SplatViewBox | null;
    /** One mask per view after segmentation, or null. */
    readonly masks: readonly FrameMask[] | null;
    /** Splats labelled as this object by the last segmentation (0 before). */
    readonly splats: number;
}

/**
 * The objects prompted in a splat scene's views: clicks (positive or negative) and a box per
 * object, one active object that new prompts go to, undo of the last prompt, and each object's
 * masks and splat count after segmentation. Prompts are checked against the views' sizes.
 */
export class SplatPromptObjects {
    private _objects: SplatPromptObject[] = [];
    private _activeId = 1;
    private _nextId = 1;
    private readonly _views: () => readonly { intrinsics: { width: number; height: number } }[] | null;
    private readonly _changed: () => void;

    /**
     * @param views the views prompts are made on (null before they are rendered)
     * @param changed called after every change
     */
    public constructor(views: () => readonly { intrinsics: { width: number; height: number } }[] | null, changed: () => void) {
        this._views = views;
        this._changed = changed;
        this.addObject();
    }

    /** The prompted objects. */
    public get objects(): readonly SplatPromptObject[] {
        return this._objects;
    }

    /** The object prompts go to. */
    public get activeObject(): SplatPromptObject {
        return this._objects.find((object) => object.id === this._activeId)!;
    }

    /** The objects that have a click or a box. */
    public get prompted(): readonly SplatPromptObject[] {
        return this._objects.filter((object) => object.prompts.length > 0);
    }

    /**
     * Adds an object and makes it the active one.
     * @returns the object
     */
    public addObject(): SplatPromptObject {
        const id = this._nextId++;
        const color = ObjectPalette[(id - 1) % ObjectPalette.length];
        const object = WithPrompts({ id, name: `object ${id}`, color: [color[0], color[1], color[2]], prompts: [], clicks: [], box: null, masks: null, splats: 0 }, []);
        this._objects = [...this._objects, object];
        this._activeId = id;
        this._changed();
        return object;
    }

    /**
     * Makes an object the one prompts go to.
     * @param id the object's id
     */
    public selectObject(id: number): void {
        if (this._objects.some((object) => object.id === id)) {
            this._activeId = id;
            this._changed();
        }
    }

    /**
     * Adds a click to the active object (clamped to the view).
     * @param view the view clicked
     * @param x pixels of the view
     * @param y pixels of the view
     * @param label 1 positive, 0 negative
     * @throws Error naming the view when it does not exist
     */
    public addClick(view: number, x: number, y: number, label: 0 | 1): void {
        const size = this._size(view);
        this._push({ kind: "click", view, x: Clamp(x, size.width), y: Clamp(y, size.height), label });
    }

    /**
     * Sets the active object's box (it replaces an earlier one; undo brings that back). Corners in
     * any order; clamped to the view.
     * @param view the view it was drawn on
     * @param box two corners, pixels of the view
     * @throws Error naming the view when it does not exist, or when the box has no area
     */
    public setBox(view: number, box: SamBox): void {
        const size = this._size(view);
        const x0 = Clamp(Math.min(box.x0, box.x1), size.width);
        const x1 = Clamp(Math.max(box.x0, box.x1), size.width);
        const y0 = Clamp(Math.min(box.y0, box.y1), size.height);
        const y1 = Clamp(Math.max(box.y0, box.y1), size.height);
        if (x1 - x0 < 1 || y1 - y0 < 1) {
            throw new Error(`the box on view ${view} has no area inside the view (${x0.toFixed(1)}-${x1.toFixed(1)} x ${y0.toFixed(1)}-${y1.toFixed(1)})`);
        }
        this._push({ kind: "box", view, box: { x0, y0, x1, y1 } });
    }

    /** Removes the active object's last prompt (click or box). */
    public undo(): void {
        this._update((object) => WithPrompts(object, object.prompts.slice(0, -1)));
    }

    /** Drops every object's prompts and masks (the views they were made on changed). */
    public clearPrompts(): void {
        this._objects = this._objects.map((object) => ({ ...WithPrompts(object, []), masks: null }));
        this._changed();
    }

    /** Back to one empty object. */
    public reset(): void {
        this._objects = [];
        this._nextId = 1;
        this.addObject();
    }

    /**
     * Stores a segmentation's results: masks and splat counts of the objects segmented, none for the others.
     * @param results per object id, its masks and how many splats it got
     */
    public setResults(results: ReadonlyMap<number, { masks: readonly FrameMask[]; splats: number }>): void {
        this._objects = this._objects.map((object) => {
            const result = results.get(object.id);
            return { ...object, masks: result?.masks ?? null, splats: result?.splats ?? 0 };
        });
        this._changed();
    }

    private _size(view: number): { width: number; height: number } {
        const views = this._views();
        const size = views?.[view]?.intrinsics;
        if (!size) {
            throw new Error(`view ${view} does not exist (${views ? `the splat scene has views 0..${views.length - 1}` : "render the views first"})`);
        }
        return size;
    }

    private _push(prompt: SplatViewPrompt): void {
        this._update((object) => WithPrompts(object, [...object.prompts, prompt]));
    }

    private _update(update: (object: SplatPromptObject) => SplatPromptObject): void {
        this._objects = this._objects.map((object) => (object.id === this._activeId ? update(object) : object));
        this._changed();
    }
}

/**
 * An object's prompts in the segmentation stage's form.
 * @param object the object
 * @returns its clicks and its box (views as frame indices)
 */
export function StagePrompts(object: SplatPromptObject): { clicks: FrameClick[]; box: FrameBox | null } {
    return {
        clicks: object.clicks.map((click) => ({ frameIndex: click.view, x: click.x, y: click.y, label: click.label })),
        box: object.box ? { frameIndex: object.box.view, box: object.box.box } : null,
    };
}

/** The object with these prompts, its clicks and box derived from them. */
function WithPrompts(object: SplatPromptObject, prompts: readonly SplatViewPrompt[]): SplatPromptObject {
    const clicks: SplatViewClick[] = [];
    let box: SplatViewBox | null = null;
    for (const prompt of prompts) {
        if (prompt.kind === "click") {
            clicks.push({ view: prompt.view, x: prompt.x, y: prompt.y, label: prompt.label });
        } else {
            box = { view: prompt.view, box: prompt.box };
        }
    }
    return { ...object, prompts, clicks, box };
}

/** A coordinate clamped to [0, side]. */
function Clamp(value: number, side: number): number {
    return Math.min(Math.max(value, 0), side);
}
