/**
 * Finds where a JSON text first stops being valid JSON (browsers no longer put the position in
 * JSON.parse's message). A small recursive-descent scanner; it validates, it builds nothing.
 * @param text the JSON text
 * @returns 1-based line and column of the first error, or null when the text is valid
 */
export function LocateJsonError(text: string): { line: number; column: number } | null {
    let i = 0;
    const fail = (): never => {
        throw i;
    };
    const space = (): void => {
        while (i < text.length && " \t\n\r".includes(text[i])) {
            i++;
        }
    };
    const literal = (word: string): void => {
        if (text.startsWith(word, i)) {
            i += word.length;
        } else {
            fail();
        }
    };
    const string = (): void => {
        i++;
        while (i < text.length && text[i] !== '"') {
            if (text[i] === "\\") {
                i++;
                if (text[i] === "u") {
                    if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) {
                        fail();
                    }
                    i += 4;
                } else if (!'"\\/bfnrt'.includes(text[i] ?? "")) {
                    fail();
                }
            } else if (text.charCodeAt(i) < 0x20) {
                fail();
            }
            i++;
        }
        if (text[i] !== '"') {
            fail();
        }
        i++;
    };
    const number = (): void => {
        const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
        if (!match || match[0].length === 0) {
            fail();
        }
        i += match![0].length;
    };
    const value = (): void => {
        space();
        const c = text[i];
        if (c === "{") {
            i++;
            space();
            if (text[i] === "}") {
                i++;
                return;
            }
            for (;;) {
                space();
                if (text[i] !== '"') {
                    fail();
                }
                string();
                space();
                if (text[i] !== ":") {
                    fail();
                }
                i++;
                value();
                space();
                if (text[i] === ",") {
                    i++;
                    continue;
                }
                if (text[i] === "}") {
                    i++;
                    return;
                }
                fail();
            }
        } else if (c === "[") {
            i++;
            space();
            if (text[i] === "]") {
                i++;
                return;
            }
            for (;;) {
                value();
                space();
                if (text[i] === ",") {
                    i++;
                    continue;
                }
                if (text[i] === "]") {
                    i++;
                    return;
                }
                fail();
            }
        } else if (c === '"') {
            string();
        } else if (c === "t") {
            literal("true");
        } else if (c === "f") {
            literal("false");
        } else if (c === "n") {
            literal("null");
        } else {
            number();
        }
    };
    try {
        value();
        space();
        if (i < text.length) {
            fail();
        }
        return null;
    } catch (offset) {
        const at = typeof offset === "number" ? Math.min(offset, text.length) : text.length;
        const before = text.slice(0, at);
        return { line: before.split("\n").length, column: at - before.lastIndexOf("\n") };
    }
}
