/**
 * Last pass over the paragraphs of the chosen box: lines that are page furniture whatever the
 * site ("Advertisement", "Read more"), and the short unpunctuated lines that hang at the start
 * or end of an article body (kicker, "Share", "Comments", an author's name).
 */
const FURNITURE =
  /^(?:advert(?:isement)?|anzeige|publicit[ée]|publicidade|pubblicit[àa]|реклама|广告|廣告|sponsored|continue reading|read more|read next|see also|share(?: this)?|comments?|\d+ comments?|tweet|print|email|close|caption|subscribe|sign up|follow us|related(?: articles| stories)?|more from .{1,30})[.:!…]*$/i;

function isShortLine(p: string): boolean {
  if (p.length > 60) return false;
  // Han text is dense: 15 characters already make a sentence.
  if (/[\u3400-\u9fff]/.test(p)) return p.length < 12 && !/[。！？]$/.test(p);
  return p.split(/\s+/).length < 6 && !/[.!?:"”)]$/.test(p);
}

/** "By Jane Doe", "Written by … on November 14, 2019", "Published 3:05 p.m.": above the text. */
function isByline(p: string): boolean {
  return (p.length < 120 && /^(?:(?:written |posted |words )?by|published|updated|posted|last updated)\b/i.test(p)) || /^https?:\/\/\S+$/.test(p);
}

export function trimParagraphs(paras: string[]): string[] {
  const kept = paras.filter((p) => !FURNITURE.test(p));
  let start = 0;
  let end = kept.length;
  while (start < end && (isShortLine(kept[start]!) || isByline(kept[start]!))) start++;
  while (end > start && isShortLine(kept[end - 1]!)) end--;
  // A page whose only text is short keeps it: that is its article.
  return start < end ? kept.slice(start, end) : kept;
}
