// The server against docs/openapi.yaml, the description integrators build on:
// every route is described and nothing else is; real answers, on every
// backend, have a status the description lists and a body that fits its
// schema. The schemas are checked by a small validator of the JSON Schema
// keywords the description uses, which refuses keywords it does not know so
// that nothing in the description goes unchecked.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <climits>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
// GCC 12 at -O1 and above warns of a variable inside <regex> that may be
// used uninitialised; the warning is in the library, not in this test.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <regex>
#pragma GCC diagnostic pop
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "api/api.h"
#include "api/test_client.h"
#include "engine/test_frameworks.h"
#include "http/server.h"
#include "service/credentials.h"
#include "store/store_test_support.h"

namespace trellis {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using json = nlohmann::json;
using Headers = std::vector<std::pair<std::string, std::string>>;
using namespace testing_support;  // NOLINT(google-build-using-namespace)

const Actor kSetup{"test-setup"};
const char* const kErrorRef = "#/components/schemas/Error";

// --- The description, read from YAML into JSON -----------------------------

json FromYaml(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json object = json::object();
      for (const auto& entry : node) {
        const auto key = entry.first.as<std::string>();
        // yaml-cpp keeps the last of two equal keys without a word; in a
        // description that is a mistake worth stopping for.
        if (object.contains(key)) {
          throw std::runtime_error("key '" + key + "' appears twice (line " +
                                   std::to_string(entry.first.Mark().line + 1) +
                                   ")");
        }
        object[key] = FromYaml(entry.second);
      }
      return object;
    }
    case YAML::NodeType::Sequence: {
      json array = json::array();
      for (const auto& item : node) array.push_back(FromYaml(item));
      return array;
    }
    case YAML::NodeType::Scalar: {
      const std::string& text = node.Scalar();
      // A quoted scalar is text whatever it looks like ("3.1.0", "200").
      if (node.Tag() == "!") return text;
      if (text == "true") return true;
      if (text == "false") return false;
      long long whole = 0;
      auto [end, ec] =
          std::from_chars(text.data(), text.data() + text.size(), whole);
      if (ec == std::errc() && end == text.data() + text.size()) return whole;
      double number = 0;
      auto [fend, fec] =
          std::from_chars(text.data(), text.data() + text.size(), number);
      if (fec == std::errc() && fend == text.data() + text.size()) {
        return number;
      }
      return text;
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
  }
  return nullptr;
}

// docs/openapi.yaml as JSON, read once; null (and a failure) when it cannot
// be read.
const json& Description() {
  static const json description = []() -> json {
    const std::string path =
        std::string(TRELLIS_SOURCE_DIR) + "/docs/openapi.yaml";
    try {
      return FromYaml(YAML::LoadFile(path));
    } catch (const std::exception& e) {
      ADD_FAILURE() << path << ": " << e.what();
      return nullptr;
    }
  }();
  return description;
}

// The object a local reference ("#/components/schemas/Booking") points at,
// or null when it points at nothing.
const json* Resolve(const json& document, const std::string& ref) {
  if (!ref.starts_with("#/")) return nullptr;
  const json::json_pointer pointer(ref.substr(1));
  if (!document.contains(pointer)) return nullptr;
  return &document.at(pointer);
}

// `object` itself, or what its $ref points at (components/responses,
// parameters, headers are used by reference).
const json& Deref(const json& document, const json& object) {
  if (object.is_object() && object.contains("$ref")) {
    if (const json* target = Resolve(document, object["$ref"])) return *target;
  }
  return object;
}

std::vector<std::string> Split(std::string_view text, char separator) {
  std::vector<std::string> pieces;
  size_t start = 0;
  for (;;) {
    const size_t end = text.find(separator, start);
    pieces.emplace_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return pieces;
    start = end + 1;
  }
}

bool IsParameter(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

std::string Lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(c));
  return text;
}

const std::set<std::string> kMethods = {"get",   "put",  "post",    "delete",
                                        "patch", "head", "options", "trace"};

// Every operation of the description as "METHOD /pattern".
std::set<std::string> DescribedOperations(const json& description) {
  std::set<std::string> operations;
  for (const auto& [pattern, item] : description.at("paths").items()) {
    for (const auto& [method, operation] : item.items()) {
      if (!kMethods.contains(method)) continue;
      std::string upper = method;
      for (auto& c : upper) c = static_cast<char>(std::toupper(c));
      operations.insert(upper + " " + pattern);
    }
  }
  return operations;
}

// --- A validator for the subset of JSON Schema the description uses --------

// Checks a JSON value against a schema of the description. Each problem names
// where in the body it is ("items[3].status: 'x' not in enum [...]").
//
// Beyond JSON Schema, it reports a field the server sends that the schema
// does not describe, even where the schema leaves the object open: the
// description keeps answers open so that clients tolerate fields added later,
// but the server must not send what the description does not say.
class SchemaValidator {
 public:
  explicit SchemaValidator(const json& document) : document_(document) {}

  std::vector<std::string> Check(const json& value, const json& schema) const {
    std::vector<std::string> problems;
    Check(value, schema, "", /*exact=*/true, 0, problems);
    return problems;
  }

