import { FileCaptureSource } from "../core/capture/fileCaptureSource";

/**
 * Collects the files of a drop (files and whole folders, walked recursively through
 * `webkitGetAsEntry`) with their paths relative to what was dropped.
 * @param dataTransfer the drop event's dataTransfer
 * @returns [relative path, file] pairs
 */
export async function FilesFromDataTransferAsync(dataTransfer: DataTransfer): Promise<[string, File][]> {
    const entries = [...dataTransfer.items].map((item) => (item.kind === "file" ? item.webkitGetAsEntry() : null)).filter((entry): entry is FileSystemEntry => entry !== null);
    if (entries.length === 0) {
        return [...dataTransfer.files].map((file) => [file.name, file]);
    }
    const files: [string, File][] = [];
    const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
        if (entry.isFile) {
            const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
            files.push([prefix + entry.name, file]);
            return;
        }
        const reader = (entry as FileSystemDirectoryEntry).createReader();
        for (;;) {
            const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
            if (batch.length === 0) {
                break;
            }
            for (const child of batch) {
                await walk(child, `${prefix}${entry.name}/`);
            }
        }
    };
    for (const entry of entries) {
        await walk(entry, "");
    }
    return files;
}

/**
 * A capture source from a drop of a capture folder (or of its files).
 * @param dataTransfer the drop event's dataTransfer
 * @returns the source
 */
export async function CaptureSourceFromDropAsync(dataTransfer: DataTransfer): Promise<FileCaptureSource> {
    return new FileCaptureSource(await FilesFromDataTransferAsync(dataTransfer));
}
