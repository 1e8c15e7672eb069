// The browser journeys of issue 5, in Debian's Chromium driven by
// playwright-core, against a real `trellis serve` on a fresh SQLite demo area:
// every role signs in, sees its home page and signs out, with JavaScript on
// and off; every page visited is checked with axe-core for WCAG 2.2 AA;
// screenshots of the main pages at desktop and tablet sizes are written.
//
//   node tests/e2e/journeys.mjs --trellis build/ci/trellis \
//        [--screenshots build/screenshots] [--chromium /usr/bin/chromium]
//
// Ends with one line `e2e: C checks, P pages, F failures` and exits 1 on any
// failure.
import { spawn, execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const web = createRequire(path.join(root, "web", "package.json"));
const { chromium } = web("playwright-core");
const axeSource = fs.readFileSync(web.resolve("axe-core/axe.min.js"), "utf8");

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith("--")) pairs.push([arg.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
const trellis = path.resolve(args.trellis ?? "build/ci/trellis");
const screenshots = path.resolve(args.screenshots ?? "build/screenshots");
const chromiumPath = args.chromium ?? "/usr/bin/chromium";
const listed = JSON.parse(
  fs.readFileSync(path.join(root, "tests/e2e/pages.json"), "utf8"),
).pages;

let checks = 0;
const failures = [];
const visited = new Set();
function check(ok, what) {
  checks += 1;
  if (!ok) {
    failures.push(what);
    console.log(`FAIL ${what}`);
  }
}

// --- A demo area with one account per role --------------------------------
const work = fs.mkdtempSync(path.join(os.tmpdir(), "trellis-e2e-"));
const db = `sqlite:${path.join(work, "area.db")}`;
const run = (...cli) =>
  execFileSync(trellis, ["--frameworks", path.join(root, "frameworks"), "--db", db, ...cli], {
    encoding: "utf8",
  });
run("db", "init", "--framework", "newcastle-2009");
run("demo", "--people", "2000");
const password = "a long enough test password";
const addUser = (email, role, extra = []) =>
  execFileSync(
    trellis,
    ["--frameworks", path.join(root, "frameworks"), "--db", db, "user", "add",
     "--email", email, "--role", role, "--password-stdin", ...extra],
    { input: `${password}\n`, encoding: "utf8" },
  );
addUser("coordinator@example.org", "coordinator", ["--name", "Cora Coordinator"]);
addUser("auditor@example.org", "auditor", ["--name", "Audrey Auditor"]);

// Roll-out plans: the shipped Newcastle plan (its slips kept as written), and
// one that starts four months from now in the demo area's IT suite, after
// the demo's own sessions there.
const plans = path.join(work, "plans");
fs.mkdirSync(plans);
fs.copyFileSync(path.join(root, "plans/newcastle-contactpoint-2009.yaml"),
  path.join(plans, "newcastle-contactpoint-2009.yaml"));
const isoDay = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
const planStart = new Date(Date.now() + 120 * 86400000);
const planMiddle = new Date(Date.now() + 240 * 86400000);
const planEnd = new Date(Date.now() + 420 * 86400000);
fs.writeFileSync(path.join(plans, "trial.yaml"), `plan: trial
name: ContactPoint roll-out trial
workforce: 2000
delivery:
  days: [monday, friday]
  sessions_per_day: 2
  people_per_session: 12
mix:
  period_weeks: 2
  sessions:
    practitioners: 6
    operational-managers: 1
    admin-staff: 1
phases:
  - name: Phase 1
    from: ${isoDay(planStart)}
    to: ${isoDay(planMiddle)}
    target: 150
  - name: Phase 2
    from: ${isoDay(new Date(planMiddle.getTime() + 86400000))}
    to: ${isoDay(planEnd)}
    target: 300
framework: newcastle-2009
courses:
  - module: IS-PRACTICE
  - module: CP-USER
venues:
  - name: Springfield ICT suite
    seats: 12
    room: springfield-ict-suite
trainers:
  - name: Trainer
    count: 8
    days_per_month: 2.5
`);

// --- The server ---------------------------------------------------------------
const server = spawn(
  trellis,
  ["--frameworks", path.join(root, "frameworks"), "--db", db, "serve", "--plans", plans,
   "--listen", "127.0.0.1:0", "--log-format", "text", "--log-level", "warn"],
  { stdio: ["ignore", "pipe", "inherit"] },
);
const base = await new Promise((resolve, reject) => {
  let out = "";
  server.stdout.on("data", (chunk) => {
    out += chunk;
    const m = out.match(/at (http:\/\/[0-9.]+:[0-9]+)/);
    if (m) resolve(m[1]);
  });
  server.on("exit", (code) => reject(new Error(`trellis serve exited ${code}`)));
  setTimeout(() => reject(new Error("trellis serve did not start")), 20000);
});

// People for the learner, manager and trainer accounts, found through the API:
// the learner is someone whose request waits on a session that asks for
// approval; the request is withdrawn so that they ask again in the journey.
const signIn = await fetch(`${base}/api/v1/sign-in`, {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ email: "coordinator@example.org", password }),
});
const apiCookie = signIn.headers.get("set-cookie").split(";")[0];
const { csrf_token: csrfToken } = await signIn.json();
const api = async (route, init = {}) => {
  const response = await fetch(`${base}/api/v1${route}`, {
    ...init,
    headers: { Cookie: apiCookie, "X-CSRF-Token": csrfToken, "Content-Type": "application/json" },
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${route}: ${response.status} ${JSON.stringify(body)}`);
  return body;
};
const sessions = (await api("/sessions?limit=1000")).items;
let chosen = null;
for (const session of sessions.filter((s) => s.approval_required && s.status === "open")) {
  for (const booking of (await api(`/sessions/${session.id}/bookings`)).items) {
    if (booking.status !== "requested") continue;
    const person = await api(`/people/${booking.person}`);
    if (person.manager && !session.trainers.includes(person.manager)) {
      chosen = { session, booking, person };
      break;
    }
  }
  if (chosen) break;
}
if (!chosen) throw new Error("the demo area has no request waiting on a session that asks for approval");
await api(`/bookings/${chosen.booking.id}/cancel`, { method: "POST", body: JSON.stringify({ note: "set up for the journeys" }) });
const learner = chosen.person;
const askFor = chosen.session;
// The trainer: of a session already run whose register is still open (the
// demo leaves the last day's for their trainers), with people booked on it.
const now = new Date();
const localNow = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}T${String(now.getHours()).padStart(2, "0")}:${String(now.getMinutes()).padStart(2, "0")}`;
// Their plan lists modules: someone the framework asks something of.
let toMark = null;
for (const s of sessions.filter((s) => s.status === "open" && !s.register_closed_at &&
  s.parts[s.parts.length - 1].ends <= localNow &&
  ![learner.id, learner.manager].includes(s.trainers[0]))) {
  const needs = (await api(`/people/${s.trainers[0]}/needs?limit=200`)).items;
  if (needs.some((n) => n.status !== "not-applicable")) {
    toMark = s;
    break;
  }
}
if (!toMark) throw new Error("the demo area has no session run with its register still open");
const trainer = toMark.trainers[0];
addUser("learner@example.org", "learner", ["--person", learner.id]);
addUser("manager@example.org", "manager", ["--person", learner.manager]);
addUser("trainer@example.org", "trainer", ["--person", trainer]);
const roles = ["learner", "manager", "coordinator", "trainer", "auditor"];
// For the coordinator: a course taught to anyone's system, and a register
// already closed with people on it.
const openCourse = sessions.find((s) => !s.case_management_system).course;
let closedRun = null;
for (const s of sessions.filter((x) => x.register_closed_at)) {
  if ((await api(`/sessions/${s.id}/bookings`)).items.length > 0) {
    closedRun = s;
    break;
  }
}
if (!closedRun) throw new Error("the demo area has no closed register with people on it");
const inTwoWeeks = new Date(Date.now() + 14 * 86400000).toISOString().slice(0, 10);

// --- Checks -------------------------------------------------------------------
// Runs axe-core on the page as it is. With the page's own JavaScript off,
// axe cannot run in it: its HTML is loaded, scripts blocked, into a page of
// its own where axe can.
async function axeCheck(page, label, javaScript) {
  visited.add(new URL(page.url()).pathname);
  let target = page;
  let context = null;
  if (!javaScript) {
    const url = page.url();
    const html = await page.content();
    context = await browser.newContext({ bypassCSP: true });
    target = await context.newPage();
    await target.route("**/*.mjs", (route) => route.abort());
    await target.route(url, (route) =>
      route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }));
    await target.goto(url);
  }
  await target.addScriptTag({ content: axeSource });
  const result = await target.evaluate(() =>
    window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    }),
  );
  if (context) await context.close();
  for (const v of result.violations) {
    console.log(`  axe ${label}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target).join(", ")}`);
  }
  check(result.violations.length === 0, `${label}: no WCAG 2.2 AA violation`);
}

