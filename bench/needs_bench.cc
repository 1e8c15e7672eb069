// How fast the needs index works out everyone's needs, against baselines
// measured in the same run on the same data [MISSION C, issue 3 §7]:
//
//   scan   the floor: one plain pass over every record in memory, keeping the
//          latest counting date per person and module;
//   index  a full recompute: every person's statuses from the records the
//          index holds, then the roll-up by sector (NeedsIndex::Recompute,
//          Summarise); the first load (Put for everyone) is reported beside;
//   sql    the same roll-up as one SQL query on a SQLite database holding the
//          same records, with the applicable modules and validity cut-offs
//          precomputed for it in tables and a covering index, so SQL does
//          strictly less than the index;
//   one    one new record for one person, recomputed (NeedsIndex::AddRecord);
//   memory the peak resident size of a process that holds the records in
//          compact form and builds the index, against the size of the same
//          data as CSV.
//
// The data: a synthetic framework of 60 modules (a quarter without expiry,
// the rest valid one, two or three years), six audiences and seven sectors,
// and N people (default 100,000) with about ten years of records each. The
// roll-ups of the index and of the SQL are compared row for row: a
// benchmark of wrong answers stops.
//
// Usage: needs_bench [--people N] [--keep-db PATH] [--no-sql]; --no-sql
// leaves out the database (vs_sql=0), for profiling the rest. Last line:
//   needs-bench: vs_scan=X vs_sql=Y one_person_us=Z mem_ratio=W
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "domain/calendar.h"
#include "engine/needs.h"
#include "engine/needs_index.h"
#include "machine.h"
#include "store/framework_loader.h"
#include "store/store.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kModules = 60;
constexpr int kAudiences = 6;
constexpr int kSectors = 7;
const trellis::Date kOn{std::chrono::year{2026}, std::chrono::month{11},
                        std::chrono::day{30}};

std::string ModuleRef(int i) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "M%02d", i + 1);
  return buf;
}

// Validity of module i, in years; 0 for none.
int ValidityYears(int i) { return i % 4; }

// The audiences that module i is asked of.
bool AskedOf(int module, int audience) {
  return module % kAudiences == audience ||
         (module + 2) % kAudiences == audience;
}

// The framework, written as a coordinator would write it.
std::string FrameworkYaml() {
  std::ostringstream y;
  y << "framework: {id: bench, title: Needs benchmark, version: \"1\"}\n"
       "audiences:\n";
  for (int a = 0; a < kAudiences; ++a)
    y << "  - {id: a" << a << ", name: Audience " << a << "}\n";
  y << "sectors:\n";
  for (int s = 0; s < kSectors; ++s)
    y << "  - {id: s" << s << ", name: Sector " << s << "}\n";
  y << "processes: [{id: p, name: P}]\nmodules:\n";
  for (int m = 0; m < kModules; ++m) {
    y << "  - {ref: " << ModuleRef(m) << ", name: Module " << m
      << ", process: p, duration: unknown";
    if (ValidityYears(m) > 0)
      y << ", validity: " << ValidityYears(m) << " years";
    y << "}\n";
  }
  y << "requirements:\n";
  for (int m = 0; m < kModules; ++m) {
    y << "  - {id: r" << m << ", who: {audiences: [a" << m % kAudiences << ", a"
      << (m + 2) % kAudiences
      << "]}, level: " << (m % 3 == 0 ? "recommended" : "required")
      << ", take: " << ModuleRef(m) << "}\n";
  }
  return y.str();
}

struct Person {
  std::string id;
  std::string organisation;
  std::string sector;
  std::vector<std::string> audiences;
  std::uint32_t first = 0;  // their records: [first, first + count)
  std::uint32_t count = 0;
};

struct Area {
  std::vector<Person> people;
  std::vector<trellis::CompactRecord> records;  // grouped by person
  std::size_t csv_bytes = 0;                    // people.csv + records.csv
};

std::string IsoOf(std::int32_t day) {
  return trellis::FormatIsoDate(trellis::DateOfCompactDay(day));
}

