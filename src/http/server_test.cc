#include "http/server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "http/beast.h"
#include "http/log.h"
#include "http/router.h"

namespace trellis::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;
using boost::system::error_code;
using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

// No client operation waits longer; a test that reaches it has failed.
constexpr std::chrono::seconds kClientTimeout{20};

struct Reply {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case

  std::optional<std::string> Header(std::string_view name) const {
    for (const auto& [key, value] : headers)
      if (key == name) return value;
    return std::nullopt;
  }
};

// A synchronous HTTP/1.1 client over one connection, plain or TLS. Each
// operation runs the client's own io_context until it completes or
// kClientTimeout passes, so a server that never answers fails the test
// rather than hanging it.
class Client {
 public:
  // nullptr, with `error` set, when the connection or handshake fails.
  static std::unique_ptr<Client> Connect(uint16_t port, error_code& error,
                                         ssl::context* tls = nullptr) {
    auto client = std::unique_ptr<Client>(new Client(tls));
    error = client->Run([&](auto done) {
      client->tcp().async_connect(
          tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
          [done](const error_code& ec) { done(ec); });
    });
    if (!error && tls != nullptr) {
      error = client->Run([&](auto done) {
        client->tls_->async_handshake(
            ssl::stream_base::client,
            [done](const error_code& ec) { done(ec); });
      });
    }
    if (error) return nullptr;
    return client;
  }

  static std::unique_ptr<Client> Connect(uint16_t port,
                                         ssl::context* tls = nullptr) {
    error_code ignored;
    return Connect(port, ignored, tls);
  }

  error_code Write(std::string_view raw) {
    return Run([&](auto done) {
      WithStream([&](auto& stream) {
        asio::async_write(stream, asio::buffer(raw.data(), raw.size()),
                          [done](const error_code& ec, size_t) { done(ec); });
      });
    });
  }

  // The next response; `head` when it answers a HEAD (no body follows).
  std::optional<Reply> Read(bool head = false) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(boost::none);
    parser.skip(head);
    const error_code error = Run([&](auto done) {
      WithStream([&](auto& stream) {
        bhttp::async_read(stream, buffer_, parser,
                          [done](const error_code& ec, size_t) { done(ec); });
      });
    });
    if (error) return std::nullopt;
    const auto& message = parser.get();
    Reply reply;
    reply.status = static_cast<int>(message.result_int());
    reply.body = message.body();
    for (const auto& field : message) {
      std::string name(field.name_string().data(), field.name_string().size());
      for (char& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      reply.headers.emplace_back(
          name, std::string(field.value().data(), field.value().size()));
    }
    return reply;
  }

  std::optional<Reply> Send(const std::string& method,
                            const std::string& target,
                            const std::string& extra_headers = "",
                            const std::string& body = "") {
    std::string raw = method + " " + target +
                      " HTTP/1.1\r\nHost: localhost\r\n" + extra_headers;
    if (!body.empty())
      raw += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    raw += "\r\n" + body;
    if (Write(raw)) return std::nullopt;
    return Read(method == "HEAD");
  }

  // Reads until the server closes the connection; true when it did (rather
  // than kClientTimeout passing).
  bool ClosedByServer() {
    std::array<char, 4096> scratch{};
    while (true) {
      const error_code error = Run([&](auto done) {
        WithStream([&](auto& stream) {
          stream.async_read_some(
              asio::buffer(scratch),
              [done](const error_code& ec, size_t) { done(ec); });
        });
      });
      if (error == beast::error::timeout) return false;
      if (error) return true;
    }
  }

 private:
  explicit Client(ssl::context* tls) {
    if (tls != nullptr)
      tls_.emplace(io_, *tls);
    else
      plain_.emplace(io_);
  }

  beast::tcp_stream& tcp() {
    return tls_ ? beast::get_lowest_layer(*tls_) : *plain_;
  }

  template <typename F>
  void WithStream(F f) {
    if (tls_)
      f(*tls_);
    else
      f(*plain_);
  }

  // Starts an operation through `start(done)` and runs it to completion.
  template <typename Start>
  error_code Run(Start start) {
    error_code result = asio::error::would_block;
    tcp().expires_after(kClientTimeout);
    start([&result](const error_code& ec) { result = ec; });
    io_.restart();
    io_.run();
    tcp().expires_never();
    return result;
  }

  asio::io_context io_;
  std::optional<beast::tcp_stream> plain_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls_;
  beast::flat_buffer buffer_;
};

