// Package browsertest drives the real `danvan dev` Main in headless
// Chromium (chromedp): the officials' daily work end to end, with an axe-core
// accessibility check, a first-load size and a screenshot of every page.
// Its tests are named TestBrowser*; they need Debian's chromium and
// tools/axe/node_modules (npm ci), and fail without them when CI is set.
package browsertest
