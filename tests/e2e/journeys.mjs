// The browser journeys of issue 5, in Debian's Chromium driven by
// playwright-core, against a real `trellis serve` on a fresh SQLite demo area:
// every role signs in, sees its home page and signs out, with JavaScript on
// and off; every page visited is checked with axe-core for WCAG 2.2 AA;
// screenshots of the main pages at desktop and tablet sizes are written.
//
//   node tests/e2e/journeys.mjs --trellis build/ci/trellis \
//        [--screenshots build/ci/screenshots] [--chromium /usr/bin/chromium]
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
const screenshots = path.resolve(args.screenshots ?? "build/ci/screenshots");
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
run("demo", "--people", "150");
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

// --- The server ---------------------------------------------------------------
const server = spawn(
  trellis,
  ["--frameworks", path.join(root, "frameworks"), "--db", db, "serve",
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

// People for the learner, manager and trainer accounts, found through the API.
const signIn = await fetch(`${base}/api/v1/sign-in`, {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ email: "coordinator@example.org", password }),
});
const apiCookie = signIn.headers.get("set-cookie").split(";")[0];
const people = await (
  await fetch(`${base}/api/v1/people?limit=1000`, { headers: { Cookie: apiCookie } })
).json();
const learner = people.items.find((p) => p.manager);
const trainer = people.items.find((p) => p.id !== learner.id && p.id !== learner.manager);
addUser("learner@example.org", "learner", ["--person", learner.id]);
addUser("manager@example.org", "manager", ["--person", learner.manager]);
addUser("trainer@example.org", "trainer", ["--person", trainer.id]);
const roles = ["coordinator", "manager", "learner", "trainer", "auditor"];

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

for (const route of listed) {
  check(visited.has(route), `the listed page ${route} was visited and checked`);
}
console.log(`e2e: ${checks} checks, ${visited.size} pages, ${failures.length} failures`);
process.exit(failures.length === 0 ? 0 : 1);