// A self-signed certificate for "localhost" and its key, as PEM, made with
// OpenSSL so that the test needs no files of its own.
struct TestCertificate {
  std::string certificate_pem;
  std::string key_pem;
};

std::string BioText(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);  // NOLINT(google-runtime-int)
  return {data, static_cast<size_t>(size)};
}

TestCertificate MakeCertificate() {
  const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      EVP_EC_gen("P-256"), EVP_PKEY_free);
  const std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  if (!key || !cert) return {};
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(
      name, "CN", MBSTRING_ASC,
      reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) return {};
  const std::unique_ptr<BIO, decltype(&BIO_free)> cert_bio(BIO_new(BIO_s_mem()),
                                                           BIO_free);
  const std::unique_ptr<BIO, decltype(&BIO_free)> key_bio(BIO_new(BIO_s_mem()),
                                                          BIO_free);
  PEM_write_bio_X509(cert_bio.get(), cert.get());
  PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0,
                           nullptr, nullptr);
  return {BioText(cert_bio.get()), BioText(key_bio.get())};
}

// A folder of the test's own, removed with what is in it.
class TempDir {
 public:
  TempDir() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("trellis-http-test-" + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string Write(const std::string& name, const std::string& text) const {
    const auto file = path_ / name;
    std::ofstream(file) << text;
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

// Answers "<method> <path>" and counts the calls.
struct EchoHandler {
  std::shared_ptr<std::atomic<int>> calls =
      std::make_shared<std::atomic<int>>();

  Response operator()(const Request& request) const {
    ++*calls;
    Response response;
    response.content_type = "text/plain";
    response.body = request.method + " " + request.path;
    return response;
  }
};

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Thousands of request lines would drown a failure's output.
    ASSERT_TRUE(InitLogging("json", "off").has_value());
  }
  void TearDown() override {
    ASSERT_TRUE(InitLogging("json", "info").has_value());
  }

  static ServerOptions Options() {
    ServerOptions options;
    options.port = 0;
    return options;
  }

  static std::unique_ptr<Server> StartOrDie(ServerOptions options,
                                            Handler handler) {
    auto server = Server::Start(std::move(options), std::move(handler));
    if (!server) {
      ADD_FAILURE() << server.error().message;
      return nullptr;
    }
    return std::move(*server);
  }
};

TEST_F(HttpServerTest, KeepsAConnectionAliveForASecondRequest) {
  EchoHandler echo;
  auto server = StartOrDie(Options(), echo);
  ASSERT_NE(server, nullptr);
  auto client = Client::Connect(server->Port());
  ASSERT_NE(client, nullptr);

  auto first = client->Send("GET", "/first?name=x");
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->body, "GET /first");
  EXPECT_EQ(first->Header("connection"), std::nullopt);  // 1.1: kept alive
  auto second = client->Send("POST", "/second", "", "payload");
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->body, "POST /second");
  EXPECT_EQ(*echo.calls, 2);
}

TEST_F(HttpServerTest, AddsTheHeadersEveryAnswerCarries) {
  auto server = StartOrDie(Options(), [](const Request&) {
    Response response;
    response.body = "{}";
    response.headers = {{"Set-Cookie", "a=1"}, {"Set-Cookie", "b=2"}};
    return response;
  });
  ASSERT_NE(server, nullptr);
  auto client = Client::Connect(server->Port());
  ASSERT_NE(client, nullptr);
  auto reply = client->Send("GET", "/");
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->Header("content-type"), "application/json");
  EXPECT_EQ(reply->Header("cache-control"), "no-store");
  EXPECT_EQ(reply->Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(reply->Header("server"), "Trellis");
  EXPECT_THAT(reply->Header("date").value_or(""), HasSubstr(" GMT"));
  EXPECT_EQ(reply->Header("x-request-id").value_or("").size(), 16U);
  int cookies = 0;
  for (const auto& [name, value] : reply->headers)
    cookies += name == "set-cookie";
  EXPECT_EQ(cookies, 2);
}

