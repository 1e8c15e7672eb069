// A small blocking HTTP/1.1 client for tests: one connection, kept alive, to
// 127.0.0.1:PORT. Header-only Beast; used by the API tests and the serve
// functional tests. Not for production code.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "http/beast.h"

namespace trellis::testing_support {

struct ClientResponse {
  int status = 0;  // 0: no answer (the connection failed)
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string error;
};

class TestClient {
 public:
  explicit TestClient(uint16_t port) : port_(port), socket_(io_) {}

  ClientResponse Send(
      const std::string& method, const std::string& target,
      const std::string& body = "",
      const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    namespace http = boost::beast::http;
    ClientResponse out;
    for (int attempt = 0; attempt < 2; ++attempt) {
      boost::system::error_code ec;
      if (!socket_.is_open()) {
        socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port_},
                        ec);
        if (ec) {
          out.error = ec.message();
          socket_.close();
          return out;
        }
      }
      http::request<http::string_body> request{http::string_to_verb(method),
                                               target, 11};
      request.set(http::field::host, "127.0.0.1");
      for (const auto& [name, value] : headers) request.set(name, value);
      if (!body.empty() || method == "POST" || method == "PUT") {
        if (request[http::field::content_type].empty()) {
          request.set(http::field::content_type, "application/json");
        }
        request.body() = body;
        request.prepare_payload();
      }
      http::write(socket_, request, ec);
      if (!ec) {
        boost::beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        http::read(socket_, buffer, parser, ec);
        if (!ec) {
          auto& response = parser.get();
          out.status = static_cast<int>(response.result_int());
          out.body = response.body();
          for (const auto& field : response) {
            std::string name(field.name_string());
            for (auto& c : name) c = static_cast<char>(std::tolower(c));
            out.headers[name] = std::string(field.value());
          }
          if (!response.keep_alive()) socket_.close();
          return out;
        }
      }
      // The server closed a kept-alive connection: try once on a new one.
      out.error = ec.message();
      socket_.close();
    }
    return out;
  }

 private:
  uint16_t port_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
};

}  // namespace trellis::testing_support