 private:
  static std::string Where(const std::string& path) {
    return path.empty() ? "(body)" : path;
  }
  static std::string Child(const std::string& path, const std::string& name) {
    return path.empty() ? name : path + "." + name;
  }
  static std::string Short(const json& value) {
    std::string text =
        value.is_string() ? "'" + value.get<std::string>() + "'" : value.dump();
    if (text.size() > 60) text = text.substr(0, 57) + "...";
    return text;
  }
  static std::string TypeOf(const json& value) {
    if (value.is_null()) return "null";
    if (value.is_boolean()) return "a boolean";
    if (value.is_number_integer()) return "an integer";
    if (value.is_number()) return "a number";
    if (value.is_string()) return "a string";
    if (value.is_array()) return "an array";
    return "an object";
  }
  static bool HasType(const json& value, const std::string& type) {
    if (type == "null") return value.is_null();
    if (type == "boolean") return value.is_boolean();
    if (type == "integer") return value.is_number_integer();
    if (type == "number") return value.is_number();
    if (type == "string") return value.is_string();
    if (type == "array") return value.is_array();
    if (type == "object") return value.is_object();
    return false;
  }
  static size_t CodePoints(const std::string& text) {
    return static_cast<size_t>(std::ranges::count_if(text, [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
  }

  // The property names a schema describes, through $ref and allOf; nullopt
  // when it says itself what else may come (additionalProperties), or
  // describes no object.
  std::optional<std::set<std::string>> Described(const json& schema,
                                                 int depth) const {
    if (!schema.is_object() || depth > 32) return std::nullopt;
    if (schema.contains("additionalProperties")) return std::nullopt;
    std::set<std::string> names;
    bool shape = false;
    if (schema.contains("properties")) {
      shape = true;
      for (const auto& [name, unused] : schema["properties"].items()) {
        names.insert(name);
      }
    }
    std::vector<const json*> parts;
    if (schema.contains("$ref")) {
      if (const json* target = Resolve(document_, schema["$ref"])) {
        parts.push_back(target);
      }
    }
    if (schema.contains("allOf")) {
      for (const auto& branch : schema["allOf"]) parts.push_back(&branch);
    }
    for (const json* part : parts) {
      if (part->contains("additionalProperties")) return std::nullopt;
      if (auto more = Described(*part, depth + 1)) {
        shape = true;
        names.insert(more->begin(), more->end());
      }
    }
    if (!shape) return std::nullopt;
    return names;
  }

  // `exact`: report fields the schema does not describe. Off inside $ref and
  // allOf, whose container has already looked at the whole of the object.
  void Check(const json& value, const json& schema, const std::string& path,
             bool exact, int depth, std::vector<std::string>& problems) const {
    const std::string where = Where(path);
    if (depth > 64) {
      problems.push_back(where + ": the schema refers to itself too deeply");
      return;
    }
    if (schema.is_boolean()) {
      if (!schema.get<bool>()) problems.push_back(where + ": nothing allowed");
      return;
    }
    if (!schema.is_object()) {
      problems.push_back(where + ": the schema is not an object");
      return;
    }
    static const std::set<std::string> kUnderstood = {
        "$ref",       "allOf",
        "type",       "enum",
        "properties", "required",
        "items",      "minItems",
        "minLength",  "maxLength",
        "pattern",    "minimum",
        "maximum",    "additionalProperties"};
    // Words for people and tools that constrain nothing.
    static const std::set<std::string> kAnnotations = {
        "description", "title",    "format",    "default",   "example",
        "examples",    "readOnly", "writeOnly", "deprecated"};
    for (const auto& [keyword, unused] : schema.items()) {
      if (!kUnderstood.contains(keyword) && !kAnnotations.contains(keyword)) {
        problems.push_back(where + ": this validator does not check '" +
                           keyword + "'; teach it or leave it out");
      }
    }

    if (exact && value.is_object()) {
      if (auto names = Described(schema, 0)) {
        for (const auto& [name, unused] : value.items()) {
          if (!names->contains(name)) {
            problems.push_back(Child(path, name) + ": sent but not described");
          }
        }
      }
    }
    if (schema.contains("$ref")) {
      const std::string ref = schema["$ref"];
      const json* target = Resolve(document_, ref);
      if (target == nullptr) {
        problems.push_back(where + ": $ref '" + ref + "' points at nothing");
      } else {
        Check(value, *target, path, false, depth + 1, problems);
      }
    }
    if (schema.contains("allOf")) {
      for (const auto& branch : schema["allOf"]) {
        Check(value, branch, path, false, depth + 1, problems);
      }
    }
    if (schema.contains("type")) {
      const json& type = schema["type"];
      std::vector<std::string> types;
      if (type.is_array()) {
        for (const auto& t : type) types.push_back(t.get<std::string>());
      } else {
        types.push_back(type.get<std::string>());
      }
      if (std::ranges::none_of(
              types, [&](const auto& t) { return HasType(value, t); })) {
        std::string wanted;
        for (const auto& t : types)
          wanted += (wanted.empty() ? "" : " or ") + t;
        problems.push_back(where + ": " + Short(value) + " is " +
                           TypeOf(value) + ", not " + wanted);
        return;  // the other keywords would only repeat it
      }
    }
    if (schema.contains("enum")) {
      const json& allowed = schema["enum"];
      if (std::ranges::find(allowed, value) == allowed.end()) {
        std::string list;
        for (const auto& a : allowed) {
          list += (list.empty() ? "" : ", ") +
                  (a.is_string() ? a.get<std::string>() : a.dump());
        }
        problems.push_back(where + ": " + Short(value) + " not in enum [" +
                           list + "]");
      }
    }
    if (value.is_object()) CheckObject(value, schema, path, depth, problems);
    if (value.is_array()) {
      if (schema.contains("minItems") &&
          value.size() < schema["minItems"].get<size_t>()) {
        problems.push_back(where + ": fewer than " + schema["minItems"].dump() +
                           " items");
      }
      if (schema.contains("items")) {
        for (size_t i = 0; i < value.size(); ++i) {
          Check(value[i], schema["items"], path + "[" + std::to_string(i) + "]",
                true, depth + 1, problems);
        }
      }
    }
    if (value.is_string()) {
      const std::string text = value;
      if (schema.contains("minLength") &&
          CodePoints(text) < schema["minLength"].get<size_t>()) {
        problems.push_back(where + ": " + Short(value) + " shorter than " +
                           schema["minLength"].dump());
      }
      if (schema.contains("maxLength") &&
          CodePoints(text) > schema["maxLength"].get<size_t>()) {
        problems.push_back(where + ": longer than " +
                           schema["maxLength"].dump());
      }
      if (schema.contains("pattern") &&
          !std::regex_search(
              text, std::regex(schema["pattern"].get<std::string>()))) {
        problems.push_back(where + ": " + Short(value) + " does not match " +
                           schema["pattern"].get<std::string>());
      }
    }
    if (value.is_number()) {
      if (schema.contains("minimum") && value < schema["minimum"]) {
        problems.push_back(where + ": " + value.dump() + " below minimum " +
                           schema["minimum"].dump());
      }
      if (schema.contains("maximum") && value > schema["maximum"]) {
        problems.push_back(where + ": " + value.dump() + " above maximum " +
                           schema["maximum"].dump());
      }
    }
  }

  void CheckObject(const json& value, const json& schema,
                   const std::string& path, int depth,
                   std::vector<std::string>& problems) const {
    if (schema.contains("required")) {
      for (const auto& name : schema["required"]) {
        if (!value.contains(name.get<std::string>())) {
          problems.push_back(Child(path, name) + ": required but missing");
        }
      }
    }
    const json empty = json::object();
    const json& properties =
        schema.contains("properties") ? schema["properties"] : empty;
    for (const auto& [name, field] : value.items()) {
      if (properties.contains(name)) {
        Check(field, properties[name], Child(path, name), true, depth + 1,
              problems);
      } else if (schema.contains("additionalProperties")) {
        const json& more = schema["additionalProperties"];
        if (more.is_boolean() && !more.get<bool>()) {
          problems.push_back(Child(path, name) +
                             ": not a field of this shape "
                             "(additionalProperties is false)");
        } else {
          Check(field, more, Child(path, name), true, depth + 1, problems);
        }
      }
    }
  }

  const json& document_;
};

// --- The area and the server -----------------------------------------------

// A course anyone in practitioners may book with no pre-requisite, found
// from the framework rather than assumed.
std::string OpenCourse() {
  const Framework& fw = testing::Shipped("dcsf-2006");
  for (const auto& course : fw.courses) {
    bool ok = !course.modules.empty();
    for (const auto& ref : course.modules) {
      const Module* m = fw.FindModule(ref.id);
      if (m == nullptr || m->prerequisites || m->sequencing ||
          m->system_specific) {
        ok = false;
      }
    }
    bool practitioners = course.audiences.empty();
    for (const auto& a : course.audiences) {
      if (a.id == "practitioners") practitioners = true;
    }
    if (ok && practitioners) return course.id;
  }
  return "";
}

// Ann (PA) reports to Mo (PM) at the council, Bea (PB) works for the trust,
// Tom (PT) trains. Ann has a record and a check, the council a readiness
// checklist, so that no list the answers carry is empty.
Workforce SmallArea() {
  Workforce area;
  Organisation council;
  council.id = "NCC";
  council.name = "Newcastle City Council";
  council.sector = "social-family-community-support";
  council.type = "Local authority";
  council.case_management_system = "Care First";
  council.locality = "City";
  council.readiness = {{"contactpoint-accreditation",
                        {{1, "Local ContactPoint team in place", true,
                          "team list", Day(2030, 5, 1)},
                         {2, "", false, "", std::nullopt}}}};
  Organisation trust = council;
  trust.id = "NHS";
  trust.name = "Newcastle Hospitals";
  trust.sector = "health";
  trust.readiness.clear();
  area.organisations = {council, trust};
  auto person = [](std::string id, std::string name, std::string org,
                   std::string manager) {
    Person p;
    p.id = std::move(id);
    p.name = std::move(name);
    p.email = p.id + "@example.org";
    p.organisation = std::move(org);
    p.audiences = {"practitioners"};
    p.manager = std::move(manager);
    p.locality = "City";
    return p;
  };
  area.people.push_back(person("PM", "Mo", "NCC", ""));
  area.people.push_back(person("PA", "Ann", "NCC", "PM"));
  area.people.back().start_date = Day(2029, 9, 1);
  area.people.back().checks = {{"identity", Day(2030, 1, 6), "passport"}};
  area.people.push_back(person("PB", "Bea", "NHS", ""));
  area.people.push_back(person("PT", "Tom", "NCC", ""));
  const Framework& fw = testing::Shipped("dcsf-2006");
  if (!fw.modules.empty()) {
    TrainingRecord record;
    record.id = "R1";
    record.person = "PA";
    record.module = fw.modules.front().ref;
    record.module_version = fw.modules.front().version;
    record.date = Day(2030, 3, 2);
    record.source = RecordSource::kExternal;
    record.evidence = "certificate";
    record.recorded_by = "hr-import";
    area.records.push_back(record);
  }
  return area;
}

class OpenApiTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Description().is_object());
    url_ = GetParam().fresh(dir_.path());
    auto opened = OpenStore(url_, OpenMode::kCreate);
    ASSERT_TRUE(opened.has_value()) << Describe(opened);
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->Fill(SmallArea(), kSetup));
    const std::vector<std::tuple<std::string, UserRole, std::string>> accounts =
        {{"coordinator", UserRole::kCoordinator, ""},
         {"learner", UserRole::kLearner, "PA"},
         {"other-learner", UserRole::kLearner, "PB"},
         {"trainer", UserRole::kTrainer, "PT"}};
    for (const auto& [name, role, person] : accounts) {
      auto user = store_->AddUser(
          User{"", name + "@example.org", name, role, person, "", false}, "",
          kSetup);
      ASSERT_TRUE(user.has_value()) << Describe(user);
      const auto parts = service::NewApiToken();
      ASSERT_TRUE(
          store_->AddApiToken(ApiToken{parts.id, user->id, "test", "", ""},
                              service::SecretHash(parts.secret), kSetup));
      tokens_[name] = service::FormatApiToken(parts);
    }
    ASSERT_TRUE(store_->SetPassword(
        store_->FindUserByEmail("coordinator@example.org")->value().first.id,
        service::HashPassword("correct horse battery").value(), kSetup));

