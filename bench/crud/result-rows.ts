/** A ciap `search_results` row as the benchmark writes it (database column names). */
export type ResultRow = {
  readonly search_id: number;
  readonly source: string;
  readonly title: string;
  readonly snippet: string;
  readonly url: string;
  readonly position: number;
  readonly sentiment_score: number;
};

const SOURCES = ["google", "bing", "duckduckgo"] as const;

/** The source every list-page query filters on. */
export const LISTED_SOURCE = "google";
/** The list-page query keeps positions up to this value. */
export const LISTED_MAX_POSITION = 50;
/** Rows per list page. */
export const LIST_PAGE_SIZE = 50;

/** Deterministic rows, so every contender works on the same data. */
export function resultRows(count: number, searchId: number, offset = 0): ResultRow[] {
  return Array.from({ length: count }, (_, index) => {
    const i = index + offset;
    return {
      search_id: searchId,
      source: SOURCES[i % SOURCES.length] as string,
      title: `Result ${i} about moduledb`,
      snippet: `Snippet ${i}: a few words of scraped text that look like a search result summary.`,
      url: `https://example.com/results/${i}`,
      position: i % 100,
      sentiment_score: (i % 11) / 10,
    };
  });
}
