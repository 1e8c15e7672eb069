// The baseline of the server's booking-write benchmark (bench/server/run.sh):
// raw single-row INSERT transactions per second into a SQLite file in WAL mode
// with synchronous=FULL, from N threads each holding its own connection, as the
// server's workers do. Each transaction is BEGIN IMMEDIATE; INSERT; COMMIT, the
// shape of the store's writes without any of their reads.
//
//   sqlite_insert_baseline --db PATH [--threads N] [--seconds S]
//
// Prints the machine, then one line `sqlite-insert: tps=X threads=N
// seconds=S failed=F busy_timeouts=B` that the driver script reads; a
// BEGIN IMMEDIATE that times out is retried and counted, not failed.
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "machine.h"

namespace {

bool Exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::cerr << "sqlite_insert_baseline: " << sql << ": "
              << (message != nullptr ? message : "?") << "\n";
    sqlite3_free(message);
    return false;
  }
  return true;
}

sqlite3* Open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    std::cerr << "sqlite_insert_baseline: cannot open " << path << "\n";
    std::exit(1);
  }
  sqlite3_busy_timeout(db, 10'000);
  // The store's settings (README: WAL, synchronous=FULL).
  if (!Exec(db, "PRAGMA journal_mode=WAL") ||
      !Exec(db, "PRAGMA synchronous=FULL")) {
    std::exit(1);
  }
  return db;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  int threads = 8;
  double seconds = 10;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--db") {
      path = argv[i + 1];
    } else if (flag == "--threads") {
      threads = std::atoi(argv[i + 1]);
    } else if (flag == "--seconds") {
      seconds = std::atof(argv[i + 1]);
    }
  }
  if (path.empty() || threads < 1 || seconds <= 0) {
    std::cerr << "usage: sqlite_insert_baseline --db PATH [--threads N] "
                 "[--seconds S]\n";
    return 2;
  }

  sqlite3* setup = Open(path);
  if (!Exec(setup,
            "CREATE TABLE IF NOT EXISTS booking_baseline ("
            " id TEXT PRIMARY KEY, session TEXT NOT NULL,"
            " person TEXT NOT NULL, status TEXT NOT NULL,"
            " requested_at TEXT NOT NULL)")) {
    return 1;
  }
  sqlite3_close(setup);

  std::atomic<bool> stop{false};
  std::atomic<long long> done{0};
  std::atomic<long long> failed{0};
  std::atomic<long long> busy{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      sqlite3* db = Open(path);
      sqlite3_stmt* insert = nullptr;
      sqlite3_prepare_v2(db,
                         "INSERT INTO booking_baseline"
                         " (id, session, person, status, requested_at)"
                         " VALUES (?, ?, ?, 'booked', '2026-01-01T00:00:00Z')",
                         -1, &insert, nullptr);
      for (long long n = 0; !stop.load(std::memory_order_relaxed); ++n) {
        const std::string id =
            "B" + std::to_string(t) + "-" + std::to_string(n);
        const std::string session = "S" + std::to_string(n % 64);
        const std::string person = "P" + std::to_string(n);
        // A writer that times out waiting for its turn tries again, as a
        // client of the server would: only committed transactions count.
        if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) !=
            SQLITE_OK) {
          ++busy;
          continue;
        }
        sqlite3_bind_text(insert, 1, id.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 2, session.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 3, person.c_str(), -1, SQLITE_TRANSIENT);
        const bool ok = sqlite3_step(insert) == SQLITE_DONE;
        sqlite3_reset(insert);
        if (ok && Exec(db, "COMMIT")) {
          ++done;
        } else {
          Exec(db, "ROLLBACK");
          ++failed;
        }
      }
      sqlite3_finalize(insert);
      sqlite3_close(db);
    });
  }
  const auto start = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& w : workers) w.join();
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();

  std::cout << "machine: " << trellis::bench::Machine() << "\n";
  std::cout << "sqlite-insert: tps=" << static_cast<double>(done) / elapsed
            << " threads=" << threads << " seconds=" << elapsed
            << " failed=" << failed << " busy_timeouts=" << busy << "\n";
  return failed > 0 ? 1 : 0;
}