    auto framework =
        std::make_shared<const Framework>(testing::Shipped("dcsf-2006"));
    service::ServiceOptions service_options;
    // Few enough that the test reaches 429 quickly.
    service_options.sign_in_failures = 3;
    service_ =
        std::make_shared<service::AreaService>(framework, service_options);
    // A roll-out plan on the area's framework.
    std::filesystem::create_directory(dir_.path() / "plans");
    std::ofstream(dir_.path() / "plans" / "trial.yaml")
        << "plan: trial\nworkforce: 100\ndelivery:\n  days: [monday]\n"
           "  sessions_per_day: 2\n  people_per_session: 12\nphases:\n"
           "  - {name: One, from: 2027-03-01, to: 2027-12-31, target: 50}\n"
           "courses:\n  - module: IW01\nvenues:\n"
           "  - {name: Suite, seats: 12}\n";
    // One that can be committed: the framework course to run and the room.
    std::ofstream(dir_.path() / "plans" / "commit.yaml")
        << "plan: commit\nworkforce: 100\ndelivery:\n  days: [monday]\n"
           "  sessions_per_day: 2\n  people_per_session: 12\nphases:\n"
           "  - {name: One, from: 2029-03-05, to: 2029-06-29, target: 5}\n"
           "courses:\n  - {module: IW01, course: iw-practitioners}\n"
           "venues:\n  - {name: Suite, seats: 12, room: it1}\n";
    api::ApiOptions api_options;
    api_options.plans = (dir_.path() / "plans").string();
    api_ = std::make_shared<api::Api>(
        service_, std::make_shared<api::StorePool>(url_), api_options);
    http::ServerOptions server_options;
    server_options.port = 0;
    server_options.worker_threads = 2;
    auto server = http::Server::Start(
        server_options,
        [api = api_](const http::Request& r) { return api->Handle(r); });
    ASSERT_TRUE(server.has_value()) << Describe(server);
    server_ = std::move(*server);
  }

  void TearDown() override {
    if (server_) server_->Stop();
  }

  // The description's pattern that `path` is an instance of; a literal
  // segment wins over a parameter, as in the router. Empty when none is.
  static std::string PatternOf(const std::string& path) {
    const auto segments = Split(path, '/');
    std::string best;
    int best_parameters = INT_MAX;
    for (const auto& [pattern, unused] : Description().at("paths").items()) {
      const auto pieces = Split(pattern, '/');
      if (pieces.size() != segments.size()) continue;
      int parameters = 0;
      bool matches = true;
      for (size_t i = 0; i < pieces.size() && matches; ++i) {
        if (IsParameter(pieces[i])) {
          ++parameters;
          matches = !segments[i].empty();
        } else {
          matches = pieces[i] == segments[i];
        }
      }
      if (matches && parameters < best_parameters) {
        best = pattern;
        best_parameters = parameters;
      }
    }
    return best;
  }

  // Sends a request as `role` ("" for nobody), requires `expected`, and
  // checks the answer against the description. Returns the answer.
  ClientResponse Call(const std::string& role, const std::string& method,
                      const std::string& target, const std::string& body,
                      int expected, Headers headers = {}) {
    if (!role.empty()) {
      headers.emplace_back("Authorization", "Bearer " + tokens_.at(role));
    }
    TestClient client(server_->Port());
    ClientResponse response = client.Send(method, target, body, headers);
    const std::string request = method + " " + target;
    EXPECT_EQ(response.status, expected)
        << request << " " << body << " -> " << response.body;
    CheckAnswer(method, target, body, response.status, response.headers,
                response.body);
    return response;
  }

  // Checks an answer against the operation the description gives for the
  // request: the status is listed, the headers it requires are there, the
  // body fits the schema; the request's query parameters are described and
  // its body fits the described request body when the server took it.
  void CheckAnswer(const std::string& method, const std::string& target,
                   const std::string& request_body, int status,
                   const std::map<std::string, std::string>& headers,
                   const std::string& body) {
    const json& description = Description();
    const std::string request = method + " " + target;
    const size_t question = target.find('?');
    const std::string pattern = PatternOf(target.substr(0, question));
    ASSERT_FALSE(pattern.empty()) << request << ": no path describes it";
    const json& item = description.at("paths").at(pattern);
    ASSERT_TRUE(item.contains(Lower(method)))
        << request << ": " << pattern << " describes no " << method;
    const json& operation = item[Lower(method)];
    answered_[method + " " + pattern].insert(status);
    SchemaValidator validator(description);

    if (question != std::string::npos) {
      std::set<std::string> described;
      for (const json* list : {&item, &operation}) {
        if (!list->contains("parameters")) continue;
        for (const auto& p : (*list)["parameters"]) {
          const json& parameter = Deref(description, p);
          if (parameter.value("in", "") == "query") {
            described.insert(parameter.at("name").get<std::string>());
          }
        }
      }
      for (const auto& piece : Split(target.substr(question + 1), '&')) {
        const std::string name = piece.substr(0, piece.find('='));
        EXPECT_TRUE(described.contains(name))
            << request << ": query parameter '" << name << "' is not described";
      }
    }
    if (!request_body.empty() && status >= 200 && status < 300) {
      ASSERT_TRUE(operation.contains("requestBody"))
          << request << ": the server took a body the description does not "
          << "mention";
      const json& schema = Deref(description, operation.at("requestBody"))
                               .at("content")
                               .at("application/json")
                               .at("schema");
      const json sent = json::parse(request_body, nullptr, false);
      for (const auto& problem : validator.Check(sent, schema)) {
        ADD_FAILURE() << request << " request body: " << problem;
      }
    }

    const json& responses = operation.at("responses");
    const std::string code = std::to_string(status);
    ASSERT_TRUE(responses.contains(code))
        << request << " answered " << status << ", which " << method << " "
        << pattern << " does not list; body: " << body;
    const json& response = Deref(description, responses[code]);
    // A replayed answer is the first one's status and body only, as the
    // description of Idempotent-Replayed says.
    const bool replayed = headers.contains("idempotent-replayed");
    if (response.contains("headers") && !replayed) {
      for (const auto& [name, header] : response["headers"].items()) {
        if (Deref(description, header).value("required", false)) {
          EXPECT_TRUE(headers.contains(Lower(name)))
              << request << " answered " << status << " without " << name;
        }
      }
    }
    ASSERT_TRUE(response.contains("content"))
        << request << ": " << status << " describes no body";
    const json& schema =
        response.at("content").at("application/json").at("schema");
    const json answer = json::parse(body, nullptr, false);
    ASSERT_FALSE(answer.is_discarded())
        << request << " answered " << status << " with no JSON: " << body;
    for (const auto& problem : validator.Check(answer, schema)) {
      ADD_FAILURE() << request << " -> " << status << ": " << problem
                    << "\n  body: " << body;
    }
  }

  std::string Post(const std::string& target, const std::string& body,
                   Headers headers = {}) {
    auto response = Call("coordinator", "POST", target, body, 201, headers);
    return json::parse(response.body, nullptr, false).value("id", "");
  }

  TempDir dir_;
  DatabaseUrl url_;
  std::unique_ptr<Store> store_;
  std::map<std::string, std::string> tokens_;
  std::shared_ptr<service::AreaService> service_;
  std::shared_ptr<api::Api> api_;
  std::unique_ptr<http::Server> server_;
  // The statuses each described operation answered: "GET /api/v1/me".
  std::map<std::string, std::set<int>> answered_;
};

