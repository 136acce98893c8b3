/**
 * Outside anchors for verify (issue 20 item 6): what pins a ledger to a state someone outside it has seen. The 校验码
 * printed on a published notice (the disclosure workbook's footer and each sheet, the month-close page) is the first
 * 16 hex digits of the close's checksum, which hashes the month's figures with the audit chain's head at the close; a
 * parent who kept the notice can hold the whole history up to that close against the ledger. Zod-free: the renderer,
 * the CLI and the contract share it.
 */

/** The digits a notice prints (64 bits: forging a rewritten chain whose close checksum starts with them is out of reach). */
export const PUBLISHED_CHECKSUM_DIGITS = 16;

/** One anchor verify used, and what it found. */
export interface VerifyAnchor {
  /** 'backup': the chain head of the newest backup in backups/; 'published': a 校验码 from a published notice. */
  kind: 'backup' | 'published';
  /** The backup's file name, or the checksum as given (lower case). */
  source: string;
  ok: boolean;
  /** In words: what it pins, or why it does not hold. */
  detail: string;
}

/**
 * The checksums in what a person typed or pasted: separated by commas, spaces or new lines, case-insensitive, a
 * trailing ellipsis and a leading “校验码：” dropped. `bad` lists the words that are not 16 to 64 hex digits.
 */
export function parsePublishedChecksums(text: string | readonly string[]): { values: string[]; bad: string[] } {
  const words = (typeof text === 'string' ? [text] : text)
    .flatMap((t) => t.split(/[,，;；、\s]+/u))
    .map((w) => w.replace(/^校验码[:：]?/u, '').replace(/(…|\.\.\.)$/u, '').trim())
    .filter((w) => w !== '');
  const values: string[] = [];
  const bad: string[] = [];
  for (const w of words) {
    const v = w.toLowerCase();
    if (new RegExp(`^[0-9a-f]{${PUBLISHED_CHECKSUM_DIGITS},64}$`).test(v)) {
      if (!values.includes(v)) values.push(v);
    } else bad.push(w);
  }
  return { values, bad };
}

/** Why a word is not a checksum, in words. */
export function badChecksumMessage(word: string): string {
  return `“${word}”不是公示校验码：应为公示表上“校验码：”后的 ${PUBLISHED_CHECKSUM_DIGITS} 位（或更长的）十六进制数字（0-9、a-f）`;
}
