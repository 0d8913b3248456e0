/**
 * Offers a file to the user as a download.
 * @param data the contents
 * @param fileName the suggested name
 */
export function DownloadFile(data: Blob | Uint8Array, fileName: string): void {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(data instanceof Blob ? data : new Blob([data as BlobPart], { type: "application/octet-stream" }));
    link.download = fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