// --- The description on its own --------------------------------------------

// Every route the server has is described, and every operation described is
// a route: a route added without its description fails here.
TEST(OpenApiDescription, NamesEveryRouteAndNothingElse) {
  const json& description = Description();
  ASSERT_TRUE(description.is_object());
  TempDir dir;
  const auto framework =
      std::make_shared<const Framework>(testing::Shipped("dcsf-2006"));
  // The pool opens nothing until a request comes, so no database is needed.
  api::Api api(std::make_shared<service::AreaService>(
                   framework, service::ServiceOptions{}),
               std::make_shared<api::StorePool>(DatabaseUrl{
                   DatabaseUrl::Kind::kSqlite, (dir.path() / "t.db").string()}),
               api::ApiOptions{});
  std::set<std::string> routes;
  for (const auto& [method, pattern] : api.Routes()) {
    routes.insert(method + " " + pattern);
  }
  const std::set<std::string> described = DescribedOperations(description);
  for (const auto& route : routes) {
    EXPECT_TRUE(described.contains(route))
        << route << " is a route but docs/openapi.yaml does not describe it";
  }
  for (const auto& operation : described) {
    EXPECT_TRUE(routes.contains(operation))
        << operation << " is described but the server has no such route";
  }
  EXPECT_FALSE(routes.empty());
}

