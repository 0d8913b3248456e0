import { CaptureError } from "./captureError";

/**
 * Resolves a path written in a capture file (relative to the folder of the file that names it)
 * to a normalized path inside the capture. Refuses absolute paths, URLs and paths that climb
 * out of the capture folder.
 * @param path the path as written (e.g. "./train/r_0.png", "../images/a.jpg")
 * @param relativeTo folder (inside the capture) the path is relative to; "" for the capture root
 * @param referencedBy file that names the path, for the error message
 * @returns a normalized relative path with "/" separators and no "." or ".." parts
 */
export function ResolveCapturePath(path: string, relativeTo: string, referencedBy: string): string {
    const raw = path.replace(/\\/g, "/").trim();
    if (raw.length === 0) {
        throw new CaptureError(referencedBy, "an empty file path");
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith("/") || raw.startsWith("//")) {
        throw new CaptureError(referencedBy, `the path "${path}" is absolute or a URL; paths must stay inside the capture folder`);
    }
    const parts: string[] = relativeTo ? relativeTo.split("/").filter((p) => p.length > 0) : [];
    for (const part of raw.split("/")) {
        if (part === "" || part === ".") {
            continue;
        }
        if (part === "..") {
            if (parts.length === 0) {
                throw new CaptureError(referencedBy, `the path "${path}" escapes the capture folder`);
            }
            parts.pop();
            continue;
        }
        parts.push(part);
    }
    if (parts.length === 0) {
        throw new CaptureError(referencedBy, `the path "${path}" names the capture folder itself, not a file`);
    }
    return parts.join("/");
}

/**
 * The folder part of a capture path ("a/b/c.json" -> "a/b", "c.json" -> "").
 * @param path a normalized capture path
 * @returns its folder
 */
export function CaptureDirname(path: string): string {
    const slash = path.lastIndexOf("/");
    return slash < 0 ? "" : path.slice(0, slash);
}