TEST_F(HttpServerTest, KeepsASafeRequestIdAndReplacesAnUnsafeOne) {
  std::vector<std::string> seen;
  std::mutex mutex;
  auto server = StartOrDie(Options(), [&](const Request& request) {
    const std::lock_guard lock(mutex);
    seen.push_back(request.request_id);
    return Response{};
  });
  ASSERT_NE(server, nullptr);
  auto client = Client::Connect(server->Port());
  ASSERT_NE(client, nullptr);
  auto kept = client->Send("GET", "/", "X-Request-Id: trace-42\r\n");
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->Header("x-request-id"), "trace-42");
  auto replaced = client->Send("GET", "/", "X-Request-Id: bad id!\r\n");
  ASSERT_TRUE(replaced.has_value());
  EXPECT_NE(replaced->Header("x-request-id"), "bad id!");
  const std::lock_guard lock(mutex);
  ASSERT_EQ(seen.size(), 2U);
  EXPECT_EQ(seen[0], "trace-42");
  EXPECT_EQ(seen[1], replaced->Header("x-request-id"));
}

TEST_F(HttpServerTest, LetsTheHandlerSetCacheControlButNotFraming) {
  auto server = StartOrDie(Options(), [](const Request&) {
    Response response;
    response.body = "abc";
    response.headers = {{"Cache-Control", "max-age=60"},
                        {"Content-Length", "999"},
                        {"X-Injected", "a\r\nSet-Cookie: stolen=1"}};
    return response;
  });
  ASSERT_NE(server, nullptr);
  auto client = Client::Connect(server->Port());
  ASSERT_NE(client, nullptr);
  auto reply = client->Send("GET", "/");
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->body, "abc");
  EXPECT_EQ(reply->Header("cache-control"), "max-age=60");
  EXPECT_EQ(reply->Header("content-length"), "3");
  EXPECT_EQ(reply->Header("x-injected"), std::nullopt);
  EXPECT_EQ(reply->Header("set-cookie"), std::nullopt);
}

TEST_F(HttpServerTest, ClosesWhenTheClientAsksTo) {
  auto server = StartOrDie(Options(), EchoHandler{});
  ASSERT_NE(server, nullptr);
  auto client = Client::Connect(server->Port());
  ASSERT_NE(client, nullptr);
  auto reply = client->Send("GET", "/bye", "Connection: close\r\n");
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->Header("connection"), "close");
  EXPECT_TRUE(client->ClosedByServer());
}

TEST_F(HttpServerTest, FollowsHttp10KeepAliveRules) {
  auto server = StartOrDie(Options(), EchoHandler{});
  ASSERT_NE(server, nullptr);
  auto kept = Client::Connect(server->Port());
  ASSERT_NE(kept, nullptr);
  ASSERT_FALSE(
      kept->Write("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  auto first = kept->Read();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->Header("connection"), "keep-alive");
  ASSERT_FALSE(kept->Write("GET /b HTTP/1.0\r\n\r\n"));
  auto second = kept->Read();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->body, "GET /b");
  EXPECT_TRUE(kept->ClosedByServer());  // 1.0 without keep-alive: closed
}

TEST_F(HttpServerTest, AnswersPipelinedRequestsInOrder) {
  auto server = StartOrDie(Options(), EchoHandler{});
  ASSERT_NE(server, nullptr);
  auto client = Client::Connect(server->Port());
  ASSERT_NE(client, nullptr);
  ASSERT_FALSE(client->Write(
      "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n"));
  auto first = client->Read();
  auto second = client->Read();
  ASSERT_TRUE(first.has_value() && second.has_value());
  EXPECT_EQ(first->body, "GET /1");
  EXPECT_EQ(second->body, "GET /2");
}

TEST_F(HttpServerTest, RefusesTooLargeABodyWith413WithoutCallingTheHandler) {
  EchoHandler echo;
  auto server = StartOrDie(Options(), echo);
  ASSERT_NE(server, nullptr);
  auto client = Client::Connect(server->Port());
  ASSERT_NE(client, nullptr);
  const std::string body(size_t{2} * 1024 * 1024, 'x');
  // The server may answer before the body is all sent; what matters is the
  // answer, so a failed write is not a failure here.
  (void)client->Write("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: " +
                      std::to_string(body.size()) + "\r\n\r\n");
  (void)client->Write(body);
  auto reply = client->Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 413);
  EXPECT_THAT(reply->body, HasSubstr(R"("code":"payload_too_large")"));
  EXPECT_EQ(reply->Header("connection"), "close");
  EXPECT_FALSE(reply->Header("x-request-id").value_or("").empty());
  EXPECT_TRUE(client->ClosedByServer());
  EXPECT_EQ(*echo.calls, 0);
}