async function shoot(page, name) {
  fs.mkdirSync(screenshots, { recursive: true });
  for (const [size, viewport] of [["desktop", { width: 1280, height: 900 }], ["tablet", { width: 768, height: 1024 }]]) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: path.join(screenshots, `${name}-${size}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

// Follows a form's submit button or a link, with or without JavaScript.
async function go(page, locator) {
  await Promise.all([page.waitForNavigation(), locator.click()]);
}
const banner = async (page) =>
  (await page.locator(".govuk-notification-banner__heading").textContent().catch(() => "")).trim();

// The learner finds the session that asks for approval, asks for a place,
// and reads their records. With JavaScript off (after the manager approved
// the request with it on) they find it booked and cancel it, then ask again.
async function learnerJourney(page, label, javaScript) {
  await go(page, page.locator("nav a:has-text('Find a session')"));
  check(new URL(page.url()).pathname === "/sessions", `${label}: find a session`);
  await axeCheck(page, `${label}: find a session`, javaScript);
  if (javaScript) await shoot(page, "sessions-learner");
  // The same sessions as a calendar: this month, the next, a week.
  await go(page, page.locator("a:has-text('Show the sessions as a calendar')"));
  check((await page.locator("table.app-calendar tbody tr").count()) >= 4, `${label}: a month of weeks`);
  await axeCheck(page, `${label}: the calendar`, javaScript);
  if (javaScript) await shoot(page, "calendar-learner");
  await go(page, page.locator("a[rel=next]"));
  check(/month=\d{4}-\d{2}/.test(page.url()), `${label}: the next month`);
  await go(page, page.locator("a:has-text('Show a week')"));
  check((await page.locator("table.app-calendar tbody tr").count()) === 1, `${label}: a week`);
  await axeCheck(page, `${label}: a week of the calendar`, javaScript);
  await go(page, page.locator("nav a:has-text('Find a session')"));
  // With JavaScript each filter applies as it changes; without, the button.
  const filter = async (change) => {
    if (javaScript) await Promise.all([page.waitForNavigation(), change()]);
    else await change();
  };
  await filter(() => page.selectOption("#course", askFor.course));
  await filter(() => page.selectOption("#when", "0"));
  await filter(() => page.check("#bookable"));
  if (!javaScript) await go(page, page.locator("button:has-text('Show sessions')"));
  check(/bookable=yes/.test(page.url()) && page.url().includes(askFor.course), `${label}: the filters apply`);
  const link = page.locator(`a[href^="/sessions/${askFor.id}"]`);
  if (!javaScript) {
    // Approved with JavaScript on: booked, so not offered; open it directly.
    check((await link.count()) === 0, `${label}: a session already booked is not offered as bookable`);
    await page.goto(`${base}/sessions/${askFor.id}`);
    check((await page.locator("strong.govuk-tag:has-text('Booked')").count()) === 1, `${label}: the approved place shows as booked`);
    await go(page, page.locator("a:has-text('Cancel this place')"));
    await axeCheck(page, `${label}: cancel a place`, javaScript);
    await page.fill("#reason", "A case conference the same morning");
    await go(page, page.locator("button:has-text('Cancel the place')"));
    check(/cancelled/.test(await banner(page)), `${label}: the place is cancelled`);
  } else {
    check((await link.count()) === 1, `${label}: the session is offered as bookable`);
    await go(page, link.first());
  }
  check(new URL(page.url()).pathname === `/sessions/${askFor.id}`, `${label}: the session's page`);
  await axeCheck(page, `${label}: a session`, javaScript);
  if (javaScript) await shoot(page, "session-learner");
  await go(page, page.locator("button:has-text('Ask for a place')"));
  check(/manager for approval/.test(await banner(page)), `${label}: the request goes to the manager`);
  check((await page.locator("strong.govuk-tag:has-text('Waiting for approval')").count()) === 1, `${label}: the place waits for approval`);
  await axeCheck(page, `${label}: a session, asked for`, javaScript);

  await go(page, page.locator("nav a:has-text('My records')"));
  check((await page.locator("h1:has-text('My records')").count()) === 1, `${label}: my records`);
  await axeCheck(page, `${label}: my records`, javaScript);
}

// The manager approves the request (declines it with JavaScript off), then
// goes through a team member's plan with them, books a session for them
// (a nomination), and cancels it again.
async function managerJourney(page, label, javaScript) {
  await go(page, page.locator("nav a:has-text('Home')"));
  const card = page.locator(".govuk-summary-card", {
    has: page.locator(`a[href="/sessions/${askFor.id}?for=${learner.id}"]`),
  });
  check((await card.count()) === 1, `${label}: the learner's request waits for a decision`);
  if (javaScript) await shoot(page, "home-manager-request");
  if (javaScript) {
    await go(page, card.locator("button[value=approve]"));
    check(/approved/.test(await banner(page)), `${label}: the request is approved`);
  } else {
    await card.locator("input[name=note]").fill("Not this month: the team is short");
    await go(page, card.locator("button[value=decline]"));
    check(/declined/.test(await banner(page)), `${label}: the request is declined`);
  }
  await axeCheck(page, `${label}: home after a decision`, javaScript);

  await go(page, page.locator("nav a:has-text('My team')"));
  check((await page.locator("h1:has-text('My team')").count()) === 1, `${label}: my team`);
  await axeCheck(page, `${label}: my team`, javaScript);
  if (javaScript) await shoot(page, "team-manager");
  await go(page, page.locator(`a[href="/people/${learner.id}"]`));
  check((await page.locator(`h1:has-text("${learner.name}")`).count()) === 1, `${label}: the person's page`);
  check((await page.locator(".govuk-task-list__item").count()) > 0, `${label}: their plan`);
  await axeCheck(page, `${label}: a person`, javaScript);
  if (javaScript) await shoot(page, "person-manager");
  await go(page, page.locator("a:has-text('can book now')"));
  const offered = page.locator("#sessions tbody a");
  check((await offered.count()) > 0, `${label}: sessions the person can book`);
  await axeCheck(page, `${label}: find a session for a person`, javaScript);
  await go(page, offered.first());
  const book = page.locator("form[action$='/bookings'] button");
  check((await book.count()) === 1, `${label}: the manager may book for them`);
  await go(page, book);
  check(/booked|waiting list/.test(await banner(page)), `${label}: the nomination takes a place (${await banner(page)})`);
  await go(page, page.locator("a:has-text('Cancel this place')"));
  await go(page, page.locator("button:has-text('Cancel the place')"));
  check(/cancelled/.test(await banner(page)), `${label}: the nomination is cancelled (${await banner(page)})`);
}

// Those who run or read the area see every session and who is booked.
async function sessionsJourney(page, label, javaScript, role) {
  await go(page, page.locator("nav a:has-text('Sessions')"));
  check((await page.locator("#sessions tbody tr").count()) > 0, `${label}: the sessions`);
  await axeCheck(page, `${label}: sessions`, javaScript);
  await go(page, page.locator("#sessions tbody a").first());
  check((await page.locator("h2:has-text('Bookings')").count()) === 1, `${label}: a session's bookings`);
  await axeCheck(page, `${label}: a session with its bookings`, javaScript);
  if (javaScript && role === "coordinator") await shoot(page, "session-coordinator");
  // The learner's session has bookings whatever the journeys did before.
  await page.goto(`${base}/sessions/${askFor.id}`);
  await go(page, page.locator("table a[href^='/people/']").first());
  check((await page.locator(".govuk-task-list").count()) === 1, `${label}: a booked person's plan`);
  await axeCheck(page, `${label}: a person`, javaScript);
}

// The framework browser: the matrix, a route, a module, a course and its
// check.
async function frameworkJourney(page, label, javaScript) {
  await go(page, page.locator("nav a:has-text('Framework')"));
  check((await page.locator("h2:has-text('Who takes what')").count()) === 1, `${label}: the matrix`);
  await axeCheck(page, `${label}: the framework`, javaScript);
  const second = await page.locator("#audience option").nth(1).getAttribute("value");
  if (javaScript) await Promise.all([page.waitForNavigation(), page.selectOption("#audience", second)]);
  else {
    await page.selectOption("#audience", second);
    await go(page, page.locator("button:has-text('Show the route')"));
  }
  check(page.url().includes(`audience=${second}`), `${label}: another audience's route`);
  await go(page, page.locator("#modules ~ table a").first());
  check(new URL(page.url()).pathname.startsWith("/framework/modules/"), `${label}: a module`);
  await axeCheck(page, `${label}: a module`, javaScript);
  await page.goto(`${base}/framework`);
  await go(page, page.locator("#courses ~ table a").first());
  check((await page.locator("h2:has-text('Course check')").count()) === 1, `${label}: a course and its check`);
  await axeCheck(page, `${label}: a course`, javaScript);
}

// Organisations with their readiness, and the people of one.
async function areaJourney(page, label, javaScript) {
  await go(page, page.locator("nav a:has-text('Organisations')"));
  check((await page.locator("main table tbody tr").count()) > 10, `${label}: the organisations`);
  await axeCheck(page, `${label}: organisations`, javaScript);
  await go(page, page.locator("main table a").first());
  check((await page.locator("h2:has-text('Readiness')").count()) === 1, `${label}: an organisation's readiness`);
  await axeCheck(page, `${label}: an organisation`, javaScript);
  await go(page, page.locator("a:has-text('Its people')"));
  check((await page.locator("main table tbody tr").count()) > 0, `${label}: the organisation's people`);
  await axeCheck(page, `${label}: people`, javaScript);
}

// The audit trail: newest first, a record's own history, the chain checked.
async function auditJourney(page, label, javaScript) {
  await go(page, page.locator("nav a:has-text('Audit trail')"));
  check((await page.locator("main table tbody tr").count()) === 50, `${label}: the newest 50 changes`);
  await axeCheck(page, `${label}: the audit trail`, javaScript);
  await go(page, page.locator("button:has-text('Check the chain is intact')"));
  check((await page.locator(".govuk-inset-text:has-text('The chain is intact')").count()) === 1, `${label}: the chain is intact`);
  await go(page, page.locator("main table a[href*='entity=booking']").first());
  check((await page.locator("main p:has-text('This is the history of booking')").count()) === 1, `${label}: one record's history`);
}

// A trainer opens the register of a session they have run from their home
// page, ticks who came and saves it (JavaScript on); then closes it, which
// writes the training records (JavaScript off).
async function trainerJourney(page, label, javaScript) {
  await go(page, page.locator("nav a:has-text('Home')"));
  await go(page, page.locator(`a[href="/sessions/${toMark.id}/register"]`).first());
  check(new URL(page.url()).pathname === `/sessions/${toMark.id}/register`, `${label}: the register from home`);
  await axeCheck(page, `${label}: a register`, javaScript);
  const boxes = page.locator("input[type=checkbox][name^=present-]");
  if (javaScript) {
    const count = await boxes.count();
    check(count > 0, `${label}: a box to tick for each person`);
    for (let i = 0; i < count; i += 1) if (i % 4 !== 3) await boxes.nth(i).check();
    await shoot(page, "register-trainer");
    await go(page, page.locator("button:has-text('Save the register')"));
    check(/saved/.test(await banner(page)), `${label}: the register is saved`);
    check((await boxes.first().isChecked()), `${label}: the marks are kept`);
  } else {
    check((await boxes.first().isChecked()), `${label}: the marks saved before are there`);
    await go(page, page.locator("button:has-text('Close the register')"));
    check(/closed/.test(await banner(page)), `${label}: the register is closed`);
    check((await boxes.count()) === 0, `${label}: a closed register is read-only`);
    check((await page.locator("td:has-text('Attended')").count()) > 0, `${label}: places became attended`);
    await axeCheck(page, `${label}: a closed register`, javaScript);
  }
  await go(page, page.locator("a:has-text('Back to the session')"));
  check((await page.locator("h2:has-text('Bookings')").count()) === 1, `${label}: who is booked on their session`);
  await axeCheck(page, `${label}: a session they train`, javaScript);
}

// The coordinator adds a venue and a room, schedules a session in it from a
// day of the calendar (after a mistake the form names), changes it, looks up
// someone to book on it, keeps an organisation's readiness checklist and
// corrects a closed register.
async function manageJourney(page, label, javaScript) {
  const suffix = javaScript ? "js" : "plain";
  await go(page, page.locator("nav a:has-text('Sessions')"));
  await go(page, page.locator("main a:has-text('Venues and rooms')"));
  check((await page.locator("h1:has-text('Venues and rooms')").count()) === 1, `${label}: venues and rooms`);
  await axeCheck(page, `${label}: venues`, javaScript);
  await page.fill("#name", `Family Hub (${suffix})`);
  await page.fill("#id", `hub-${suffix}`);
  await page.fill("#address", "1 High Street");
  await go(page, page.locator("button:has-text('Add the venue')"));
  check(/add its rooms/.test(await banner(page)), `${label}: the venue is added`);
  await axeCheck(page, `${label}: a venue`, javaScript);
  await page.fill("#name", "Training room 1");
  await page.fill("#id", `hub-${suffix}-1`);
  await page.fill("#seats", "16");
  await page.check("#it_suite");
  await go(page, page.locator("button:has-text('Add the room')"));
  check(/room is added/.test(await banner(page)), `${label}: the room is added`);

  await page.goto(`${base}/calendar?view=week&week=${inTwoWeeks}`);
  await go(page, page.locator("a.app-calendar__add").first());
  check(new URL(page.url()).pathname === "/sessions/new", `${label}: schedule from a day of the calendar`);
  check((await page.inputValue("#part1-day")) !== "", `${label}: the day is filled in`);
  await go(page, page.locator("button:has-text('Schedule the session')"));
  check((await page.locator(".govuk-error-summary a[href='#course']").count()) === 1, `${label}: a missing course is named`);
  await axeCheck(page, `${label}: the session form with errors`, javaScript);
  await page.selectOption("#course", openCourse);
  await page.selectOption("#room", `hub-${suffix}-1`);
  if (javaScript) await shoot(page, "session-form-coordinator");
  await go(page, page.locator("button:has-text('Schedule the session')"));
  check(/scheduled/.test(await banner(page)), `${label}: the session is scheduled`);
  const scheduled = new URL(page.url()).pathname;
  await go(page, page.locator("a:has-text('Change this session')"));
  check(new URL(page.url()).pathname === `${scheduled}/edit`, `${label}: change the session`);
  await axeCheck(page, `${label}: the session form`, javaScript);
  await page.fill("#seats", "10");
  await page.fill("#notes", "Bring your smartcard");
  await go(page, page.locator("button:has-text('Save the changes')"));
  check(/changed/.test(await banner(page)), `${label}: the session is changed`);
  check((await page.locator("dd:has-text('10 of 10 left')").count()) === 1, `${label}: the new places show`);
  await page.fill("#for", learner.id);
  await go(page, page.locator("button:has-text('Find the person')"));
  check((await page.locator(`h2:has-text("A place for ${learner.name}")`).count()) === 1, `${label}: a place for someone else`);

  await go(page, page.locator("nav a:has-text('Organisations')"));
  await go(page, page.locator("main table a").first());
  await go(page, page.locator("a:has-text('Update the checklist')").first());
  check((await page.locator("input[name=met-1]").count()) === 1, `${label}: the readiness checklist`);
  await axeCheck(page, `${label}: a readiness checklist`, javaScript);
  await page.check("#met-1");
  await page.fill("#evidence-1", "Signed agreement on file");
  await go(page, page.locator("button:has-text('Save the checklist')"));
  check(/checklist is saved/.test(await banner(page)), `${label}: the checklist is saved`);

  await page.goto(`${base}/sessions/${closedRun.id}/register`);
  await go(page, page.locator("a:has-text('Correct')").first());
  check((await page.locator("h1:has-text('Correct')").count()) === 1, `${label}: correct a closed register`);
  await axeCheck(page, `${label}: a register correction`, javaScript);
  const box = page.locator("#present-0");
  if (await box.isChecked()) await box.uncheck();
  else await box.check();
  await page.fill("#reason", "The sign-in sheet shows otherwise");
  await go(page, page.locator("button:has-text('Save the correction')"));
  check(/correction is saved/.test(await banner(page)), `${label}: the correction is saved`);

  // Imports: a file with a bad row is refused with the row named; a good one
  // is checked, then confirmed.
  await go(page, page.locator("nav a:has-text('People')"));
  await go(page, page.locator("a:has-text('Import people from a CSV file')"));
  check(new URL(page.url()).pathname === "/imports", `${label}: import a file`);
  await axeCheck(page, `${label}: import a file`, javaScript);
  const id = `E2E-${suffix.toUpperCase()}`;
  const rows = (org) => "person_id,name,email,org_id,audiences\r\n" +
    `${id},Pat Imported,${id.toLowerCase()}@example.org,${org},${learner.audiences[0]}\r\n`;
  await page.check("#kind-people");
  await page.setInputFiles("#file", { name: "staff.csv", mimeType: "text/csv", buffer: Buffer.from(rows("NO-SUCH-ORG")) });
  await go(page, page.locator("button:has-text('Check the file')"));
  check((await page.locator("h1:has-text('cannot be imported')").count()) === 1, `${label}: a bad file is refused`);
  check((await page.locator("td:has-text('NO-SUCH-ORG')").count()) === 1, `${label}: the bad value is named`);
  await axeCheck(page, `${label}: an import refused`, javaScript);
  await go(page, page.locator("a:has-text('Upload a file')"));
  await page.check("#kind-people");
  await page.setInputFiles("#file", { name: "staff.csv", mimeType: "text/csv", buffer: Buffer.from(rows(learner.organisation)) });
  await go(page, page.locator("button:has-text('Check the file')"));
  check((await page.locator("dd:has-text('1 added')").count()) === 1, `${label}: what the import would do`);
  await axeCheck(page, `${label}: an import checked`, javaScript);
  if (javaScript) await shoot(page, "import-coordinator");
  await go(page, page.locator("button:has-text('Import the people')"));
  check(/Imported people: 1 added/.test(await banner(page)), `${label}: the file is imported`);
}

// The dashboard: four tables, each with its chart (JavaScript on) and its
// CSV and XLSX downloads.
async function dashboardJourney(page, label, javaScript, role) {
  await go(page, page.locator("nav a:has-text('Dashboard')"));
  check((await page.locator("main table").count()) === 4, `${label}: the dashboard's four tables`);
  if (javaScript) {
    await page.waitForFunction(() => document.querySelectorAll(".app-chart:not([hidden]) canvas").length === 4, null, { timeout: 10000 })
      .catch(() => {});
    check((await page.locator(".app-chart:not([hidden]) canvas").count()) === 4, `${label}: a chart beside each table`);
  } else {
    check((await page.locator(".app-chart:not([hidden])").count()) === 0, `${label}: without JavaScript the tables alone`);
  }
  await axeCheck(page, `${label}: the dashboard`, javaScript);
  if (javaScript && role === "coordinator") {
    await shoot(page, "dashboard");
    // The first screen, as README shows it.
    fs.mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: path.join(screenshots, "dashboard-first-screen.png") });
  }
  const csv = await page.request.get(`${base}/dashboard/needs-by-sector.csv`);
  check(csv.ok() && (await csv.text()).startsWith("Sector,People,Done,"), `${label}: the CSV download`);
  const xlsx = await page.request.get(`${base}/dashboard/take-up.xlsx`);
  const bytes = await xlsx.body();
  check(xlsx.ok() && bytes[0] === 0x50 && bytes[1] === 0x4b, `${label}: the XLSX download is a workbook`);
}