// About ten years of history: each person starts up to ten years before the
// day, takes most of what is asked of them within a year, renews most of it
// as it falls due, sometimes fails and retakes, and now and then takes
// something nobody asked of them.
// Calls `each` with every person and their records as they are made, so a
// loader's memory can be measured without the whole area held twice.
void Generate(int people, std::uint64_t seed,
              const std::function<void(const Person&,
                                       std::span<const trellis::CompactRecord>,
                                       std::size_t csv_bytes)>& each) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](int lo, int hi) {  // [lo, hi]
    return lo +
           static_cast<int>(rng() % static_cast<std::uint64_t>(hi - lo + 1));
  };
  auto chance = [&](int percent) { return uniform(1, 100) <= percent; };
  const std::int32_t today = trellis::CompactDay(kOn);
  std::vector<trellis::CompactRecord> records;
  // people.csv: person_id,name,email,org_id,role,audiences,...; records.csv:
  // person_id,module,date,outcome,source,evidence.
  constexpr std::size_t kPersonRowBytes = 96;
  for (int i = 0; i < people; ++i) {
    Person p;
    char id[16];
    std::snprintf(id, sizeof id, "P%06d", i + 1);
    p.id = id;
    const int org = uniform(0, 59);
    p.organisation = "O" + std::to_string(org);
    p.sector = "s" + std::to_string(org % kSectors);
    const int a1 = uniform(0, kAudiences - 1);
    p.audiences.push_back("a" + std::to_string(a1));
    if (chance(50)) {
      const int a2 = (a1 + uniform(1, kAudiences - 1)) % kAudiences;
      p.audiences.push_back("a" + std::to_string(a2));
    }
    records.clear();
    std::size_t csv_bytes = kPersonRowBytes;
    const std::int32_t start = today - uniform(30, 3650);
    for (int m = 0; m < kModules; ++m) {
      bool asked = false;
      for (const auto& a : p.audiences) asked = asked || AskedOf(m, a[1] - '0');
      if (!(asked ? chance(85) : chance(3))) continue;
      const int years = ValidityYears(m);
      std::int32_t day = start + uniform(0, 400);
      while (day <= today) {
        const bool counts = chance(93);
        records.push_back({static_cast<std::uint16_t>(m), day, counts});
        csv_bytes += 40;  // "P000001,M01,2019-03-04,completed,session,\n"
        if (!counts) {
          day += uniform(14, 120);  // a retake
          continue;
        }
        if (years == 0 || !chance(85)) break;
        day += years * 365 + uniform(-60, 90);
      }
    }
    each(p, records, csv_bytes);
  }
}

Area Generate(int people, std::uint64_t seed) {
  Area area;
  area.people.reserve(static_cast<std::size_t>(people));
  area.records.reserve(static_cast<std::size_t>(people) * 60);
  Generate(
      people, seed,
      [&](const Person& person, std::span<const trellis::CompactRecord> records,
          std::size_t csv_bytes) {
        Person p = person;
        p.first = static_cast<std::uint32_t>(area.records.size());
        p.count = static_cast<std::uint32_t>(records.size());
        area.records.insert(area.records.end(), records.begin(), records.end());
        area.csv_bytes += csv_bytes;
        area.people.push_back(std::move(p));
      });
  return area;
}

trellis::PersonProfile ProfileOf(const Person& p) {
  trellis::PersonProfile profile;
  profile.id = p.id;
  profile.organisation = p.organisation;
  profile.sector = p.sector;
  profile.audiences = p.audiences;
  return profile;
}

std::span<const trellis::CompactRecord> RecordsOf(const Area& area,
                                                  const Person& p) {
  return {area.records.data() + p.first, p.count};
}

// The floor: read every record once, keeping the latest counting day per
// person and module.
std::int64_t Scan(const Area& area, std::vector<std::int32_t>& latest) {
  std::int64_t checksum = 0;
  std::fill(latest.begin(), latest.end(), 0);
  for (std::size_t p = 0; p < area.people.size(); ++p) {
    std::int32_t* row = latest.data() + p * kModules;
    for (const auto& r : RecordsOf(area, area.people[p])) {
      if (r.counts) row[r.module] = std::max(row[r.module], r.day);
    }
    checksum += row[p % kModules];
  }
  return checksum;
}

