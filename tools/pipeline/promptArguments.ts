/** A click from the command line (pixels of the original image of frame `view`). */
export interface CliClickPrompt {
    readonly object: number;
    readonly view: number;
    readonly x: number;
    readonly y: number;
    readonly label: 0 | 1;
}

/** A prompt point given in 3-D, in the scene's coordinates (the capture's, or the splat file's). */
export interface Cli3dPrompt {
    readonly object: number;
    readonly point: readonly [number, number, number];
    readonly label: 0 | 1;
}

/** A point prompt: a click in a view, or a point in 3-D. */
export type CliPointPrompt = CliClickPrompt | Cli3dPrompt;

/**
 * Whether a point prompt is a click in a view.
 * @param prompt the prompt
 * @returns true for a click
 */
export function IsClickPrompt(prompt: CliPointPrompt): prompt is CliClickPrompt {
    return "view" in prompt;
}

/** A box prompt from the command line. */
export interface CliBoxPrompt {
    readonly object: number;
    readonly view: number;
    readonly x0: number;
    readonly y0: number;
    readonly x1: number;
    readonly y1: number;
}

/**
 * Parses "view=V,x=X,y=Y,label=L[,object=K]" or "point=X,Y,Z,label=L[,object=K]".
 * @param text the argument
 * @returns the prompt
 * @throws Error naming what is wrong
 */
export function ParsePointPrompt(text: string): CliPointPrompt {
    const point = /^\s*point\s*=\s*([^,]+),([^,]+),([^,]+)(,(.*))?$/.exec(text);
    if (point) {
        const position = [point[1], point[2], point[3]].map(Number);
        if (position.some((v) => !Number.isFinite(v))) {
            throw new Error(`--prompt "${text}": point must be three numbers X,Y,Z`);
        }
        const rest = Fields(point[5] ?? "", ["label"], ["object"]);
        if (rest.label !== 0 && rest.label !== 1) {
            throw new Error(`--prompt "${text}": label must be 1 (object) or 0 (background)`);
        }
        return { object: rest.object ?? 1, point: [position[0], position[1], position[2]], label: rest.label };
    }
    const fields = Fields(text, ["view", "x", "y", "label"], ["object"]);
    if (fields.label !== 0 && fields.label !== 1) {
        throw new Error(`--prompt "${text}": label must be 1 (object) or 0 (background)`);
    }
    return { object: fields.object ?? 1, view: fields.view, x: fields.x, y: fields.y, label: fields.label };
}

/**
 * Parses "view=V,x0=..,y0=..,x1=..,y1=..[,object=K]".
 * @param text the argument
 * @returns the box
 * @throws Error naming what is wrong
 */
export function ParseBoxPrompt(text: string): CliBoxPrompt {
    const fields = Fields(text, ["view", "x0", "y0", "x1", "y1"], ["object"]);
    return { object: fields.object ?? 1, view: fields.view, x0: Math.min(fields.x0, fields.x1), y0: Math.min(fields.y0, fields.y1), x1: Math.max(fields.x0, fields.x1), y1: Math.max(fields.y0, fields.y1) };
}

function Fields(text: string, required: string[], optional: string[]): Record<string, number> {
    const fields: Record<string, number> = {};
    for (const part of text.split(",")) {
        const [key, value] = part.split("=").map((s) => s.trim());
        if (![...required, ...optional].includes(key)) {
            throw new Error(`"${text}": unknown field "${key}" (expected ${[...required, ...optional].join(", ")})`);
        }
        const number = Number(value);
        if (value === undefined || value === "" || !Number.isFinite(number)) {
            throw new Error(`"${text}": ${key} must be a number`);
        }
        fields[key] = number;
    }
    for (const key of required) {
        if (fields[key] === undefined) {
            throw new Error(`"${text}": ${key} is missing`);
        }
    }
    return fields;
}
