// What the repository tests share: a temporary folder per test, and the
// backends to run each test against (SQLite always; PostgreSQL when ./test has
// started a server and named it in TRELLIS_TEST_POSTGRESQL).
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <expected>
#include <filesystem>
#include <functional>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "domain/calendar.h"
#include "domain/error.h"
#include "store/store.h"

namespace trellis {
namespace testing_support {

// A folder of the test's own under the system's temporary folder, removed with
// everything in it when the test ends.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter = 0;
    std::random_device random;
    const auto base = std::filesystem::temp_directory_path();
    for (;;) {
      path_ = base / ("trellis-store-test-" + std::to_string(random()) + "-" +
                      std::to_string(counter++));
      if (std::filesystem::create_directory(path_)) break;
    }
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// How to reach a database of one backend.
struct Backend {
  std::string name;  // the test name's suffix: "SQLite"
  // A database that does not exist yet. `dir` is the test's own folder.
  std::function<DatabaseUrl(const std::filesystem::path& dir)> fresh;
};

inline void PrintTo(const Backend& backend, std::ostream* os) {
  *os << backend.name;
}

inline Backend Sqlite() {
  return Backend{"SQLite", [](const std::filesystem::path& dir) {
                   return DatabaseUrl{DatabaseUrl::Kind::kSqlite,
                                      (dir / "trellis.db").string()};
                 }};
}

// A fresh database on the PostgreSQL server that ./test starts
// ($TRELLIS_TEST_POSTGRESQL, a URL to its `postgres` database), made for the
// test and named after it.
inline Backend Postgresql(const std::string& admin_url) {
  return Backend{
      "PostgreSQL", [admin_url](const std::filesystem::path&) {
        static int counter = 0;
        const std::string name = "trellis_test_" + std::to_string(::getpid()) +
                                 "_" + std::to_string(counter++);
        PGconn* admin = PQconnectdb(admin_url.c_str());
        if (PQstatus(admin) != CONNECTION_OK) {
          ADD_FAILURE() << "PostgreSQL at " << admin_url << ": "
                        << PQerrorMessage(admin);
        } else {
          PGresult* r = PQexec(admin, ("CREATE DATABASE " + name).c_str());
          if (PQresultStatus(r) != PGRES_COMMAND_OK)
            ADD_FAILURE() << PQerrorMessage(admin);
          PQclear(r);
        }
        PQfinish(admin);
        std::string url = admin_url;
        const auto at = url.find("/postgres");
        url.replace(at, 9, "/" + name);
        return DatabaseUrl{DatabaseUrl::Kind::kPostgresql, url};
      }};
}

// SQLite always; PostgreSQL when a server was started for the tests.
inline std::vector<Backend> Backends() {
  std::vector<Backend> all = {Sqlite()};
  if (const char* url = std::getenv("TRELLIS_TEST_POSTGRESQL");
      url != nullptr && *url != '\0') {
    all.push_back(Postgresql(url));
  }
  return all;
}

// What went wrong, for a failure message; empty when nothing did.
template <typename T>
std::string Describe(const std::expected<T, Error>& result) {
  if (result.has_value()) return "";
  return std::string(ErrorCodeName(result.error().code)) + ": " +
         result.error().message;
}

inline Date Day(int year, unsigned month, unsigned day) {
  return Date{std::chrono::year{year}, std::chrono::month{month},
              std::chrono::day{day}};
}

}  // namespace testing_support
}  // namespace trellis