TEST_F(HttpServerTest, RefusesOversizedHeadersWith431) {
  EchoHandler echo;
  auto server = StartOrDie(Options(), echo);
  ASSERT_NE(server, nullptr);
  auto client = Client::Connect(server->Port());
  ASSERT_NE(client, nullptr);
  auto reply = client->Send(
      "GET", "/", "X-Big: " + std::string(size_t{32} * 1024, 'a') + "\r\n");
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 431);
  EXPECT_THAT(reply->body, HasSubstr(R"("code":"headers_too_large")"));
  EXPECT_TRUE(client->ClosedByServer());
  EXPECT_EQ(*echo.calls, 0);
}

TEST_F(HttpServerTest, RefusesAMalformedRequestLineWith400) {
  EchoHandler echo;
  auto server = StartOrDie(Options(), echo);
  ASSERT_NE(server, nullptr);
  for (const char* raw : {"GARBAGE\r\n\r\n", "GET /a b c\r\nHost: h\r\n\r\n",
                          "GET / HTTP/2.0\r\nHost: h\r\n\r\n"}) {
    auto client = Client::Connect(server->Port());
    ASSERT_NE(client, nullptr);
    ASSERT_FALSE(client->Write(raw));
    auto reply = client->Read();
    ASSERT_TRUE(reply.has_value()) << raw;
    EXPECT_EQ(reply->status, 400) << raw;
    EXPECT_EQ(reply->Header("content-type"), "application/json");
    EXPECT_THAT(reply->body, HasSubstr(R"("code":"bad_request")"));
    EXPECT_TRUE(client->ClosedByServer());
  }
  EXPECT_EQ(*echo.calls, 0);
}

TEST_F(HttpServerTest, RefusesBadEscapesInTheTargetWith400) {
  EchoHandler echo;
  auto server = StartOrDie(Options(), echo);
  ASSERT_NE(server, nullptr);
  for (const char* target : {"/a%zz", "/a?q=%2", "/a?q=%00", "/%C3%28"}) {
    auto client = Client::Connect(server->Port());
    ASSERT_NE(client, nullptr);
    auto reply = client->Send("GET", target);
    ASSERT_TRUE(reply.has_value()) << target;
    EXPECT_EQ(reply->status, 400) << target;
  }
  EXPECT_EQ(*echo.calls, 0);
}

TEST_F(HttpServerTest, SendsInterimContinueWhenAsked) {
  auto server = StartOrDie(Options(), [](const Request& request) {
    Response response;
    response.body = request.body;
    return response;
  });
  ASSERT_NE(server, nullptr);
  auto client = Client::Connect(server->Port());
  ASSERT_NE(client, nullptr);
  ASSERT_FALSE(
      client->Write("PUT /a HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n"
                    "Expect: 100-continue\r\n\r\n"));
  auto interim = client->Read();
  ASSERT_TRUE(interim.has_value());
  EXPECT_EQ(interim->status, 100);
  ASSERT_FALSE(client->Write("hello"));
  auto reply = client->Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "hello");
}

TEST_F(HttpServerTest, ClosesASlowRequestAfterTheReadTimeoutWith408) {
  EchoHandler echo;
  ServerOptions options = Options();
  options.read_timeout = std::chrono::seconds(1);
  auto server = StartOrDie(options, echo);
  ASSERT_NE(server, nullptr);
  auto client = Client::Connect(server->Port());
  ASSERT_NE(client, nullptr);
  const auto start = Clock::now();
  ASSERT_FALSE(client->Write("GET / HTTP/1.1\r\nHost: h\r\n"));  // and silence
  auto reply = client->Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 408);
  EXPECT_THAT(reply->body, HasSubstr(R"("code":"request_timeout")"));
  EXPECT_TRUE(client->ClosedByServer());
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(*echo.calls, 0);
}

TEST_F(HttpServerTest, ClosesASilentConnectionWithoutAnAnswer) {
  ServerOptions options = Options();
  options.read_timeout = std::chrono::seconds(1);
  auto server = StartOrDie(options, EchoHandler{});
  ASSERT_NE(server, nullptr);
  auto client = Client::Connect(server->Port());
  ASSERT_NE(client, nullptr);
  const auto start = Clock::now();
  EXPECT_TRUE(client->ClosedByServer());
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(10));
}

TEST_F(HttpServerTest, ClosesAnIdleKeptAliveConnectionAfterTheIdleTimeout) {
  ServerOptions options = Options();
  options.idle_timeout = std::chrono::seconds(1);
  auto server = StartOrDie(options, EchoHandler{});
  ASSERT_NE(server, nullptr);
  auto client = Client::Connect(server->Port());
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->Send("GET", "/").has_value());
  const auto start = Clock::now();
  EXPECT_TRUE(client->ClosedByServer());
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(10));
}