// What makes the description usable: OpenAPI 3.1, every reference resolves,
// every operation is explained and lists the answers the server gives every
// route of its kind (Api::Run: 401 and 503 for all signed-in routes, 403 for
// their changes, Idempotency-Key on their POSTs; 400 and 422 for a body).
TEST(OpenApiDescription, IsCompleteAndConsistent) {
  const json& description = Description();
  ASSERT_TRUE(description.is_object());
  EXPECT_EQ(description.value("openapi", ""), "3.1.0");

  std::vector<std::string> dangling;
  auto walk = [&](auto& self, const json& node, const std::string& at) -> void {
    if (node.is_object()) {
      if (node.contains("$ref") && node["$ref"].is_string() &&
          Resolve(description, node["$ref"]) == nullptr) {
        dangling.push_back(at + ": " + node["$ref"].get<std::string>());
      }
      for (const auto& [key, child] : node.items()) {
        self(self, child, at + "/" + key);
      }
    } else if (node.is_array()) {
      for (size_t i = 0; i < node.size(); ++i) {
        self(self, node[i], at + "/" + std::to_string(i));
      }
    }
  };
  walk(walk, description, "");
  EXPECT_THAT(dangling, IsEmpty()) << "references that point at nothing";

  const json global_security = description.value("security", json::array());
  std::set<std::string> ids;
  for (const auto& [pattern, item] : description["paths"].items()) {
    std::set<std::string> path_names;
    for (const auto& segment : Split(pattern, '/')) {
      if (IsParameter(segment)) {
        path_names.insert(segment.substr(1, segment.size() - 2));
      }
    }
    for (const auto& [method, operation] : item.items()) {
      if (!kMethods.contains(method)) continue;
      const std::string name = method + " " + pattern;
      const std::string id = operation.value("operationId", "");
      EXPECT_FALSE(id.empty()) << name << " has no operationId";
      EXPECT_TRUE(ids.insert(id).second)
          << name << ": operationId " << id << " is used twice";
      EXPECT_FALSE(operation.value("summary", "").empty()) << name;
      EXPECT_FALSE(operation.value("description", "").empty()) << name;

      std::set<std::string> declared;
      std::set<std::string> query_and_header;
      if (operation.contains("parameters")) {
        for (const auto& p : operation["parameters"]) {
          const json& parameter = Deref(description, p);
          const std::string parameter_name = parameter.value("name", "");
          if (parameter.value("in", "") == "path") {
            EXPECT_TRUE(parameter.value("required", false)) << name;
            declared.insert(parameter_name);
          } else {
            query_and_header.insert(parameter_name);
          }
        }
      }
      EXPECT_EQ(declared, path_names)
          << name << ": the path parameters and the pattern disagree";

      ASSERT_TRUE(operation.contains("responses")) << name;
      const json& responses = operation.at("responses");
      ASSERT_TRUE(responses.is_object() && !responses.empty()) << name;
      for (const auto& [status, r] : responses.items()) {
        const json& response = Deref(description, r);
        EXPECT_FALSE(response.value("description", "").empty())
            << name << " " << status;
        if (pattern.starts_with("/api/") && status >= "400") {
          EXPECT_EQ(
              response.value(
                  json::json_pointer("/content/application~1json/schema/$ref"),
                  ""),
              kErrorRef)
              << name << " " << status << " must answer the Error schema";
        }
      }
      const json& security = operation.contains("security")
                                 ? operation.at("security")
                                 : global_security;
      if (security.empty()) continue;  // health and sign-in
      for (const char* status : {"401", "503"}) {
        EXPECT_TRUE(responses.contains(status)) << name << " lacks " << status;
      }
      if (method == "get") continue;
      EXPECT_TRUE(responses.contains("403"))
          << name << ": a change without X-CSRF-Token is 403";
      EXPECT_NE(security.dump().find("csrfToken"), std::string::npos)
          << name << ": a change with the cookie needs csrfToken";
      if (method == "post") {
        EXPECT_TRUE(query_and_header.contains("Idempotency-Key")) << name;
        EXPECT_TRUE(responses.contains("409")) << name;
        EXPECT_TRUE(responses.contains("422")) << name;
      }
      if (operation.contains("requestBody")) {
        EXPECT_TRUE(responses.contains("400")) << name;
        EXPECT_TRUE(responses.contains("422")) << name;
      }
    }
  }
}

// --- The server against the description ------------------------------------