// Roll-out plans: the list, a plan with its forecast chart beside its table
// and the calendar it proposes, a what-if, and (coordinators) the commit,
// which a second time adds nothing.
async function rollOutJourney(page, label, javaScript, role) {
  await go(page, page.locator("nav a:has-text('Roll-out plans')"));
  check((await page.locator("main tbody tr").count()) === 2, `${label}: two roll-out plans`);
  await axeCheck(page, `${label}: roll-out plans`, javaScript);
  await go(page, page.locator("a:has-text('ContactPoint roll-out trial')"));
  check(new URL(page.url()).pathname === "/roll-outs/trial", `${label}: a roll-out plan`);
  check((await page.locator("#phases-table tbody tr").count()) === 2, `${label}: the phases against their targets`);
  check((await page.locator("#proposed-calendar-table tbody tr").count()) > 0, `${label}: the proposed calendar`);
  if (javaScript) {
    await page.waitForFunction(() => document.querySelectorAll(".app-chart:not([hidden]) canvas").length === 1, null, { timeout: 10000 })
      .catch(() => {});
    check((await page.locator(".app-chart:not([hidden]) canvas").count()) === 1, `${label}: the forecast chart beside its table`);
  }
  await axeCheck(page, `${label}: a roll-out plan`, javaScript);
  if (javaScript && role === "coordinator") await shoot(page, "roll-out");
  await page.fill("#seats", "16");
  await go(page, page.locator("button:has-text('Plan again')"));
  check((await page.locator("text=As the file states it").count()) === 1, `${label}: the what-if against the plan as stated`);
  await page.fill("#more", "venue.seatz=3");
  await go(page, page.locator("button:has-text('Plan again')"));
  check((await page.locator(".govuk-error-summary").count()) === 1, `${label}: a what-if the plan does not take is named`);
  await axeCheck(page, `${label}: a roll-out plan with a wrong what-if`, javaScript);
  await page.fill("#more", "");
  await page.fill("#seats", "");
  await go(page, page.locator("button:has-text('Plan again')"));
  const commit = page.locator("button:has-text('Commit the plan')");
  if (role !== "coordinator") {
    check((await commit.count()) === 0, `${label}: only a coordinator commits`);
    return;
  }
  await go(page, commit);
  check((await page.locator("h1:has-text('Plan committed')").count()) === 1, `${label}: the plan committed`);
  const body = await page.locator("main").textContent();
  if (javaScript) {
    check(/[1-9][0-9]* sessions added/.test(body), `${label}: sessions added`);
  } else {
    check(/0 sessions added/.test(body), `${label}: committing again adds nothing`);
  }
  await axeCheck(page, `${label}: a roll-out plan committed`, javaScript);
}

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  // Under the pages' own Content-Security-Policy, their scripts run.
  {
    const context = await browser.newContext();
    const page = await context.newPage();
    const refused = [];
    page.on("console", (m) => { if (/Content Security Policy/i.test(m.text())) refused.push(m.text()); });
    await page.goto(`${base}/sign-in`);
    await page.waitForFunction(() => document.body.classList.contains("govuk-frontend-supported"), null, { timeout: 10000 })
      .catch(() => {});
    check(await page.evaluate(() => document.body.classList.contains("govuk-frontend-supported")),
      "the pages' scripts run under their Content-Security-Policy");
    check(refused.length === 0, `nothing refused by the policy (${refused.join("; ")})`);
    await context.close();
  }
  for (const javaScript of [true, false]) {
    const mode = javaScript ? "JavaScript on" : "JavaScript off";
    for (const role of roles) {
      // bypassCSP lets axe-core's script in; the pages' own policy allows no
      // inline script (SiteTest checks it).
      const context = await browser.newContext({ javaScriptEnabled: javaScript, bypassCSP: true });
      const page = await context.newPage();
      const label = `${role}, ${mode}`;

      await page.goto(`${base}/`);
      check(new URL(page.url()).pathname === "/sign-in", `${label}: the home page asks to sign in first`);
      await axeCheck(page, `${label}: sign in`, javaScript);

      // A mistake first: the error summary names the field.
      await page.fill("#email", `${role}@example.org`);
      await page.click("button:has-text('Sign in')");
      check((await page.locator(".govuk-error-summary").count()) === 1, `${label}: an empty password is named`);
      check((await page.title()).startsWith("Error: "), `${label}: the title says there is an error`);
      await axeCheck(page, `${label}: sign in with an error`, javaScript);
      if (javaScript && role === "coordinator") await shoot(page, "sign-in-error");

      await page.fill("#password", password);
      await page.click("button:has-text('Sign in')");
      check(new URL(page.url()).pathname === "/", `${label}: signed in, home`);
      const heading = await page.locator("h1").textContent();
      check(/^Hello, /.test(heading.trim()), `${label}: the home page greets them`);
      const expected = {
        coordinator: "Sessions in the next 4 weeks",
        auditor: "Sessions in the next 4 weeks",
        manager: "Requests waiting for your decision",
        learner: "Your training",
        trainer: "Sessions you train",
      }[role];
      check((await page.locator(`h2:has-text("${expected}")`).count()) === 1, `${label}: home shows "${expected}"`);
      await axeCheck(page, `${label}: home`, javaScript);
      if (javaScript) await shoot(page, `home-${role}`);

      // Those whose account is a person's read their plan.
      if (["manager", "learner", "trainer"].includes(role)) {
        await page.click("a:has-text('My plan')");
        check(new URL(page.url()).pathname === "/plan", `${label}: my plan`);
        check((await page.locator(".govuk-task-list__item").count()) > 0, `${label}: the plan lists modules`);
        await axeCheck(page, `${label}: my plan`, javaScript);
        if (javaScript && role === "learner") await shoot(page, "plan-learner");
      }
      if (role === "learner") await learnerJourney(page, label, javaScript);
      if (role === "manager") await managerJourney(page, label, javaScript);
      if (role === "coordinator" || role === "auditor") {
        await sessionsJourney(page, label, javaScript, role);
        await dashboardJourney(page, label, javaScript, role);
        await rollOutJourney(page, label, javaScript, role);
        await auditJourney(page, label, javaScript);
        await areaJourney(page, label, javaScript);
        if (role === "coordinator") {
          await frameworkJourney(page, label, javaScript);
          await manageJourney(page, label, javaScript);
        }
      }
      if (role === "trainer") await trainerJourney(page, label, javaScript);

      await page.click("button:has-text('Sign out')");
      check(new URL(page.url()).pathname === "/sign-in", `${label}: signed out`);
      await page.goto(`${base}/`);
      check(new URL(page.url()).pathname === "/sign-in", `${label}: signed out stays signed out`);
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.kill("SIGTERM");
  fs.rmSync(work, { recursive: true, force: true });
}

// A listed route with {parameters} is visited by any path it matches.
for (const route of listed) {
  const pattern = new RegExp(`^${route.replace(/\{[^}]+\}/g, "[^/]+")}$`);
  check([...visited].some((p) => pattern.test(p)), `the listed page ${route} was visited and checked`);
}
console.log(`e2e: ${checks} checks, ${visited.size} pages, ${failures.length} failures`);
process.exit(failures.length === 0 ? 0 : 1);
