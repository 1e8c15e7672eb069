#include "cli/serve_command.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <ostream>

#include "api/api.h"
#include "api/store_pool.h"
#include "cli/framework_set.h"
#include "http/log.h"
#include "http/server.h"
#include "service/area_service.h"
#include "web/site.h"

namespace trellis::cli {
namespace {

std::expected<int, Error> IntSetting(
    const std::map<std::string, std::string>& settings, const std::string& key,
    int min, int max) {
  const std::string& text = settings.at(key);
  int value = 0;
  auto [ptr, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < min ||
      value > max) {
    return std::unexpected(Error{
        ErrorCode::kInvalidArgument,
        "setting " + key + " = '" + text + "': expected a whole number from " +
            std::to_string(min) + " to " + std::to_string(max),
        {{key, "out of range"}}});
  }
  return value;
}

std::expected<bool, Error> BoolSetting(
    const std::map<std::string, std::string>& settings,
    const std::string& key) {
  const std::string& text = settings.at(key);
  if (text == "true" || text == "yes" || text == "1") return true;
  if (text == "false" || text == "no" || text == "0") return false;
  return std::unexpected(
      Error{ErrorCode::kInvalidArgument,
            "setting " + key + " = '" + text + "': expected true or false",
            {{key, "not true or false"}}});
}

// "HOST:PORT", "[::1]:PORT" or ":PORT".
std::expected<std::pair<std::string, uint16_t>, Error> ParseListen(
    const std::string& text) {
  const auto colon = text.rfind(':');
  auto bad = [&] {
    return std::unexpected(
        Error{ErrorCode::kInvalidArgument,
              "listen '" + text + "': expected HOST:PORT, e.g. 127.0.0.1:8080",
              {{"listen", "not HOST:PORT"}}});
  };
  if (colon == std::string::npos) return bad();
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) host = "0.0.0.0";
  int port = 0;
  const char* begin = text.data() + colon + 1;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, port);
  if (ec != std::errc() || ptr != end || port < 0 || port > 65535) {
    return bad();
  }
  return std::make_pair(host, static_cast<uint16_t>(port));
}

// The assets folder: as set, else web/assets beside the running program.
std::filesystem::path AssetsFolder(const std::string& setting) {
  if (!setting.empty()) return setting;
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "web/assets";
  return self.parent_path() / "web" / "assets";
}