// Drives every described operation: the happy paths an integration takes, and
// the refusals it must handle, each answer checked against the description.
TEST_P(OpenApiTest, AnswersAreAsDescribed) {
  const std::string course = OpenCourse();
  ASSERT_FALSE(course.empty());

  Call("", "GET", "/healthz", "", 200);
  Call("", "GET", "/readyz", "", 200);
  Call("coordinator", "GET", "/api/v1/me", "", 200);
  Call("coordinator", "GET", "/api/v1/framework", "", 200);

  // Venues and rooms, retried safely with an Idempotency-Key.
  const std::string civic =
      R"({"id":"civic","name":"Civic Centre","address":"Barras Bridge","notes":null})";
  Call("coordinator", "POST", "/api/v1/venues", civic, 201,
       {{"Idempotency-Key", "venue-civic"}});
  auto replayed = Call("coordinator", "POST", "/api/v1/venues", civic, 201,
                       {{"Idempotency-Key", "venue-civic"}});
  EXPECT_EQ(replayed.headers["idempotent-replayed"], "true");
  Call("coordinator", "POST", "/api/v1/venues", civic, 422,
       {{"Idempotency-Key", std::string(201, 'k')}});
  Call("coordinator", "POST", "/api/v1/venues", civic, 409);
  Call("learner", "POST", "/api/v1/venues", R"({"id":"v","name":"V"})", 403);
  Call("coordinator", "POST", "/api/v1/venues", "{\"id\": ", 400);
  const std::string misspelt =
      R"({"id":"lib","name":"Library","colour":"red"})";
  auto unknown = Call("coordinator", "POST", "/api/v1/venues", misspelt, 422);
  EXPECT_THAT(unknown.body, HasSubstr("colour"));
  // The description refuses the unknown field too: the two agree that a
  // venue is closed.
  {
    SchemaValidator validator(Description());
    const json venue_request = {{"$ref", "#/components/schemas/VenueRequest"}};
    EXPECT_THAT(::testing::PrintToString(
                    validator.Check(json::parse(misspelt), venue_request)),
                HasSubstr("colour: not a field of this shape"));
  }
  Call(
      "coordinator", "POST", "/api/v1/venues/civic/rooms",
      R"({"id":"it1","name":"IT suite","seats":12,"it_suite":true,"accessibility":"step-free"})",
      201);
  Call("coordinator", "POST", "/api/v1/venues/civic/rooms",
       R"({"id":"hall","name":"Hall","seats":40})", 201);
  Call("coordinator", "POST", "/api/v1/venues/nowhere/rooms",
       R"({"id":"r9","name":"Room 9","seats":9})", 404);
  Call("coordinator", "POST", "/api/v1/venues/civic/rooms",
       R"({"id":"r9","name":"Room 9","seats":"nine"})", 422);
  Call("coordinator", "GET", "/api/v1/venues?limit=10&offset=0", "", 200);

  // Sessions: one place in the IT suite, and one in the hall that asks for
  // a manager's approval.
  const std::string part =
      R"("parts":[{"starts":"2031-01-13T09:00","ends":"2031-01-13T12:00"}])";
  const std::string one_place = R"({"course":")" + course +
                                R"(","status":"open","room":"it1","seats":1,)" +
                                part +
                                R"(,"trainers":["PT"],"notes":"bring ID"})";
  const std::string small = Post("/api/v1/sessions", one_place,
                                 {{"Idempotency-Key", "session-small"}});
  ASSERT_FALSE(small.empty());
  const std::string approval = Post(
      "/api/v1/sessions",
      R"({"course":")" + course +
          R"(","status":"open","room":"hall","approval_required":true,"audiences":["practitioners"],"parts":[{"starts":"2031-01-14T09:00","ends":"2031-01-14T12:00"},{"starts":"2031-01-15T13:00","ends":"2031-01-15T16:30"}]})");
  ASSERT_FALSE(approval.empty());
  Call("coordinator", "POST", "/api/v1/sessions",
       R"({"course":")" + course + R"(","room":"it1",)" + part + "}", 409);
  Call(
      "coordinator", "POST", "/api/v1/sessions",
      R"({"course":")" + course +
          R"(","room":"it1","parts":[{"starts":"2031-02-30T09:00","ends":"2031-02-30T12:00"}]})",
      422);
  Call("coordinator", "POST", "/api/v1/sessions",
       R"({"course":")" + course + R"(","room":"attic",)" + part + "}", 404);
  Call("learner", "POST", "/api/v1/sessions", one_place, 403);

  // Bookings: Ann takes the one place, Bea waits; Ann asks for a place on
  // the approval session and is approved; Bea asks and is declined.
  const std::string ann =
      Post("/api/v1/sessions/" + small + "/bookings", R"({"person":"PA"})",
           {{"Idempotency-Key", "book-ann"}});
  const std::string bea =
      Post("/api/v1/sessions/" + small + "/bookings", R"({"person":"PB"})");
  Call("coordinator", "POST", "/api/v1/sessions/" + small + "/bookings",
       R"({"person":"PA"})", 409);
  Call("coordinator", "POST", "/api/v1/sessions/S999999/bookings",
       R"({"person":"PA"})", 404);
  Call("other-learner", "POST", "/api/v1/sessions/" + small + "/bookings",
       R"({"person":"PA"})", 403);
  Call("coordinator", "POST", "/api/v1/sessions/" + small + "/bookings",
       R"({"person":7})", 422);
  auto asked = Call("learner", "POST",
                    "/api/v1/sessions/" + approval + "/bookings", "", 201);
  const std::string ann_asked = json::parse(asked.body).value("id", "");
  EXPECT_EQ(json::parse(asked.body).value("status", ""), "requested");
  auto bea_asked = Call("other-learner", "POST",
                        "/api/v1/sessions/" + approval + "/bookings",
                        R"({"person":"PB"})", 201);
  const std::string bea_id = json::parse(bea_asked.body).value("id", "");
  Call("coordinator", "POST", "/api/v1/bookings/" + ann_asked + "/approve",
       R"({"note":"agreed with Mo"})", 200);
  Call("coordinator", "POST", "/api/v1/bookings/" + ann_asked + "/approve", "",
       409);
  Call("learner", "POST", "/api/v1/bookings/" + bea_id + "/decline", "", 403);
  Call("coordinator", "POST", "/api/v1/bookings/" + bea_id + "/decline",
       R"({"note":"not this term"})", 200);
  Call("coordinator", "POST", "/api/v1/bookings/" + bea_id + "/decline",
       R"({"reason":"x"})", 422);
  Call("coordinator", "POST", "/api/v1/bookings/B999999/approve", "", 404);
  auto cancelled =
      Call("learner", "POST", "/api/v1/bookings/" + ann + "/cancel",
           R"({"note":"on leave"})", 200);
  EXPECT_EQ(json::parse(cancelled.body)["promotions"]["promoted"].size(), 1U)
      << "Bea is promoted, so the promotions list is not empty";
  Call("learner", "POST", "/api/v1/bookings/" + ann + "/cancel", "", 409);

  // A change of session: another place.
  Call("coordinator", "PUT", "/api/v1/sessions/" + small,
       R"({"course":")" + course +
           R"(","status":"open","room":"it1","seats":2,)" + part +
           R"(,"trainers":["PT"]})",
       200);
  // Left out, the status stays as it was (open), and the answer says how
  // the places stand.
  auto changed = json::parse(
      Call("coordinator", "PUT", "/api/v1/sessions/" + small,
           R"({"course":")" + course + R"(","room":"it1","seats":3,)" + part +
               R"(,"trainers":["PT"]})",
           200)
          .body);
  EXPECT_EQ(changed["status"], "open") << changed.dump();
  EXPECT_EQ(changed["places_left"], 3 - changed["booked"].get<int>())
      << changed.dump();
  Call("coordinator", "PUT", "/api/v1/sessions/S999999", one_place, 404);
  Call("coordinator", "PUT", "/api/v1/sessions/" + small,
       R"({"course":")" + course + R"(","room":"it1","seats":50,)" + part + "}",
       422);
  Call("learner", "PUT", "/api/v1/sessions/" + small, one_place, 403);

  // Reading it all back.
  Call("coordinator", "GET", "/api/v1/organisations?limit=1", "", 200);
  Call("coordinator", "GET", "/api/v1/organisations?offset=-1", "", 422);
  Call("coordinator", "GET", "/api/v1/organisations/NCC", "", 200);
  Call("coordinator", "GET", "/api/v1/organisations/NOPE", "", 404);
  Call("coordinator", "GET",
       "/api/v1/people?organisation=NCC&manager=PM&limit=5&offset=0", "", 200);
  Call("learner", "GET", "/api/v1/people", "", 200);
  Call("coordinator", "GET", "/api/v1/people?limit=0", "", 422);
  Call("coordinator", "GET", "/api/v1/people/PA", "", 200);
  Call("learner", "GET", "/api/v1/people/PB", "", 403);
  Call("coordinator", "GET", "/api/v1/people/NOBODY", "", 404);
  Call("coordinator", "GET", "/api/v1/people/PA/records", "", 200);
  Call("coordinator", "GET", "/api/v1/people/PA/needs", "", 200);
  Call("learner", "GET", "/api/v1/people/PA/needs?on=2031-01-01", "", 200);
  Call("coordinator", "GET", "/api/v1/people/PA/needs?on=2031-02-30", "", 422);
  Call("coordinator", "GET", "/api/v1/people/PA/bookings", "", 200);
  Call("coordinator", "GET", "/api/v1/people/PB/notifications", "", 200);
  Call("coordinator", "GET", "/api/v1/people/PA/records?module=nope&limit=1",
       "", 200);
  Call("coordinator", "GET",
       "/api/v1/people/PA/needs?status=outstanding&limit=2&offset=1", "", 200);
  Call("coordinator", "GET", "/api/v1/people/PA/needs?status=later", "", 422);
  Call("coordinator", "GET", "/api/v1/people/PA/bookings?status=booked", "",
       200);
  Call("coordinator", "GET", "/api/v1/people/PA/bookings?status=maybe", "",
       422);
  Call("coordinator", "GET", "/api/v1/people/PB/notifications?limit=1&offset=1",
       "", 200);
  Call("coordinator", "GET", "/api/v1/people/PB/notifications?limit=0", "",
       422);
  Call("other-learner", "GET", "/api/v1/people/PA/notifications", "", 403);
  Call("coordinator", "GET",
       "/api/v1/sessions?course=" + course +
           "&trainer=PT&room=it1&status=open&from=2031-01-01&to=2031-12-31",
       "", 200);
  Call("coordinator", "GET", "/api/v1/sessions?status=maybe", "", 422);
  Call("coordinator", "GET", "/api/v1/roll-outs", "", 200);
  Call("coordinator", "GET", "/api/v1/roll-outs/trial?on=2027-01-04", "", 200);
  Call("coordinator", "GET", "/api/v1/roll-outs/trial?set=venue.seats=16", "",
       200);
  Call("coordinator", "GET", "/api/v1/roll-outs/trial?set=venue.seatz=1", "",
       422);
  Call("coordinator", "GET", "/api/v1/roll-outs/nothing", "", 404);
  Call("learner", "GET", "/api/v1/roll-outs", "", 403);
  // Commit, retried safely; a plan that cannot be committed as it stands
  // (no room for its venue) is 409 and writes nothing.
  const std::string commit = "/api/v1/roll-outs/commit/commit";
  const std::string on = R"({"on":"2029-01-01"})";
  const auto first = Call("coordinator", "POST", commit, on, 200,
                          {{"Idempotency-Key", "commit-1"}});
  EXPECT_EQ(json::parse(first.body).at("sessions_added"), 1) << first.body;
  const auto again = Call("coordinator", "POST", commit, on, 200,
                          {{"Idempotency-Key", "commit-1"}});
  EXPECT_EQ(again.headers.at("idempotent-replayed"), "true");
  const auto rerun = Call("coordinator", "POST", commit, on, 200,
                          {{"Idempotency-Key", "commit-2"}});
  EXPECT_EQ(json::parse(rerun.body).at("sessions_added"), 0) << rerun.body;
  Call("coordinator", "POST", "/api/v1/roll-outs/trial/commit", on, 409,
       {{"Idempotency-Key", "commit-3"}});
  Call("coordinator", "POST", commit, R"({"set":["venue.seatz=1"]})", 422,
       {{"Idempotency-Key", "commit-4"}});
  Call("coordinator", "POST", commit, R"({"sett":[]})", 422,
       {{"Idempotency-Key", "commit-5"}});
  Call("coordinator", "POST", "/api/v1/roll-outs/nothing/commit", "", 404,
       {{"Idempotency-Key", "commit-6"}});
  Call("learner", "POST", commit, "", 403, {{"Idempotency-Key", "commit-7"}});
  Call("coordinator", "GET", "/api/v1/sessions/" + small, "", 200);
  Call("coordinator", "GET", "/api/v1/sessions/S999999", "", 404);
  Call("coordinator", "GET", "/api/v1/sessions/" + small + "/bookings", "",
       200);
  Call("learner", "GET", "/api/v1/sessions/" + small + "/bookings", "", 200);
  // Registers: Bea holds the small session's place (promoted when Ann
  // cancelled); the session is in 2031, so she can only be marked absent
  // yet, and the register cannot close.
  const std::string reg = "/api/v1/sessions/" + small + "/register";
  Call("coordinator", "GET", reg, "", 200);
  Call("trainer", "GET", reg, "", 200);
  Call("learner", "GET", reg, "", 403);
  Call("coordinator", "GET", "/api/v1/sessions/S999999/register", "", 404);
  Call("trainer", "PUT", reg + "/PB",
       R"({"present":[false],"identity_verified":true,)"
       R"("identity_evidence":"photo ID","security_token":"CP-0001"})",
       200);
  Call("trainer", "PUT", reg + "/PB", R"({"present":[true]})", 409);
  Call("trainer", "PUT", reg + "/PB", R"({"present":"yes"})", 422);
  Call("trainer", "PUT", reg + "/NOBODY", R"({"present":[false]})", 404);
  Call("learner", "PUT", reg + "/PB", R"({"present":[false]})", 403);
  Call("trainer", "POST", reg + "/close", "", 409);
  Call("learner", "POST", reg + "/close", "", 403);
  Call("coordinator", "POST", reg + "/PB/correction",
       R"({"present":[false],"reason":"left early"})", 409);
  Call("coordinator", "POST", reg + "/PB/correction", R"({"present":[false]})",
       422);
  Call("trainer", "POST", reg + "/PB/correction",
       R"({"present":[false],"reason":"left early"})", 403);
  Call("coordinator", "GET", "/api/v1/bookings/" + bea, "", 200);
  Call("learner", "GET", "/api/v1/bookings/" + bea, "", 403);
  Call("coordinator", "GET", "/api/v1/bookings/B999999", "", 404);
  Call("coordinator", "GET", "/api/v1/audit?limit=3", "", 200);
  Call("coordinator", "GET",
       "/api/v1/audit?entity=booking&id=" + ann + "&after=0&offset=0", "", 200);
  Call("coordinator", "GET", "/api/v1/audit?entity=booking", "", 422);
  Call("learner", "GET", "/api/v1/audit", "", 403);
  Call("coordinator", "GET", "/api/v1/users?limit=2", "", 200);
  Call("learner", "GET", "/api/v1/users", "", 403);
  Call("", "GET", "/api/v1/me", "", 401);
  Call("", "GET", "/api/v1/me", "", 401,
       {{"Authorization", "Bearer trellis_Tnot-a-token"}});

  // A browser: signs in, changes with its CSRF token, signs out.
  Call("", "POST", "/api/v1/sign-in",
       R"({"email":"coordinator@example.org","password":"not the password"})",
       401);
  Call("", "POST", "/api/v1/sign-in", R"({"email":"coordinator@example.org"})",
       422);
  Call("", "POST", "/api/v1/sign-in", "not json", 400);
  auto signed_in = Call(
      "", "POST", "/api/v1/sign-in",
      R"({"email":"Coordinator@example.org","password":"correct horse battery"})",
      200);
  const std::string set_cookie = signed_in.headers["set-cookie"];
  const Headers cookie = {
      {"Cookie", set_cookie.substr(0, set_cookie.find(';'))}};
  Headers with_csrf = cookie;
  with_csrf.emplace_back("X-CSRF-Token",
                         json::parse(signed_in.body).value("csrf_token", ""));
  Call("", "GET", "/api/v1/me", "", 200, cookie);
  Call("", "POST", "/api/v1/venues", R"({"id":"lib","name":"Library"})", 403,
       cookie);
  Call("", "POST", "/api/v1/venues", R"({"id":"lib","name":"Library"})", 201,
       with_csrf);
  Call("", "POST", "/api/v1/sign-out", "", 403, cookie);
  Call("", "POST", "/api/v1/sign-out", "", 200, with_csrf);
  Call("", "GET", "/api/v1/me", "", 401, cookie);
  Call("coordinator", "POST", "/api/v1/sign-out", "", 200);
  for (int i = 0; i < 3; ++i) {
    Call("", "POST", "/api/v1/sign-in",
         R"({"email":"nobody@example.org","password":"guess guess"})", 401);
  }
  Call("", "POST", "/api/v1/sign-in",
       R"({"email":"nobody@example.org","password":"guess guess"})", 429);

  // Nobody signed in: every operation that needs a caller says 401 as
  // described, including any added since this test was written.
  for (const auto& operation : DescribedOperations(Description())) {
    const std::string method = operation.substr(0, operation.find(' '));
    const std::string pattern = operation.substr(method.size() + 1);
    const json& described =
        Description().at("paths").at(pattern).at(Lower(method));
    const json security = described.value(
        "security", Description().value("security", json::array()));
    if (security.empty()) continue;
    Call("", method,
         std::regex_replace(pattern, std::regex("\\{[^}]*\\}"), "x"), "", 401);
  }

  // Every GET answered with success at least once, so its success schema met
  // a real body; every other operation was answered at least once.
  for (const auto& operation : DescribedOperations(Description())) {
    const auto& statuses = answered_[operation];
    EXPECT_FALSE(statuses.empty()) << operation << " was never called";
    if (operation.starts_with("GET ")) {
      EXPECT_TRUE(std::ranges::any_of(
          statuses, [](int s) { return s >= 200 && s < 300; }))
          << operation << " never answered with success here: add a call "
          << "to AnswersAreAsDescribed";
    }
  }
}

