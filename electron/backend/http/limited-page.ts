/** `1 second`, `45 seconds`, `3 minutes` (from 90 seconds on): how long, in words. */
export function waitInWords(seconds: number): string {
  if (seconds < 90) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/** The reset page's own stylesheets, as `<link>` tags read from its built HTML. */
export function stylesheetsOf(resetHtml: string): string[] {
  return [...resetHtml.matchAll(/<link rel="stylesheet"[^>]*>/gu)].map((match) => match[0]);
}

/**
 * What the end user sees instead of the reset page while their network has loaded it too often:
 * the page's look (its stylesheets, which are not rate-limited, and its classes) and words, with
 * no script (the CSP allows no inline one). It loads the link again by itself after the wait.
 */
export function rateLimitedPage(seconds: number, stylesheets: readonly string[]): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta http-equiv="refresh" content="${seconds}">
    <title>Password reset: please wait</title>
    ${stylesheets.join('\n    ')}
  </head>
  <body>
    <div class="reset">
      <header class="reset__header">
        <div class="reset__brand">
          <span class="reset__logo" aria-hidden="true"></span>
          <h1>Password reset</h1>
        </div>
      </header>
      <main class="reset__main">
        <section class="reset__problem" aria-labelledby="problem-title">
          <h2 id="problem-title">Please wait a moment</h2>
          <p>This page was opened too many times from your network in a short time.</p>
          <p>Wait ${waitInWords(seconds)}: the page then opens again by itself. If it does not, open the link from your email again. Your link still works until it expires.</p>
        </section>
      </main>
    </div>
  </body>
</html>
`;
}
