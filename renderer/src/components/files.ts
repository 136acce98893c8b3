/**
 * A file the user picked, as base64 for the API (calls cross IPC as JSON). The browser encodes it (a data: URL), so
 * a file of a few MB costs no string building of our own.
 */
export function readAsBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(new Error('无法读取文件'));
    r.readAsDataURL(file);
  });
}
