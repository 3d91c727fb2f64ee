/**
 * Roughly how wide a line of text is in a proportional sans-serif font, in the units of
 * `fontSize`: CJK and full-width characters 1 em, capitals and digits 0.72 em, lower case
 * 0.6 em, narrow letters and punctuation 0.36 em — DejaVu Sans, the widest of the usual UI
 * fonts, measures up to these. For label margins in an SVG viewBox, which must be laid out
 * before any text can be measured (and in whatever font the reader's browser picks).
 */
export function estimateTextWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x1100 && isWide(code)) em += 1;
    else if (/[mwMW%@]/.test(ch)) em += 0.9;
    else if (/[A-Z0-9#&]/.test(ch)) em += 0.72;
    else if (/[ .,:;'|!iljtfr()[\]·]/.test(ch)) em += 0.36;
    else em += 0.6;
  }
  return em * fontSize;
}

/** East Asian wide and full-width ranges (Hangul, CJK, kana, full-width forms). */
function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}