int Serve(const GlobalOptions& global,
          const std::map<std::string, std::string>& flags,
          const std::string& config, std::ostream& out, std::ostream& err) {
  auto settings = ResolveServeSettings(flags, config);
  if (!settings) return ReportError(err, settings.error(), kUsage);
  auto& s = *settings;
  if (auto logging = http::InitLogging(s["log_format"], s["log_level"]);
      !logging) {
    return ReportError(err, logging.error(), kUsage);
  }
  auto listen = ParseListen(s["listen"]);
  if (!listen) return ReportError(err, listen.error(), kUsage);
  auto io_threads = IntSetting(s, "io_threads", 1, 64);
  auto workers = IntSetting(s, "workers", 1, 256);
  auto late = IntSetting(s, "late_cancel_hours", 0, 24 * 60);
  auto sign_in = IntSetting(s, "sign_in_hours", 1, 24 * 30);
  auto body_kib = IntSetting(s, "max_body_kib", 1, 1024 * 1024);
  auto secure = BoolSetting(s, "secure_cookies");
  for (const auto* bad : {&io_threads, &workers, &late, &sign_in, &body_kib}) {
    if (!*bad) return ReportError(err, bad->error(), kUsage);
  }
  if (!secure) return ReportError(err, secure.error(), kUsage);

  GlobalOptions area = global;
  area.db = s["db"];
  auto url = ParseDatabaseUrl(area.db);
  if (!url) return ReportError(err, url.error(), kUsage);
  auto store = OpenStore(*url, OpenMode::kExisting);
  if (!store)
    return ReportError(err, store.error(), StoreStatus(store.error()));
  auto setting = (*store)->Setting("framework");
  if (!setting) return ReportError(err, setting.error(), kRefused);
  const std::string framework_id = setting->value_or(DefaultFramework());
  auto loaded = LoadSelected(FrameworksRoot(s["frameworks"]), framework_id);
  if (!loaded) return ReportError(err, loaded.error(), kUsage);
  auto framework =
      std::make_shared<const Framework>(std::move(*loaded->framework));
  store->reset();

  service::ServiceOptions service_options;
  service_options.late_cancel_hours = *late;
  service_options.sign_in_lifetime = std::chrono::hours(*sign_in);
  auto service =
      std::make_shared<service::AreaService>(framework, service_options);
  auto pool = std::make_shared<api::StorePool>(*url);
  api::ApiOptions api_options;
  api_options.secure_cookies = *secure;
  api_options.plans = s["plans"];
  auto api = std::make_shared<api::Api>(service, pool, api_options);
  web::SiteOptions site_options;
  site_options.assets = AssetsFolder(s["assets"]);
  site_options.secure_cookies = *secure;
  site_options.plans = s["plans"];
  auto made = web::Site::Make(service, pool, site_options);
  if (!made) return ReportError(err, made.error(), kUsage);
  std::shared_ptr<const web::Site> site = std::move(*made);

  http::ServerOptions server_options;
  server_options.host = listen->first;
  server_options.port = listen->second;
  server_options.io_threads = *io_threads;
  server_options.worker_threads = *workers;
  server_options.limits.max_body_bytes = static_cast<size_t>(*body_kib) * 1024;
  server_options.tls_certificate_file = s["tls_certificate"];
  server_options.tls_private_key_file = s["tls_private_key"];
  // The JSON API and the health checks; everything else is a page.
  auto server =
      http::Server::Start(server_options, [api, site](const http::Request& r) {
        const bool to_api = r.path.starts_with("/api/") ||
                            r.path == "/healthz" || r.path == "/readyz";
        return to_api ? api->Handle(r) : site->Handle(r);
      });
  if (!server) return ReportError(err, server.error(), kRefused);
  const bool tls = !server_options.tls_certificate_file.empty();
  const std::string address = std::string(tls ? "https" : "http") + "://" +
                              listen->first + ":" +
                              std::to_string((*server)->Port());
  http::LogEvent(spdlog::level::info, "listening",
                 {{"address", address},
                  {"db", RedactedUrl(area.db)},
                  {"framework", framework_id},
                  {"workers", *workers}});
  out << "Trellis is serving " << framework_id << " at " << address
      << " (database " << RedactedUrl(area.db) << ")" << std::endl;
  http::RunUntilSignalled(**server);
  return 0;
}

}  // namespace

const std::vector<ServeSetting>& ServeSettings() {
  static const std::vector<ServeSetting> settings = {
      {"listen", "TRELLIS_LISTEN", "127.0.0.1:8080",
       "Address and port to listen on, HOST:PORT"},
      {"db", "TRELLIS_DB", "sqlite:trellis.db",
       "The database: sqlite:PATH or postgresql://..."},
      {"frameworks", "TRELLIS_FRAMEWORKS", "",
       "Folder of framework folders (default ./frameworks)"},
      {"plans", "TRELLIS_PLANS", "plans",
       "Folder of the area's roll-out plan files (docs/plan-format.md)"},
      {"assets", "TRELLIS_ASSETS", "",
       "Folder of the pages' built assets (default web/assets beside the "
       "trellis program)"},
      {"workers", "TRELLIS_WORKERS", "8",
       "Threads that answer requests (each holds a database connection)"},
      {"io_threads", "TRELLIS_IO_THREADS", "2",
       "Threads that read and write connections"},
      {"tls_certificate", "TRELLIS_TLS_CERTIFICATE", "",
       "PEM certificate chain: serve HTTPS"},
      {"tls_private_key", "TRELLIS_TLS_PRIVATE_KEY", "",
       "PEM private key of the certificate"},
      {"secure_cookies", "TRELLIS_SECURE_COOKIES", "false",
       "Mark the sign-in cookie Secure (behind a TLS proxy)"},
      {"late_cancel_hours", "TRELLIS_LATE_CANCEL_HOURS", "48",
       "A place given up later than this before the start is a late "
       "cancellation"},
      {"sign_in_hours", "TRELLIS_SIGN_IN_HOURS", "12",
       "How long a browser stays signed in"},
      {"max_body_kib", "TRELLIS_MAX_BODY_KIB", "1024",
       "Largest request body, in KiB"},
      {"log_format", "TRELLIS_LOG_FORMAT", "json", "json or text"},
      {"log_level", "TRELLIS_LOG_LEVEL", "info",
       "trace, debug, info, warn, error, critical or off"},
  };
  return settings;
}