TEST_F(HttpServerTest, TurnsAHandlerExceptionInto500AndKeepsServing) {
  auto server = StartOrDie(Options(), [](const Request& request) -> Response {
    if (request.path == "/boom") throw std::runtime_error("broken invariant");
    return Response{};
  });
  ASSERT_NE(server, nullptr);
  auto client = Client::Connect(server->Port());
  ASSERT_NE(client, nullptr);
  auto reply = client->Send("GET", "/boom", "X-Request-Id: report-me\r\n");
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 500);
  EXPECT_THAT(reply->body, HasSubstr(R"("code":"internal")"));
  EXPECT_THAT(reply->body, HasSubstr("report-me"));
  EXPECT_EQ(reply->Header("x-request-id"), "report-me");
  auto after = client->Send("GET", "/fine");
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->status, 200);
}

TEST_F(HttpServerTest, ServesARouter) {
  Router router;
  router.Add("GET", "/api/v1/sessions/{id}/bookings",
             [](const Request& request, const Params& params) {
               Response response;
               response.content_type = "text/plain";
               response.body = std::string(params.Get("id")) + "|" +
                               std::string(request.Query("q").value_or("-"));
               return response;
             });
  auto server = StartOrDie(Options(), [&router](const Request& request) {
    return router.Dispatch(request);
  });
  ASSERT_NE(server, nullptr);
  auto client = Client::Connect(server->Port());
  ASSERT_NE(client, nullptr);

  auto found =
      client->Send("GET", "/api/v1/sessions/S%2042/bookings?q=a+b%26c");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->status, 200);
  EXPECT_EQ(found->body, "S 42|a b&c");

  auto head = client->Send("HEAD", "/api/v1/sessions/S%2042/bookings");
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->body, "");
  EXPECT_EQ(head->Header("content-length"), "6");  // as GET's "S 42|-"

  auto missing = client->Send("GET", "/api/v1/sessions/S1/bookings/");
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->status, 404);
  EXPECT_THAT(missing->body, HasSubstr(R"("code":"not_found")"));

  auto wrong = client->Send("POST", "/api/v1/sessions/S1/bookings", "", "{}");
  ASSERT_TRUE(wrong.has_value());
  EXPECT_EQ(wrong->status, 405);
  EXPECT_EQ(wrong->Header("allow"), "GET, HEAD");
}

TEST_F(HttpServerTest, AnswersManyConcurrentConnections) {
  EchoHandler echo;
  auto server = StartOrDie(Options(), echo);
  ASSERT_NE(server, nullptr);
  constexpr int kClients = 64;
  constexpr int kRequests = 20;
  std::atomic<int> answered = 0;
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      auto client = Client::Connect(server->Port());
      if (client == nullptr) return;
      for (int r = 0; r < kRequests; ++r) {
        const std::string path =
            "/client/" + std::to_string(c) + "/" + std::to_string(r);
        auto reply = client->Send("GET", path);
        if (!reply || reply->status != 200 || reply->body != "GET " + path)
          return;
        ++answered;
      }
    });
  }
  for (std::thread& thread : clients) thread.join();
  EXPECT_EQ(answered, kClients * kRequests);
  EXPECT_EQ(*echo.calls, kClients * kRequests);
}

