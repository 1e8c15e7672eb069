#include "api/json_codec.h"

#include <utility>

namespace trellis::api {

using nlohmann::json;

namespace {

json DateOrNull(const std::optional<Date>& date) {
  return date ? json(FormatIsoDate(*date)) : json(nullptr);
}

json TextOrNull(const std::string& text) {
  return text.empty() ? json(nullptr) : json(text);
}

}  // namespace

std::expected<FieldReader, Error> FieldReader::Parse(std::string_view body,
                                                     bool& malformed) {
  malformed = false;
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    malformed = true;
    return std::unexpected(Error{ErrorCode::kInvalidArgument,
                                 "the body is not well-formed JSON",
                                 {{"(body)", "not JSON"}}});
  }
  if (!parsed.is_object()) {
    return std::unexpected(Error{ErrorCode::kInvalidArgument,
                                 "the body must be a JSON object",
                                 {{"(body)", "not an object"}}});
  }
  return FieldReader(std::move(parsed), "");
}

const json* FieldReader::Find(const std::string& name, bool required) {
  read_.insert(name);
  auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) {
    if (required) Problem(name, "is required");
    return nullptr;
  }
  return &*it;
}

void FieldReader::Problem(const std::string& field,
                          const std::string& message) {
  problems_.push_back({prefix_ + field, message});
}

std::string FieldReader::String(const std::string& name, bool required,
                                size_t max_length) {
  const json* value = Find(name, required);
  if (value == nullptr) return {};
  if (!value->is_string()) {
    Problem(name, "must be a string");
    return {};
  }
  auto text = value->get<std::string>();
  if (text.size() > max_length) {
    Problem(name,
            "must be at most " + std::to_string(max_length) + " characters");
    return {};
  }
  if (required && text.empty()) Problem(name, "must not be empty");
  return text;
}

std::optional<int> FieldReader::Int(const std::string& name, bool required,
                                    int min, int max) {
  const json* value = Find(name, required);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number_integer()) {
    Problem(name, "must be a whole number");
    return std::nullopt;
  }
  const auto n = value->get<long long>();
  if (n < min || n > max) {
    Problem(name, "must be between " + std::to_string(min) + " and " +
                      std::to_string(max));
    return std::nullopt;
  }
  return static_cast<int>(n);
}

bool FieldReader::Bool(const std::string& name, bool fallback) {
  const json* value = Find(name, false);
  if (value == nullptr) return fallback;
  if (!value->is_boolean()) {
    Problem(name, "must be true or false");
    return fallback;
  }
  return value->get<bool>();
}

