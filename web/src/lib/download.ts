/** Saves `blob` as a file named `filename`, as a download link would. */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once may cancel the download in some browsers; a minute later is always safe.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
