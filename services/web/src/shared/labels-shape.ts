// Shared by the server plugin and the page (no imports: it compiles in Node and in the browser).

/** A label's names in the page's languages. */
export interface Names {
  en: string;
  zh: string;
}

/**
 * What the page needs of the taxonomy: the ids it may filter on and their names in English and
 * Chinese (never its terms or traps).
 */
export interface PageLabels {
  version: string;
  areas: { id: string; name: Names }[];
  regions: { id: string; name: Names; districts: { id: string; name: Names }[] }[];
  clusters: { id: string; name: Names; districts: string[] }[];
}
