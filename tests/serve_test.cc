// Functional tests of `trellis serve` as people run it: two server processes
// on one PostgreSQL database take 200 booking requests at once for a 14-seat
// session, and between them never book more than the seats [MISSION D2].
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
// GCC 12 at -O1 and above warns of a variable inside <regex> that may be
// used uninitialised; the warning is in the library, not in this test.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <regex>
#pragma GCC diagnostic pop
#include <string>
#include <thread>
#include <vector>

#include "cli_runner.h"

namespace {

using trellis::testing::Outcome;
using trellis::testing::Quote;
using trellis::testing::Trellis;

struct Reply {
  int status = 0;  // 0: no answer
  std::string body;
};

// One HTTP/1.1 exchange on a connection of its own, closed after: enough
// for a test, and independent of the server's own code.
Reply Send(int port, const std::string& method, const std::string& target,
           const std::string& token, const std::string& body = "") {
  Reply reply;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return reply;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) !=
      0) {
    ::close(fd);
    return reply;
  }
  std::string request = method + " " + target +
                        " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                        "Authorization: Bearer " +
                        token + "\r\nContent-Type: application/json\r\n" +
                        "Content-Length: " + std::to_string(body.size()) +
                        "\r\n\r\n" + body;
  for (size_t sent = 0; sent < request.size();) {
    const auto n = ::send(fd, request.data() + sent, request.size() - sent, 0);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string raw;
  char buffer[4096];
  for (;;) {
    const auto n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    raw.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  if (raw.size() > 12 && raw.starts_with("HTTP/1.1 ")) {
    reply.status = std::atoi(raw.substr(9, 3).c_str());
    const auto end = raw.find("\r\n\r\n");
    if (end != std::string::npos) reply.body = raw.substr(end + 4);
  }
  return reply;
}

// A `trellis serve` process on a free port, stopped with SIGTERM.
class Server {
 public:
  explicit Server(const std::string& db) {
    int out[2];
    if (::pipe(out) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      // The server goes with the test, even when CTest kills the test.
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      ::dup2(out[1], STDOUT_FILENO);
      ::close(out[0]);
      ::close(out[1]);
      if (::chdir(TRELLIS_SOURCE_DIR) != 0) ::_exit(127);
      ::execl(TRELLIS_BINARY, TRELLIS_BINARY, "--db", db.c_str(), "serve",
              "--listen", "127.0.0.1:0", "--log-level", "warn", "--workers",
              "8", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    // "Trellis is serving FRAMEWORK at http://127.0.0.1:PORT (database ...)"
    std::string line;
    char c = 0;
    while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(out[0]);
    std::smatch m;
    if (std::regex_search(line, m,
                          std::regex(R"(http://127\.0\.0\.1:(\d+))"))) {
      port_ = std::stoi(m[1]);
    }
    first_line_ = line;
  }
  ~Server() { Stop(); }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const { return port_; }
  const std::string& first_line() const { return first_line_; }

  // SIGTERM, then the exit status (0: stopped cleanly).
  int Stop() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    int raw = 0;
    ::waitpid(pid_, &raw, 0);
    pid_ = -1;
    return WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string first_line_;
};

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto at = text.find(what); at != std::string::npos;
       at = text.find(what, at + what.size())) {
    ++n;
  }
  return n;
}

TEST(ServeTest, TwoServersOnOnePostgresqlNeverOverbook) {
  const char* admin = std::getenv("TRELLIS_TEST_POSTGRESQL");
  if (admin == nullptr || *admin == '\0') {
    GTEST_SKIP() << "TRELLIS_TEST_POSTGRESQL is not set (./test sets it)";
  }
  // A database of this test's own on the test server.
  const std::string name = "trellis_two_servers_" + std::to_string(::getpid());
  ASSERT_EQ(std::system(("psql -q " + Quote(admin) + " -c " +
                         Quote("CREATE DATABASE " + name) + " >/dev/null")
                            .c_str()),
            0);
  // The same server, this database: the URL's path is the database's name.
  std::string db = admin;
  const auto query = db.find('?');
  const auto path = db.rfind('/', query);
  ASSERT_NE(path, std::string::npos) << db;
  db.replace(path + 1,
             (query == std::string::npos ? db.size() : query) - path - 1, name);

  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db});
    Outcome o = Trellis(args, {"TRELLIS_ACTOR=cli:tester"});
    EXPECT_EQ(o.status, 0) << o.err;
    return o;
  };
  run({"db", "init", "--framework", "newcastle-2009"});
  run({"demo", "--people", "300"});
  run({"user", "add", "--email", "coordinator@example.org", "--role",
       "coordinator", "--no-password"});
  const Outcome token_out = run({"token", "create", "--user",
                                 "coordinator@example.org", "--name", "test"});
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(token_out.out, m, std::regex(R"(trellis_T[0-9a-f_]+)")))
      << token_out.out;
  const std::string token = m[0];

  Server one(db);
  Server two(db);
  ASSERT_GT(one.port(), 0) << one.first_line();
  ASSERT_GT(two.port(), 0) << two.first_line();

  ASSERT_EQ(Send(one.port(), "POST", "/api/v1/venues", token,
                 R"({"id":"civic","name":"Civic Centre"})")
                .status,
            201);
  ASSERT_EQ(Send(two.port(), "POST", "/api/v1/venues/civic/rooms", token,
                 R"({"id":"it1","name":"IT suite","seats":14,"it_suite":true})")
                .status,
            201);
  const Reply session = Send(
      one.port(), "POST", "/api/v1/sessions", token,
      R"({"course":"ii-stage-1","status":"open","room":"it1","seats":14,)"
      R"("parts":[{"starts":"2031-01-13T09:00","ends":"2031-01-13T12:00"}]})");
  ASSERT_EQ(session.status, 201) << session.body;
  ASSERT_TRUE(std::regex_search(session.body, m,
                                std::regex(R"re("id":"(S[0-9]+)")re")));
  const std::string id = m[1];

  const Reply people =
      Send(two.port(), "GET", "/api/v1/people?limit=250", token);
  ASSERT_EQ(people.status, 200);
  std::vector<std::string> ids;
  const std::regex person_id(R"re("id":"(P[0-9]+)")re");
  for (auto it = std::sregex_iterator(people.body.begin(), people.body.end(),
                                      person_id);
       it != std::sregex_iterator() && ids.size() < 200; ++it) {
    ids.push_back((*it)[1]);
  }
  ASSERT_EQ(ids.size(), 200U);

  // 200 at once, alternating between the two processes.
  std::map<int, int> statuses;
  std::mutex mutex;
  std::vector<std::thread> threads;
  for (size_t i = 0; i < ids.size(); ++i) {
    threads.emplace_back([&, i] {
      const Reply r = Send(i % 2 == 0 ? one.port() : two.port(), "POST",
                           "/api/v1/sessions/" + id + "/bookings", token,
                           R"({"person":")" + ids[i] + R"("})");
      std::lock_guard lock(mutex);
      ++statuses[r.status];
    });
  }
  for (auto& t : threads) t.join();
  // 201 for a place or the waiting list; 409 only for someone not eligible.
  for (const auto& [status, n] : statuses) {
    EXPECT_TRUE(status == 201 || status == 409) << n << " answered " << status;
  }
  ASSERT_GT(statuses[201], 14);

  const Reply bookings =
      Send(one.port(), "GET", "/api/v1/sessions/" + id + "/bookings", token);
  ASSERT_EQ(bookings.status, 200);
  EXPECT_EQ(Count(bookings.body, R"("status":"booked")"), 14);
  EXPECT_EQ(Count(bookings.body, R"("status":"waiting")"), statuses[201] - 14);

  EXPECT_EQ(one.Stop(), 0);
  EXPECT_EQ(two.Stop(), 0);
  EXPECT_EQ(std::system(("psql -q " + Quote(admin) + " -c " +
                         Quote("DROP DATABASE " + name) + " >/dev/null")
                            .c_str()),
            0);
}

}  // namespace