// With the database gone, the health check and the routes say 503 as
// described (asked of the Api directly: the server adds nothing to it).
TEST_P(OpenApiTest, AMissingDatabaseAnswers503AsDescribed) {
  api::Api broken(
      service_,
      std::make_shared<api::StorePool>(DatabaseUrl{
          DatabaseUrl::Kind::kSqlite, (dir_.path() / "gone.db").string()}),
      api::ApiOptions{});
  for (const std::string target :
       {"/readyz", "/api/v1/me", "/api/v1/sessions?limit=5"}) {
    http::Request request;
    request.method = "GET";
    request.target = target;
    request.path = target.substr(0, target.find('?'));
    request.headers = {{"authorization", "Bearer " + tokens_.at("learner")}};
    const http::Response response = broken.Handle(request);
    EXPECT_EQ(response.status, 503) << target << " " << response.body;
    std::map<std::string, std::string> headers;
    for (const auto& [name, value] : response.headers) {
      headers[Lower(name)] = value;
    }
    CheckAnswer("GET", target, "", response.status, headers, response.body);
    if (target != "/readyz") {
      EXPECT_EQ(json::parse(response.body)["code"], "unavailable")
          << response.body;
      EXPECT_EQ(headers["retry-after"], "1") << target;
    }
  }
  // Signing in says the same.
  http::Request sign_in;
  sign_in.method = "POST";
  sign_in.target = sign_in.path = "/api/v1/sign-in";
  sign_in.body = R"({"email":"coordinator@example.org","password":"x y z w"})";
  const http::Response refused = broken.Handle(sign_in);
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(json::parse(refused.body)["code"], "unavailable");
  std::map<std::string, std::string> headers;
  for (const auto& [name, value] : refused.headers)
    headers[Lower(name)] = value;
  EXPECT_EQ(headers["retry-after"], "1");
  CheckAnswer("POST", "/api/v1/sign-in", sign_in.body, refused.status, headers,
              refused.body);
}