// Median wall time of `runs` calls, in seconds.
double Time(int runs, const std::function<void()>& work) {
  std::vector<double> seconds;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = Clock::now();
    work();
    seconds.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
  }
  std::ranges::sort(seconds);
  return seconds[seconds.size() / 2];
}

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::cerr << "needs-bench: " << what << ": " << sqlite3_errmsg(db) << "\n";
    std::exit(1);
  }
}

void Exec(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::cerr << "needs-bench: " << sql.substr(0, 60) << ": " << message
              << "\n";
    std::exit(1);
  }
}

// The last day d with AddPeriod(d, years) <= limit, as the index computes it.
std::int32_t LastDayWithin(int years, std::int32_t limit) {
  const trellis::Period period{years, trellis::PeriodUnit::kYears};
  std::int32_t day = limit - years * 366 - 2;
  while (trellis::CompactDay(trellis::AddPeriod(
             trellis::DateOfCompactDay(day + 1), period)) <= limit) {
    ++day;
  }
  return day;
}

// The area in a Trellis database (schema from the store's migrations), plus
// what SQL needs to answer without the framework: person_modules (who is
// asked which module) and module_cutoffs (the dates at or before which a
// completion is expired or due soon).
void WriteDatabase(const Area& area, const std::string& path) {
  fs::remove(path);
  fs::remove(path + "-wal");
  fs::remove(path + "-shm");
  {
    auto store = trellis::OpenStore(
        trellis::DatabaseUrl{trellis::DatabaseUrl::Kind::kSqlite, path},
        trellis::OpenMode::kCreate);
    if (!store) {
      std::cerr << "needs-bench: " << store.error().message << "\n";
      std::exit(1);
    }
  }
  sqlite3* db = nullptr;
  Check(sqlite3_open(path.c_str(), &db), db, "open");
  Exec(db, "PRAGMA synchronous=OFF");  // a fixture: speed of loading only
  Exec(db,
       "CREATE TABLE person_modules (person_id TEXT NOT NULL, module TEXT NOT "
       "NULL, PRIMARY KEY (person_id, module)) WITHOUT ROWID");
  Exec(
      db,
      "CREATE TABLE module_cutoffs (module TEXT PRIMARY KEY, expired TEXT, due "
      "TEXT)");
  Exec(db, "BEGIN IMMEDIATE");
  sqlite3_stmt* st = nullptr;
  const trellis::Period window{3, trellis::PeriodUnit::kMonths};
  const std::int32_t today = trellis::CompactDay(kOn);
  const std::int32_t due_limit =
      trellis::CompactDay(trellis::AddPeriod(kOn, window));
  Check(sqlite3_prepare_v2(db, "INSERT INTO module_cutoffs VALUES (?, ?, ?)",
                           -1, &st, nullptr),
        db, "prepare");
  for (int m = 0; m < kModules; ++m) {
    const std::string ref = ModuleRef(m);
    sqlite3_bind_text(st, 1, ref.c_str(), -1, SQLITE_TRANSIENT);
    if (ValidityYears(m) == 0) {
      sqlite3_bind_null(st, 2);
      sqlite3_bind_null(st, 3);
    } else {
      const std::string expired = IsoOf(LastDayWithin(ValidityYears(m), today));
      const std::string due = IsoOf(LastDayWithin(ValidityYears(m), due_limit));
      sqlite3_bind_text(st, 2, expired.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 3, due.c_str(), -1, SQLITE_TRANSIENT);
    }
    Check(sqlite3_step(st), db, "module_cutoffs");
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);

  const std::string now = "2026-11-30T00:00:00Z";
  Check(sqlite3_prepare_v2(
            db,
            "INSERT INTO organisations (id, name, sector, type, "
            "case_management_system, locality, isp_signed, changed_at, "
            "changed_by) VALUES (?, ?, ?, '', '', '', NULL, ?, 'bench')",
            -1, &st, nullptr),
        db, "prepare organisations");
  for (int o = 0; o < 60; ++o) {
    const std::string id = "O" + std::to_string(o);
    const std::string sector = "s" + std::to_string(o % kSectors);
    sqlite3_bind_text(st, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, sector.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, now.c_str(), -1, SQLITE_TRANSIENT);
    Check(sqlite3_step(st), db, "organisations");
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);

  sqlite3_stmt* person = nullptr;
  sqlite3_stmt* asked = nullptr;
  sqlite3_stmt* record = nullptr;
  Check(sqlite3_prepare_v2(
            db,
            "INSERT INTO people (id, name, email, organisation_id, role, "
            "manager_id, locality, start_date, changed_at, changed_by) VALUES "
            "(?, ?, '', ?, '', NULL, '', NULL, ?, 'bench')",
            -1, &person, nullptr),
        db, "prepare people");
  Check(sqlite3_prepare_v2(db, "INSERT INTO person_modules VALUES (?, ?)", -1,
                           &asked, nullptr),
        db, "prepare person_modules");
  Check(sqlite3_prepare_v2(
            db,
            "INSERT INTO training_records (id, person_id, module, "
            "module_version, completed_on, outcome, source, evidence, "
            "supersedes, reason, recorded_at, recorded_by) VALUES (?, ?, ?, "
            "'1', ?, ?, 'session', '', NULL, '', ?, 'bench')",
            -1, &record, nullptr),
        db, "prepare training_records");
  std::uint64_t n = 0;
  for (const Person& p : area.people) {
    sqlite3_bind_text(person, 1, p.id.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(person, 2, p.id.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(person, 3, p.organisation.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(person, 4, now.c_str(), -1, SQLITE_STATIC);
    Check(sqlite3_step(person), db, "people");
    sqlite3_reset(person);
    for (int m = 0; m < kModules; ++m) {
      bool is_asked = false;
      for (const auto& a : p.audiences)
        is_asked = is_asked || AskedOf(m, a[1] - '0');
      if (!is_asked) continue;
      const std::string ref = ModuleRef(m);
      sqlite3_bind_text(asked, 1, p.id.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(asked, 2, ref.c_str(), -1, SQLITE_TRANSIENT);
      Check(sqlite3_step(asked), db, "person_modules");
      sqlite3_reset(asked);
    }
    for (const auto& r : RecordsOf(area, p)) {
      const std::string id = "R" + std::to_string(++n);
      const std::string ref = ModuleRef(r.module);
      const std::string date = IsoOf(r.day);
      sqlite3_bind_text(record, 1, id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(record, 2, p.id.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(record, 3, ref.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(record, 4, date.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(record, 5, r.counts ? "completed" : "failed", -1,
                        SQLITE_STATIC);
      sqlite3_bind_text(record, 6, now.c_str(), -1, SQLITE_STATIC);
      Check(sqlite3_step(record), db, "training_records");
      sqlite3_reset(record);
    }
  }
  sqlite3_finalize(person);
  sqlite3_finalize(asked);
  sqlite3_finalize(record);
  Exec(db, "COMMIT");
  // SQL's best chance: a covering index for the latest date per person and
  // module, and fresh statistics.
  Exec(db,
       "CREATE INDEX bench_latest ON training_records (person_id, module, "
       "outcome, completed_on)");
  Exec(db, "ANALYZE");
  sqlite3_close(db);
}

// The roll-up by sector as one query.
constexpr const char* kRollUpSql = R"sql(
WITH latest AS (
  SELECT person_id, module, MAX(completed_on) AS last
  FROM training_records t
  WHERE outcome IN ('completed', 'passed') AND completed_on <= :on
    AND NOT EXISTS (SELECT 1 FROM training_records c WHERE c.supersedes = t.id)
  GROUP BY person_id, module)
SELECT o.sector, pm.module, COUNT(*),
  SUM(l.last IS NOT NULL AND (c.due IS NULL OR l.last > c.due)),
  SUM(l.last IS NOT NULL AND c.due IS NOT NULL AND l.last <= c.due
      AND l.last > c.expired),
  SUM(l.last IS NOT NULL AND c.expired IS NOT NULL AND l.last <= c.expired),
  SUM(l.last IS NULL)
FROM person_modules pm
JOIN people p ON p.id = pm.person_id
JOIN organisations o ON o.id = p.organisation_id
JOIN module_cutoffs c ON c.module = pm.module
LEFT JOIN latest l ON l.person_id = pm.person_id AND l.module = pm.module
GROUP BY o.sector, pm.module
ORDER BY o.sector, pm.module
)sql";

std::vector<trellis::SummaryRow> RollUpInSql(const std::string& path) {
  sqlite3* db = nullptr;
  Check(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), db,
        "open");
  sqlite3_stmt* st = nullptr;
  Check(sqlite3_prepare_v2(db, kRollUpSql, -1, &st, nullptr), db, "prepare");
  const std::string on = trellis::FormatIsoDate(kOn);
  sqlite3_bind_text(st, 1, on.c_str(), -1, SQLITE_TRANSIENT);
  std::vector<trellis::SummaryRow> rows;
  int rc = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    trellis::SummaryRow row;
    row.group = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    row.module = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
    row.people = sqlite3_column_int(st, 2);
    row.done = sqlite3_column_int(st, 3);
    row.due_soon = sqlite3_column_int(st, 4);
    row.expired = sqlite3_column_int(st, 5);
    row.outstanding = sqlite3_column_int(st, 6);
    rows.push_back(std::move(row));
  }
  Check(rc, db, "roll-up");
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rows;
}

std::string Text(std::vector<trellis::SummaryRow> rows) {
  std::ranges::sort(rows, {}, [](const trellis::SummaryRow& r) {
    return std::pair(r.group, r.module);
  });
  std::ostringstream out;
  for (const auto& r : rows) {
    out << r.group << ' ' << r.module << ' ' << r.people << ' ' << r.done << ' '
        << r.due_soon << ' ' << r.expired << ' ' << r.outstanding << '\n';
  }
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  int people = 100'000;
  std::string db_path =
      (fs::temp_directory_path() / "trellis-needs-bench.db").string();
  bool keep_db = false;
  bool with_sql = true;
  bool memory_only = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--people" && i + 1 < argc) {
      people = std::atoi(argv[++i]);
    } else if (arg == "--memory-only" && i + 1 < argc) {
      memory_only = true;
      people = std::atoi(argv[++i]);
    } else if (arg == "--no-sql") {
      with_sql = false;
    } else if (arg == "--keep-db" && i + 1 < argc) {
      db_path = argv[++i];
      keep_db = true;
    } else {
      std::cerr
          << "usage: needs_bench [--people N] [--keep-db PATH] [--no-sql]\n";
      return 2;
    }
  }
  if (people < 1) {
    std::cerr << "needs-bench: --people must be at least 1\n";
    return 2;
  }
  trellis::LoadResult loaded =
      trellis::LoadFrameworkFromText(FrameworkYaml(), "bench.yaml");
  if (loaded.HasErrors() || !loaded.framework) {
    std::cerr << "needs-bench: the synthetic framework does not load\n";
    return 1;
  }
  const trellis::Framework& fw = *loaded.framework;

  if (memory_only) {
    // As a loader does: one person at a time into the index; then the peak
    // resident size in KiB.
    trellis::NeedsOptions options;
    options.on = kOn;
    trellis::NeedsIndex built(fw, options);
    Generate(
        people, 1,
        [&](const Person& p, std::span<const trellis::CompactRecord> records,
            std::size_t) { built.Put(ProfileOf(p), records); });
    const auto rows = built.Summarise(trellis::GroupBy::kSector);
    struct rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    std::cout << usage.ru_maxrss << " " << rows.size() << "\n";
    return 0;
  }
  std::cout << "machine: " << trellis::bench::Machine() << "\n";
  auto t0 = Clock::now();
  const Area area = Generate(people, 1);
  std::cout << "data: " << area.people.size() << " people, "
            << area.records.size() << " records, " << kModules
            << " modules, CSV " << area.csv_bytes / (1 << 20)
            << " MiB (made in "
            << std::chrono::duration<double>(Clock::now() - t0).count()
            << " s)\n";

  std::vector<std::int32_t> latest(area.people.size() * kModules);
  std::int64_t sink = 0;
  const double scan = Time(7, [&] { sink += Scan(area, latest); });
  // Load once: everyone placed in the index with their records.
  trellis::NeedsOptions options;
  options.on = kOn;
  trellis::NeedsIndex live(fw, options);
  const double load = Time(1, [&] {
    for (const Person& p : area.people)
      live.Put(ProfileOf(p), RecordsOf(area, p));
  });
  // The full recompute: everyone's needs again from the records held, and the
  // roll-up.
  std::vector<trellis::SummaryRow> by_index;
  const double index = Time(7, [&] {
    live.Recompute(options);
    by_index = live.Summarise(trellis::GroupBy::kSector);
  });
  std::cout << "scan (floor):   " << scan * 1e3 << " ms\n"
            << "full recompute: " << index * 1e3 << " ms\n"
            << "first load:     " << load * 1e3 << " ms (index "
            << static_cast<double>(live.MemoryBytes()) / (1 << 20) << " MiB)\n";

  // One person gains a record: recomputed in place.
  std::mt19937_64 pick(7);
  constexpr int kUpdates = 20'000;
  auto t0_one = Clock::now();
  for (int i = 0; i < kUpdates; ++i) {
    const Person& p = area.people[pick() % area.people.size()];
    live.AddRecord(p.id, {static_cast<std::uint16_t>(pick() % kModules),
                          trellis::CompactDay(kOn) - 1, true});
  }
  const double one_us =
      std::chrono::duration<double>(Clock::now() - t0_one).count() / kUpdates *
      1e6;
  std::cout << "one person:     " << one_us << " us (mean of " << kUpdates
            << ")\n";

  double sql = 0;
  if (with_sql) {
    t0 = Clock::now();
    WriteDatabase(area, db_path);
    std::cout << "database written in "
              << std::chrono::duration<double>(Clock::now() - t0).count()
              << " s\n";
    std::vector<trellis::SummaryRow> by_sql;
    sql = Time(3, [&] { by_sql = RollUpInSql(db_path); });
    std::cout << "sql roll-up:    " << sql * 1e3 << " ms\n";
    if (!keep_db) {
      fs::remove(db_path);
      fs::remove(db_path + "-wal");
      fs::remove(db_path + "-shm");
    }
    if (Text(by_index) != Text(by_sql)) {
      std::cerr << "needs-bench: the index and the SQL disagree\nindex:\n"
                << Text(by_index).substr(0, 2000) << "sql:\n"
                << Text(by_sql).substr(0, 2000);
      return 1;
    }
    std::cout << "the index and the SQL agree on " << by_index.size()
              << " rows\n";
  }

  // Memory: peak resident size of a fresh process that loads the area one
  // person at a time, as from the database or a file, into the index.
  // A fresh process (this program again), so nothing of this one counts.
  long peak_kib = 0;
  {
    const std::string command = "/proc/" + std::to_string(getpid()) +
                                "/exe --memory-only " + std::to_string(people);
    FILE* child = popen(command.c_str(), "r");
    if (child == nullptr || std::fscanf(child, "%ld", &peak_kib) != 1) {
      std::cerr << "needs-bench: the memory run failed\n";
      return 1;
    }
    pclose(child);
  }
  const double peak = static_cast<double>(peak_kib) * 1024;
  std::cout << "peak memory:    " << peak / (1 << 20) << " MiB against CSV "
            << static_cast<double>(area.csv_bytes) / (1 << 20) << " MiB\n";
  std::cout << "scan checksum:  " << sink << "\n";

  std::cout << "needs-bench: vs_scan=" << index / scan
            << " vs_sql=" << sql / index << " one_person_us=" << one_us
            << " mem_ratio=" << peak / static_cast<double>(area.csv_bytes)
            << "\n";
  return 0;
}
