/** Demo articles: realistic titles and short bodies, by the three demo users; a few unpublished. */
export interface DemoArticle {
  title: string;
  author: "admin" | "alice" | "bob";
  published: boolean;
  paragraphs: string[];
}

export const demoArticles: readonly DemoArticle[] = [
  {
    title: "Why we moved our sessions out of the browser",
    author: "alice",
    published: true,
    paragraphs: [
      "Tokens in local storage are one XSS away from an attacker. A backend-for-frontend keeps them on the server and gives the browser nothing but an encrypted, httpOnly cookie.",
      "This post walks through what changed for our users (nothing visible) and for our threat model (a lot).",
    ],
  },
  {
    title: "Five minutes is enough: short-lived access tokens in practice",
    author: "alice",
    published: true,
    paragraphs: [
      "Drupal's simple_oauth issues access tokens that live five minutes by default. That sounds short until you refresh them quietly on the server.",
      "We measured how often a refresh happens for a typical reading session and what it costs.",
    ],
  },
  {
    title: "Draft: rotating refresh tokens without logging anyone out",
    author: "alice",
    published: false,
    paragraphs: [
      "Every refresh rotates the refresh token. Two tabs that refresh at once can race each other into a sign-out.",
      "Notes for a single-flight design, still unfinished.",
    ],
  },
  {
    title: "Release notes: spring content update",
    author: "admin",
    published: true,
    paragraphs: [
      "The editorial team published twelve new guides this quarter and retired four that no longer matched the product.",
      "Thanks to everyone who sent corrections.",
    ],
  },
  {
    title: "A field guide to JSON:API filters",
    author: "alice",
    published: true,
    paragraphs: [
      "Shorthand filters, condition objects and groups cover almost every list a site needs.",
      "Here are the ones we use daily, with the URLs spelled out.",
    ],
  },
  {
    title: "How our editors plan a week of articles",
    author: "alice",
    published: true,
    paragraphs: [
      "Monday is for ideas, Wednesday for drafts, Friday for review. The calendar is simple; sticking to it is the hard part.",
      "We share the checklist we use before anything goes live.",
    ],
  },
  {
    title: "Reading list: authentication papers worth your evening",
    author: "bob",
    published: true,
    paragraphs: [
      "From the original OAuth 2.0 framework to the current security best current practice, a short list with one sentence on each.",
      "Start with RFC 9700 if you read only one.",
    ],
  },
  {
    title: "Accessibility checklist for article pages",
    author: "admin",
    published: true,
    paragraphs: [
      "Headings in order, alt text that says something, links that make sense out of context, and enough contrast.",
      "We run this list on every template change.",
    ],
  },
  {
    title: "Internal: migration plan for the image library",
    author: "admin",
    published: false,
    paragraphs: [
      "The old image styles are replaced by responsive images in three steps.",
      "Not for publication until the CDN contract is signed.",
    ],
  },
  {
    title: "What a 403 should tell a reader",
    author: "alice",
    published: true,
    paragraphs: [
      "A permission error is not a sign-in error. The reader stays signed in and learns what they may not do and why.",
      "Good error pages reduce support tickets more than any FAQ.",
    ],
  },
  {
    title: "Pagination that follows the server's links",
    author: "alice",
    published: true,
    paragraphs: [
      "Never build page URLs by hand: the server knows whether another page exists and which parameters it needs.",
      "Follow links.next and your client keeps working when the server changes its limits.",
    ],
  },
  {
    title: "Community meetup recap: headless Drupal in production",
    author: "bob",
    published: true,
    paragraphs: [
      "Three teams shared how they run decoupled front ends on top of Drupal: caching, previews and sign-in were the recurring themes.",
      "Slides are linked at the end.",
    ],
  },
  {
    title: "Writing titles people actually click",
    author: "alice",
    published: true,
    paragraphs: [
      "Say what the reader gets, in the words they would search for. Leave the pun for the subtitle.",
      "We tested forty headlines; the plain ones won.",
    ],
  },
  {
    title: "The cost of a cookie: measuring session size",
    author: "alice",
    published: true,
    paragraphs: [
      "Browsers cap a cookie at about 4 KB. Two JWTs and a user profile fit, if you keep the claims lean.",
      "We show how we kept our session cookie in one chunk.",
    ],
  },
  {
    title: "Style guide: dates, numbers and units",
    author: "admin",
    published: true,
    paragraphs: [
      "Write dates as 27 November 2026, use a thin space before units only in tables, and spell out numbers below ten.",
      "Consistency beats any single rule.",
    ],
  },
  {
    title: "Draft: our next newsletter",
    author: "bob",
    published: false,
    paragraphs: [
      "Ideas for the next issue: an interview with the infrastructure team and a look back at the year.",
      "Needs an editor before it can go out.",
    ],
  },
  {
    title: "Why the proxy refuses HTML",
    author: "alice",
    published: true,
    paragraphs: [
      "Anything our proxy serves runs on our own origin. An HTML page from the API would run with the reader's session.",
      "So the proxy only passes JSON through and answers 502 to everything else.",
    ],
  },
  {
    title: "Case study: a newsroom that publishes every hour",
    author: "alice",
    published: true,
    paragraphs: [
      "Hourly updates need an editorial workflow that never blocks on a deploy.",
      "Here is how their content model and review steps fit together.",
    ],
  },
  {
    title: "Glossary: tokens, scopes and roles",
    author: "bob",
    published: true,
    paragraphs: [
      "An access token proves who is calling, a scope limits what the token may do, and a role says what the person may do.",
      "Permissions are what both allow.",
    ],
  },
  {
    title: "How we test sign-in with a real browser",
    author: "alice",
    published: true,
    paragraphs: [
      "Unit tests cannot tell you whether a cookie is httpOnly in practice. A headless browser can.",
      "Our browser tests sign in, reload, open a second tab and sign out again.",
    ],
  },
  {
    title: "Quarterly traffic report",
    author: "admin",
    published: true,
    paragraphs: [
      "Readers spent more time on long guides than on news this quarter, and mobile traffic passed desktop for the first time.",
      "The full numbers are in the appendix.",
    ],
  },
  {
    title: "Draft: redesign of the article template",
    author: "alice",
    published: false,
    paragraphs: [
      "Wider measure, larger body text, and the author's name above the fold.",
      "Mock-ups attached; feedback welcome.",
    ],
  },
  {
    title: "Keeping secrets out of logs",
    author: "alice",
    published: true,
    paragraphs: [
      "Passwords, tokens and cookies never belong in a log line. Redaction at the logger is the last line of defence, not the first.",
      "We list the fields our logger removes and why.",
    ],
  },
  {
    title: "Interview: ten years of editing technical writing",
    author: "bob",
    published: true,
    paragraphs: [
      "Our longest-serving editor on cutting words, keeping voice and when to say no to a diagram.",
      "Edited for length.",
    ],
  },
  {
    title: "Content model: articles, authors and tags",
    author: "admin",
    published: true,
    paragraphs: [
      "Articles have one author and any number of tags. Authors are users; tags are a vocabulary.",
      "The model is small on purpose.",
    ],
  },
  {
    title: "A calm approach to incident write-ups",
    author: "alice",
    published: true,
    paragraphs: [
      "Say what happened, what readers saw, what we changed. No blame, no drama, and a date for the follow-up.",
      "Our template is at the end.",
    ],
  },
  {
    title: "Search tips for the article archive",
    author: "bob",
    published: true,
    paragraphs: [
      "The search box matches words in titles. Combine it with the published filter to find what is live.",
      "More filters are coming.",
    ],
  },
  {
    title: "Internal: access review for editors",
    author: "admin",
    published: false,
    paragraphs: [
      "Every editor account is reviewed twice a year. Accounts without activity for ninety days are blocked.",
      "The next review is in January.",
    ],
  },
  {
    title: "Welcome to the demo site",
    author: "admin",
    published: true,
    paragraphs: [
      "This site shows a Next.js front end signing in against a Drupal-compatible API. Sign in as alice, bob or admin to see what each role may do.",
      "Everything you see comes from the API through the Next.js server.",
    ],
  },
  {
    title: "Shipping small: our release checklist",
    author: "alice",
    published: true,
    paragraphs: [
      "Small releases are easier to review, easier to roll back and easier to explain.",
      "Ours fit on one page; here it is.",
    ],
  },
];