TEST_F(HttpServerTest, StopAnswersRequestsInFlightThenRefusesConnections) {
  std::promise<void> entered;
  auto server = StartOrDie(Options(), [&](const Request& request) {
    if (request.path == "/slow") {
      entered.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    Response response;
    response.body = "done";
    return response;
  });
  ASSERT_NE(server, nullptr);
  const uint16_t port = server->Port();

  // A kept-alive connection with nothing in flight: Stop closes it.
  auto idle = Client::Connect(port);
  ASSERT_NE(idle, nullptr);
  ASSERT_TRUE(idle->Send("GET", "/quick").has_value());

  std::optional<Reply> slow_reply;
  std::thread slow([&] {
    auto client = Client::Connect(port);
    if (client != nullptr) slow_reply = client->Send("GET", "/slow");
  });
  entered.get_future().wait();
  server->Stop();
  slow.join();

  ASSERT_TRUE(slow_reply.has_value());
  EXPECT_EQ(slow_reply->status, 200);
  EXPECT_EQ(slow_reply->body, "done");
  EXPECT_EQ(slow_reply->Header("connection"), "close");
  EXPECT_EQ(server->DrainedRequests(), 1U);
  EXPECT_TRUE(idle->ClosedByServer());
  error_code error;
  EXPECT_EQ(Client::Connect(port, error), nullptr);
  EXPECT_EQ(error, asio::error::connection_refused);
  server->Wait();  // returns at once: Stop has returned
  server->Stop();  // and a second Stop is harmless
}

TEST_F(HttpServerTest, RunUntilSignalledStopsOnSigterm) {
  auto server = StartOrDie(Options(), EchoHandler{});
  ASSERT_NE(server, nullptr);
  // Asio's handler, installed by this set for as long as it lives, catches
  // the signals below whether or not RunUntilSignalled is listening yet, so
  // none can reach the default action and end the test binary.
  asio::io_context io;
  asio::signal_set guard(io, SIGTERM);
  std::atomic<bool> returned = false;
  std::thread runner([&] {
    RunUntilSignalled(*server);
    returned = true;
  });
  const auto deadline = Clock::now() + kClientTimeout;
  while (!returned && Clock::now() < deadline) {
    std::raise(SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(returned);
  runner.join();
  EXPECT_EQ(Client::Connect(server->Port()), nullptr);
}

TEST_F(HttpServerTest, ServesOverTls) {
  const TestCertificate certificate = MakeCertificate();
  ASSERT_FALSE(certificate.certificate_pem.empty());
  const TempDir dir;
  ServerOptions options = Options();
  options.tls_certificate_file =
      dir.Write("cert.pem", certificate.certificate_pem);
  options.tls_private_key_file = dir.Write("key.pem", certificate.key_pem);
  std::atomic<bool> saw_tls = false;
  auto server = StartOrDie(options, [&](const Request& request) {
    saw_tls = request.tls;
    Response response;
    response.body = "secret";
    return response;
  });
  ASSERT_NE(server, nullptr);

  ssl::context tls(ssl::context::tls_client);
  tls.add_certificate_authority(asio::buffer(certificate.certificate_pem));
  tls.set_verify_mode(ssl::verify_peer);
  error_code error;
  auto client = Client::Connect(server->Port(), error, &tls);
  ASSERT_NE(client, nullptr) << error.message();
  auto reply = client->Send("GET", "/");
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "secret");
  auto again = client->Send("GET", "/again");  // kept alive over TLS too
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(saw_tls);

  // A plain-HTTP client gets nothing it can read as HTTP.
  auto plain = Client::Connect(server->Port());
  ASSERT_NE(plain, nullptr);
  EXPECT_FALSE(plain->Send("GET", "/").has_value());
}

TEST_F(HttpServerTest, StartNamesTheAddressItCannotListenOn) {
  auto first = StartOrDie(Options(), EchoHandler{});
  ASSERT_NE(first, nullptr);
  ServerOptions options = Options();
  options.port = first->Port();
  auto second = Server::Start(options, EchoHandler{});
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(second.error().message,
              HasSubstr("127.0.0.1:" + std::to_string(first->Port())));
}

TEST_F(HttpServerTest, StartRefusesOptionsThatCannotWork) {
  ServerOptions half_tls = Options();
  half_tls.tls_certificate_file = "/nonexistent/cert.pem";
  auto started = Server::Start(half_tls, EchoHandler{});
  ASSERT_FALSE(started.has_value());
  EXPECT_EQ(started.error().code, ErrorCode::kInvalidArgument);

  ServerOptions missing_files = Options();
  missing_files.tls_certificate_file = "/nonexistent/cert.pem";
  missing_files.tls_private_key_file = "/nonexistent/key.pem";
  started = Server::Start(missing_files, EchoHandler{});
  ASSERT_FALSE(started.has_value());
  EXPECT_THAT(started.error().message, HasSubstr("/nonexistent/cert.pem"));

  ServerOptions no_workers = Options();
  no_workers.worker_threads = 0;
  EXPECT_FALSE(Server::Start(no_workers, EchoHandler{}).has_value());

  ServerOptions bad_host = Options();
  bad_host.host = "not a host";
  started = Server::Start(bad_host, EchoHandler{});
  ASSERT_FALSE(started.has_value());
  EXPECT_THAT(started.error().message, HasSubstr("not a host:0"));
}

}  // namespace
}  // namespace trellis::http