// The validator finds what is wrong with a body, and says where: without
// this, a validator that accepted anything would pass every test above.
TEST_P(OpenApiTest, TheValidatorCatchesWrongBodies) {
  CourseSession s;
  s.course = OpenCourse();
  s.status = SessionStatus::kOpen;
  s.room = "it1";
  ASSERT_TRUE(store_->AddVenue(Venue{"civic", "Civic", "", "", {}}, kSetup));
  ASSERT_TRUE(
      store_->AddRoom(Room{"it1", "civic", "IT", 12, true, ""}, kSetup));
  s.parts = {{LocalTime{Day(2031, 3, 3), 9 * 60},
              LocalTime{Day(2031, 3, 3), 12 * 60}}};
  ASSERT_TRUE(store_->AddSession(s, kSetup));
  auto response = Call("coordinator", "GET", "/api/v1/sessions", "", 200);
  const json good = json::parse(response.body);
  ASSERT_EQ(good["items"].size(), 1U);

  const SchemaValidator validator(Description());
  const json page = {{"$ref", "#/components/schemas/SessionPage"}};
  EXPECT_THAT(validator.Check(good, page), IsEmpty());

  auto problems = [&](const std::function<void(json&)>& change) {
    json wrong = good;
    change(wrong);
    return ::testing::PrintToString(validator.Check(wrong, page));
  };
  EXPECT_THAT(problems([](json& b) { b["items"][0]["status"] = "maybe"; }),
              HasSubstr("items[0].status: 'maybe' not in enum [planned, "
                        "open, closed, cancelled]"));
  EXPECT_THAT(problems([](json& b) { b["items"][0].erase("room"); }),
              HasSubstr("items[0].room: required but missing"));
  EXPECT_THAT(problems([](json& b) { b["items"][0]["seats"] = "12"; }),
              HasSubstr("items[0].seats: '12' is a string, not integer"));
  EXPECT_THAT(problems([](json& b) { b["items"][0]["reserved_for"] = 3; }),
              HasSubstr("items[0].reserved_for: 3 is an integer, not string "
                        "or null"));
  EXPECT_THAT(
      problems([](json& b) { b["items"][0]["parts"][0]["ends"] = "noon"; }),
      HasSubstr("items[0].parts[0].ends: 'noon' does not match"));
  EXPECT_THAT(problems([](json& b) { b["items"][0]["colour"] = "red"; }),
              HasSubstr("items[0].colour: sent but not described"));
  EXPECT_THAT(problems([](json& b) { b["total"] = 1; }),
              HasSubstr("total: not a field of this shape"));
  EXPECT_THAT(problems([](json& b) { b["limit"] = 0; }),
              HasSubstr("limit: 0 below minimum 1"));
  EXPECT_THAT(problems([](json& b) { b = json::array(); }),
              HasSubstr("(body): [] is an array, not object"));
  EXPECT_THAT(::testing::PrintToString(
                  validator.Check(good, {{"$ref", "#/components/schemas/No"}})),
              HasSubstr("points at nothing"));
  EXPECT_THAT(::testing::PrintToString(
                  validator.Check(good, {{"oneOf", json::array()}})),
              HasSubstr("does not check 'oneOf'"));
}

INSTANTIATE_TEST_SUITE_P(, OpenApiTest, ::testing::ValuesIn(Backends()),
                         [](const ::testing::TestParamInfo<Backend>& backend) {
                           return backend.param.name;
                         });

}  // namespace
}  // namespace trellis
