// Trellis's enhancements. The pages work without them; with them, GOV.UK
// Frontend's components (error summary focus, details, character counts...)
// start up.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
initAll();

// Filters apply as soon as they change: the form is sent as its button
// would send it, so the page and its address are the same either way.
for (const form of document.querySelectorAll('form[data-module="app-auto-filter"]')) {
  form.addEventListener("change", () => form.requestSubmit());
  const button = form.querySelector('button[type="submit"]');
  if (button) button.classList.add("govuk-visually-hidden");
}

// Charts drawn from the table under them (Chart.js, loaded on pages that
// have charts): the first column gives the labels, each header with a
// data-series colour a series. The table stays: it is the chart's text.
const Chart = window.Chart;
if (Chart) {
  for (const figure of document.querySelectorAll(".app-chart[data-table]")) {
    const table = document.getElementById(figure.dataset.table);
    if (!table) continue;
    const headers = [...table.tHead.rows[0].cells];
    const rows = [...table.tBodies[0].rows];
    const labels = rows.map((row) => row.cells[0].textContent.trim());
    const datasets = headers
      .map((th, column) => ({ th, column }))
      .filter(({ th }) => th.dataset.series)
      .map(({ th, column }) => ({
        label: th.textContent.trim(),
        backgroundColor: th.dataset.series,
        data: rows.map((row) => Number(row.cells[column].textContent.replace(/[^0-9.-]/g, ""))),
      }));
    figure.hidden = false;
    // "line": a series over the rows in order (a forecast against targets).
    if (figure.dataset.chart === "line") {
      figure.style.height = "320px";
      new Chart(figure.querySelector("canvas"), {
        type: "line",
        data: {
          labels,
          datasets: datasets.map((d) => ({ ...d, borderColor: d.backgroundColor, fill: false, tension: 0 })),
        },
        options: {
          maintainAspectRatio: false,
          animation: false,
          scales: { y: { beginAtZero: true } },
          plugins: { legend: { display: true, position: "bottom" } },
        },
      });
      continue;
    }
    const stacked = figure.dataset.chart === "stacked";
    figure.style.height = `${Math.max(160, rows.length * (stacked ? 26 : 22 * datasets.length) + 90)}px`;
    new Chart(figure.querySelector("canvas"), {
      type: "bar",
      data: { labels, datasets },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked, beginAtZero: true, ...(figure.dataset.chart === "bar" ? { max: 100 } : {}) },
          y: { stacked, ticks: { autoSkip: false } },
        },
        plugins: { legend: { display: datasets.length > 1, position: "bottom" } },
      },
    });
  }
}