std::vector<std::string> FieldReader::Strings(const std::string& name) {
  const json* value = Find(name, false);
  std::vector<std::string> out;
  if (value == nullptr) return out;
  if (!value->is_array()) {
    Problem(name, "must be a list of strings");
    return out;
  }
  for (size_t i = 0; i < value->size(); ++i) {
    const auto& item = (*value)[i];
    if (!item.is_string() || item.get<std::string>().empty() ||
        item.get<std::string>().size() > 200) {
      Problem(name + "[" + std::to_string(i) + "]",
              "must be a non-empty string of at most 200 characters");
      continue;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::vector<bool> FieldReader::Bools(const std::string& name, bool required) {
  const json* value = Find(name, required);
  std::vector<bool> out;
  if (value == nullptr) return out;
  if (!value->is_array()) {
    Problem(name, "must be a list of true or false");
    return out;
  }
  for (size_t i = 0; i < value->size(); ++i) {
    const auto& item = (*value)[i];
    if (!item.is_boolean()) {
      Problem(name + "[" + std::to_string(i) + "]", "must be true or false");
      continue;
    }
    out.push_back(item.get<bool>());
  }
  return out;
}

std::optional<Date> FieldReader::IsoDate(const std::string& name,
                                         bool required) {
  const std::string text = String(name, required, 10);
  if (text.empty()) return std::nullopt;
  auto date = ParseIsoDate(text);
  if (!date) {
    Problem(name, date.error());
    return std::nullopt;
  }
  return *date;
}

std::vector<FieldReader> FieldReader::Objects(const std::string& name,
                                              bool required) {
  const json* value = Find(name, required);
  std::vector<FieldReader> out;
  if (value == nullptr) return out;
  if (!value->is_array()) {
    Problem(name, "must be a list of objects");
    return out;
  }
  for (size_t i = 0; i < value->size(); ++i) {
    const auto& item = (*value)[i];
    const std::string prefix = prefix_ + name + "[" + std::to_string(i) + "].";
    if (!item.is_object()) {
      problems_.push_back({prefix_ + name + "[" + std::to_string(i) + "]",
                           "must be an object"});
      continue;
    }
    out.push_back(FieldReader(item, prefix));
  }
  return out;
}

std::expected<void, Error> FieldReader::Finish() {
  std::vector<FieldError> all = problems_;
  for (const auto& [key, value] : object_.items()) {
    if (!read_.contains(key)) all.push_back({prefix_ + key, "is not a field"});
  }
  if (all.empty()) return {};
  return std::unexpected(
      Error{ErrorCode::kInvalidArgument,
            "the request has " + std::to_string(all.size()) + " problem" +
                (all.size() == 1 ? "" : "s") + ": " + all.front().field + " " +
                all.front().message + (all.size() > 1 ? ", ..." : ""),
            std::move(all)});
}

json ToJson(const Person& p) {
  json checks = json::array();
  for (const auto& c : p.checks) {
    checks.push_back({{"check", c.check},
                      {"date", FormatIsoDate(c.date)},
                      {"detail", c.detail}});
  }
  return {{"id", p.id},
          {"name", p.name},
          {"email", p.email},
          {"organisation", p.organisation},
          {"role", TextOrNull(p.role)},
          {"audiences", p.audiences},
          {"manager", TextOrNull(p.manager)},
          {"locality", p.locality},
          {"start_date", DateOrNull(p.start_date)},
          {"checks", checks}};
}

json ToJson(const Organisation& org) {
  json readiness = json::array();
  for (const auto& r : org.readiness) {
    json conditions = json::array();
    int met = 0;
    for (const auto& c : r.conditions) {
      if (c.met) ++met;
      conditions.push_back({{"number", c.number},
                            {"text", c.text},
                            {"met", c.met},
                            {"evidence", c.evidence},
                            {"date", DateOrNull(c.date)}});
    }
    readiness.push_back(
        {{"checklist", r.checklist}, {"met", met}, {"conditions", conditions}});
  }
  return {{"id", org.id},
          {"name", org.name},
          {"sector", org.sector},
          {"type", org.type},
          {"case_management_system", org.case_management_system},
          {"locality", org.locality},
          {"isp_signed", DateOrNull(org.isp_signed)},
          {"readiness", readiness}};
}

json ToJson(const TrainingRecord& r) {
  return {{"id", r.id},
          {"person", r.person},
          {"module", r.module},
          {"module_version", r.module_version},
          {"date", FormatIsoDate(r.date)},
          {"outcome", TrainingOutcomeName(r.outcome)},
          {"source", RecordSourceName(r.source)},
          {"evidence", r.evidence},
          {"supersedes", TextOrNull(r.supersedes)},
          {"reason", TextOrNull(r.reason)},
          {"recorded_by", r.recorded_by}};
}

json ToJson(const User& u) {
  return {{"id", u.id},
          {"email", u.email},
          {"name", u.name},
          {"role", UserRoleName(u.role)},
          {"person", TextOrNull(u.person)},
          {"organisation", TextOrNull(u.organisation)},
          {"disabled", u.disabled}};
}

json ToJson(const Room& room) {
  return {{"id", room.id},
          {"venue", room.venue},
          {"name", room.name},
          {"seats", room.seats},
          {"it_suite", room.it_suite},
          {"accessibility", room.accessibility}};
}

json ToJson(const Venue& venue) {
  json rooms = json::array();
  for (const auto& r : venue.rooms) rooms.push_back(ToJson(r));
  return {{"id", venue.id},
          {"name", venue.name},
          {"address", venue.address},
          {"notes", venue.notes},
          {"rooms", rooms}};
}

json ToJson(const CourseSession& s) {
  json parts = json::array();
  for (const auto& p : s.parts) {
    parts.push_back({{"starts", FormatLocalTime(p.starts)},
                     {"ends", FormatLocalTime(p.ends)}});
  }
  return {{"id", s.id},
          {"course", s.course},
          {"status", SessionStatusName(s.status)},
          {"room", s.room},
          {"seats", s.seats},
          {"parts", parts},
          {"trainers", s.trainers},
          {"audiences", s.audiences},
          {"case_management_system", TextOrNull(s.case_management_system)},
          {"approval_required", s.approval_required},
          {"verify_identity", s.verify_identity},
          {"reserved_seats", s.reserved_seats},
          {"reserved_for", TextOrNull(s.reserved_for)},
          {"reserved_until", DateOrNull(s.reserved_until)},
          {"notes", s.notes},
          {"register_closed_at", TextOrNull(s.register_closed_at)},
          {"register_closed_by", TextOrNull(s.register_closed_by)}};
}

json ToJson(const Booking& b) {
  return {{"id", b.id},
          {"session", b.session},
          {"person", b.person},
          {"status", BookingStatusName(b.status)},
          {"nominated", b.nominated},
          {"priority", b.priority},
          {"queued", b.queued},
          {"requested_at", b.requested_at},
          {"requested_by", b.requested_by},
          {"decided_at", TextOrNull(b.decided_at)},
          {"decided_by", TextOrNull(b.decided_by)},
          {"late_cancellation", b.late_cancellation},
          {"note", TextOrNull(b.note)}};
}

json ToJson(const Notification& n) {
  return {{"id", n.id}, {"person", n.person}, {"at", n.at}, {"text", n.text}};
}

json ToJson(const AuditEntry& e) {
  auto parse = [](const std::string& text) {
    return text.empty() ? json(nullptr) : json::parse(text, nullptr, false);
  };
  return {{"seq", e.seq},
          {"at", e.at},
          {"actor", e.actor},
          {"action", e.action},
          {"entity", e.entity},
          {"entity_id", e.entity_id},
          {"before", parse(e.before)},
          {"after", parse(e.after)},
          {"hash", e.hash}};
}

json ToJson(const Need& n) {
  json alternatives = n.alternatives;
  return {{"module", n.module != nullptr ? n.module->ref : ""},
          {"name", n.module != nullptr ? n.module->name : ""},
          {"level",
           n.level == RequirementLevel::kRequired ? "required" : "recommended"},
          {"requirement", n.requirement},
          {"status", NeedStatusName(n.status)},
          {"completed", DateOrNull(n.completed)},
          {"expires", DateOrNull(n.expires)},
          {"alternatives", alternatives}};
}

json ToJson(const Promotions& promotions) {
  json promoted = json::array();
  for (const auto& b : promotions.promoted) promoted.push_back(ToJson(b));
  json passed = json::array();
  for (const auto& b : promotions.passed_over) passed.push_back(ToJson(b));
  return {{"promoted", promoted}, {"passed_over", passed}};
}

json ToJson(const RegisterEntry& e) {
  return {{"person", e.person},
          {"booking", e.booking},
          {"status", BookingStatusName(e.status)},
          {"present", e.present},
          {"identity_verified", e.identity_verified},
          {"identity_evidence", e.identity_evidence},
          {"security_token", e.security_token},
          {"marked_at", TextOrNull(e.marked_at)},
          {"marked_by", TextOrNull(e.marked_by)}};
}

json ToJson(const Register& reg) {
  json entries = json::array();
  for (const auto& e : reg.entries) entries.push_back(ToJson(e));
  return {{"session", reg.session},
          {"parts", reg.parts},
          {"closed_at", TextOrNull(reg.closed_at)},
          {"closed_by", TextOrNull(reg.closed_by)},
          {"entries", entries}};
}

json ToJson(const RegisterClosing& closing) {
  return {{"attended", closing.attended},
          {"partly_attended", closing.partly_attended},
          {"no_shows", closing.no_shows},
          {"records", closing.records}};
}

RegisterMark MarkFromJson(FieldReader& body, std::string person) {
  RegisterMark mark;
  mark.person = std::move(person);
  mark.present = body.Bools("present", true);
  mark.identity_verified = body.Bool("identity_verified", false);
  mark.identity_evidence = body.String("identity_evidence", false, 200);
  mark.security_token = body.String("security_token", false, 64);
  return mark;
}

std::expected<CourseSession, Error> SessionFromJson(FieldReader& body) {
  CourseSession s;
  s.course = body.String("course", true, 200);
  const std::string status = body.String("status", false, 20);
  if (!status.empty()) {
    if (auto parsed = ParseSessionStatus(status)) {
      s.status = *parsed;
    } else {
      body.Problem("status", "must be planned, open, closed or cancelled");
    }
  }
  s.room = body.String("room", true, 200);
  s.seats = body.Int("seats", false, 1, 10000).value_or(0);
  auto parts = body.Objects("parts", true);
  if (parts.empty()) body.Problem("parts", "needs at least one part");
  for (auto& part : parts) {
    const std::string starts = part.String("starts", true, 16);
    const std::string ends = part.String("ends", true, 16);
    auto from = ParseLocalTime(starts);
    auto to = ParseLocalTime(ends);
    if (!starts.empty() && !from) part.Problem("starts", from.error());
    if (!ends.empty() && !to) part.Problem("ends", to.error());
    if (from && to) s.parts.push_back({*from, *to});
    if (auto done = part.Finish(); !done) {
      for (const auto& f : done.error().fields) body.ChildProblem(f);
    }
  }
  s.trainers = body.Strings("trainers");
  s.audiences = body.Strings("audiences");
  s.case_management_system = body.String("case_management_system", false, 200);
  s.approval_required = body.Bool("approval_required", false);
  s.verify_identity = body.Bool("verify_identity", false);
  s.reserved_seats = body.Int("reserved_seats", false, 0, 10000).value_or(0);
  s.reserved_for = body.String("reserved_for", false, 200);
  s.reserved_until = body.IsoDate("reserved_until", false);
  s.notes = body.String("notes", false, 4000);
  if (auto done = body.Finish(); !done) return std::unexpected(done.error());
  return s;
}

}  // namespace trellis::api