std::expected<std::map<std::string, std::string>, Error> ResolveServeSettings(
    const std::map<std::string, std::string>& flags,
    const std::string& config_file) {
  std::map<std::string, std::string> file;
  if (!config_file.empty()) {
    try {
      const YAML::Node root = YAML::LoadFile(config_file);
      if (root && !root.IsNull() && !root.IsMap()) {
        return std::unexpected(
            Error{ErrorCode::kInvalidArgument,
                  config_file + ": expected 'key: value' lines",
                  {}});
      }
      for (const auto& item : root) {
        const auto key = item.first.as<std::string>();
        const bool known = std::ranges::any_of(
            ServeSettings(), [&](const auto& s) { return key == s.key; });
        if (!known) {
          return std::unexpected(
              Error{ErrorCode::kInvalidArgument,
                    config_file + ":" +
                        std::to_string(item.first.Mark().line + 1) + ": '" +
                        key + "' is not a setting (see docs/configuration.md)",
                    {{key, "not a setting"}}});
        }
        if (!item.second.IsScalar()) {
          return std::unexpected(Error{
              ErrorCode::kInvalidArgument,
              config_file + ":" + std::to_string(item.second.Mark().line + 1) +
                  ": '" + key + "' takes one value",
              {{key, "not a single value"}}});
        }
        file[key] = item.second.as<std::string>();
      }
    } catch (const YAML::Exception& e) {
      return std::unexpected(Error{
          ErrorCode::kInvalidArgument, config_file + ": " + e.what(), {}});
    }
  }
  std::map<std::string, std::string> resolved;
  for (const auto& setting : ServeSettings()) {
    if (auto flag = flags.find(setting.key); flag != flags.end()) {
      resolved[setting.key] = flag->second;
    } else if (const char* env = std::getenv(setting.env);
               env != nullptr && *env != '\0') {
      resolved[setting.key] = env;
    } else if (auto it = file.find(setting.key); it != file.end()) {
      resolved[setting.key] = it->second;
    } else {
      resolved[setting.key] = setting.fallback;
    }
  }
  return resolved;
}

void AddServeCommand(CLI::App& app, const GlobalOptions& global,
                     std::ostream& out, std::ostream& err, int* status) {
  CLI::App* serve = app.add_subcommand(
      "serve", "Serve the pages and the JSON API until SIGTERM or SIGINT");
  auto values = std::make_shared<std::map<std::string, std::string>>();
  auto config = std::make_shared<std::string>();
  serve->add_option("--config", *config, "YAML file of settings")
      ->envname("TRELLIS_CONFIG");
  for (const auto& setting : ServeSettings()) {
    const std::string key = setting.key;
    if (key == "db" || key == "frameworks") continue;  // global options
    std::string flag = "--" + key;
    std::ranges::replace(flag, '_', '-');
    serve->add_option_function<std::string>(
        flag, [values, key](const std::string& v) { (*values)[key] = v; },
        std::string(setting.help) + " [$" + setting.env + "]");
  }
  serve->callback([&global, values, config, &out, &err, status] {
    auto flags = *values;
    // --db and --frameworks are global options, which read their
    // environment variables themselves: pass them on only when given.
    if (global.db != GlobalOptions{}.db) flags["db"] = global.db;
    if (!global.frameworks_root.empty()) {
      flags["frameworks"] = global.frameworks_root;
    }
    *status = Serve(global, flags, *config, out, err);
  });
}

}  // namespace trellis::cli
