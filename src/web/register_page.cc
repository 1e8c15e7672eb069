// A session's register, as a trainer keeps it on a tablet in the room
// [MISSION D3]: everyone holding a place, a box per part to tick present,
// and where the session checks identity what was seen and the security token
// handed over; saved as often as wanted, then closed, which turns the marks
// into outcomes and training records. Read-only once closed, and for
// auditors. Every rule is the service's.
#include <algorithm>

#include "domain/text.h"
#include "web/format.h"
#include "web/site.h"

namespace trellis::web {
namespace {

std::string Field(const std::string& kind, const std::string& person) {
  return kind + "-" + person;
}

std::string PartField(const std::string& person, std::size_t part) {
  return "present-" + person + "-" + std::to_string(part);
}

const char* Outcome(const RegisterEntry& entry, bool closed) {
  if (closed) return BookingLabel(entry.status).first;
  return entry.marked_at.empty() ? "Not marked yet" : "Marked";
}

}  // namespace

void Site::AddRegisterPages() {
  AddPage("GET", "/sessions/{id}/register",
          [this](Store& store, const Visitor& who, const http::Request& request,
                 const http::Params& params) {
            return RegisterPage(store, who, std::string(params.Get("id")),
                                request.Query("done").value_or(""));
          });
  AddPage("POST", "/sessions/{id}/register",
          [this](Store& store, const Visitor& who, const http::Request& request,
                 const http::Params& params) {
            return MarkRegister(store, who, std::string(params.Get("id")),
                                request);
          });
  AddPage("GET", "/sessions/{id}/register/{person}/correct",
          [this](Store& store, const Visitor& who, const http::Request&,
                 const http::Params& params) {
            return CorrectionPage(store, who, std::string(params.Get("id")),
                                  std::string(params.Get("person")),
                                  std::nullopt, {}, 200);
          });
  AddPage("POST", "/sessions/{id}/register/{person}/correct",
          [this](Store& store, const Visitor& who, const http::Request& request,
                 const http::Params& params) {
            return CorrectRegister(store, who, std::string(params.Get("id")),
                                   std::string(params.Get("person")), request);
          });
  AddPage("POST", "/sessions/{id}/register/close",
          [this](Store& store, const Visitor& who, const http::Request& request,
                 const http::Params& params) {
            return CloseRegister(store, who, std::string(params.Get("id")),
                                 request);
          });
}

http::Response Site::RegisterPage(Store& store, const Visitor& who,
                                  const std::string& id, std::string_view done,
                                  const std::vector<FieldError>& errors,
                                  int status) const {
  auto reg = service_->ReadRegister(store, who.caller, id);
  if (!reg) return Refused(reg.error(), &who);
  auto session = store.FindSession(id);
  if (!session) return Refused(session.error(), &who);
  if (!*session) {
    return Refused(Error{ErrorCode::kNotFound, "no session '" + id + "'", {}},
                   &who);
  }
  const CourseSession& s = **session;
  const bool closed = !reg->closed_at.empty();
  const bool may_mark = !closed && service::MayMarkRegister(who.caller, s);

  Data data;
  data.set("id", s.id);
  data.set("course", CourseName(service_->framework(), s.course));
  data.set("when", SessionDate(s));
  data.set("closed", closed);
  data.set("may_mark", may_mark);
  data.set("identity", s.verify_identity);
  data.set("csrf_token", who.csrf_token);
  if (closed) {
    data.set("closed_on", reg->closed_at.substr(0, 10));
    data.set("closed_by", reg->closed_by);
  }
  Data parts{Data::type::list};
  for (std::size_t i = 0; i < s.parts.size(); ++i) {
    Data part;
    part.set("label", s.parts.size() == 1 ? std::string("Present")
                                          : "Part " + std::to_string(i + 1));
    part.set("when", PartTimes(s.parts[i]));
    parts.push_back(part);
  }
  data.set("parts", parts);
  Data rows{Data::type::list};
  int present = 0;
  for (const auto& entry : reg->entries) {
    auto person = store.FindPerson(entry.person);
    if (!person) return Refused(person.error(), &who);
    const std::string name = *person ? (*person)->name : entry.person;
    Data row;
    row.set("person", entry.person);
    row.set("name", name);
    row.set("outcome", Outcome(entry, closed));
    Data boxes{Data::type::list};
    for (std::size_t i = 0; i < s.parts.size(); ++i) {
      const bool here = i < entry.present.size() && entry.present[i];
      Data box;
      box.set("field", PartField(entry.person, i));
      box.set("label", s.parts.size() == 1 ? std::string("Present")
                                           : "Part " + std::to_string(i + 1));
      box.set("name", name);
      box.set("checked", here);
      box.set("mark", here ? "Present" : "Absent");
      boxes.push_back(box);
    }
    if (std::ranges::any_of(entry.present, [](bool p) { return p; })) {
      ++present;
    }
    row.set("boxes", boxes);
    row.set("identity_field", Field("identity", entry.person));
    row.set("identity_checked", entry.identity_verified);
    row.set("evidence_field", Field("evidence", entry.person));
    row.set("evidence", entry.identity_evidence);
    row.set("token_field", Field("token", entry.person));
    row.set("token", entry.security_token);
    if (closed && service::MayManageArea(who.caller)) {
      row.set("correct", "/sessions/" + s.id + "/register/" +
                             http::PercentEncode(entry.person) + "/correct");
    }
    rows.push_back(row);
  }
  data.set("has_entries", !reg->entries.empty());
  data.set("entries", rows);
  data.set("count", std::to_string(reg->entries.size()));
  data.set("present", std::to_string(present));
  for (const auto& e : errors) SetText(data, e.field + "_error", e.message);
  std::string banner;
  if (done == "saved") banner = "The register is saved.";
  if (done == "closed") {
    banner = "The register is closed and the training records are written.";
  }
  if (done == "corrected") {
    banner = "The correction is saved and the training record follows it.";
  }
  return Page(status, "Register", Render("register", data), &who, "/sessions",
              errors, banner);
}

http::Response Site::MarkRegister(Store& store, const Visitor& who,
                                  const std::string& id,
                                  const http::Request& request) const {
  auto form = Posted(request, who);
  if (!form) return StaleForm(who);
  auto reg = service_->ReadRegister(store, who.caller, id);
  if (!reg) return Refused(reg.error(), &who);
  std::vector<FieldError> errors;
  for (const auto& entry : reg->entries) {
    RegisterMark mark;
    mark.person = entry.person;
    const auto parts = static_cast<std::size_t>(reg->parts);
    std::vector<bool> before = entry.present;
    before.resize(parts, false);
    for (std::size_t i = 0; i < parts; ++i) {
      mark.present.push_back(form->Get(PartField(entry.person, i)) == "yes");
    }
    mark.identity_verified =
        form->Get(Field("identity", entry.person)) == "yes";
    mark.identity_evidence =
        std::string(Trim(form->Get(Field("evidence", entry.person))));
    mark.security_token =
        std::string(Trim(form->Get(Field("token", entry.person))));
    // Saving marks everyone on the page (a box left clear is an absence,
    // which closing needs), but a mark already standing is not written
    // again: each mark is a change on the record.
    if (!entry.marked_at.empty() && mark.present == before &&
        mark.identity_verified == entry.identity_verified &&
        mark.identity_evidence == entry.identity_evidence &&
        mark.security_token == entry.security_token) {
      continue;
    }
    auto marked = service_->MarkRegister(store, who.caller, id, mark);
    if (marked) continue;
    if (marked.error().code == ErrorCode::kPermissionDenied ||
        marked.error().code == ErrorCode::kUnavailable) {
      return Refused(marked.error(), &who);
    }
    auto person = store.FindPerson(entry.person);
    const std::string name = person && *person ? (*person)->name : entry.person;
    errors.push_back(
        {PartField(entry.person, 0), name + ": " + marked.error().message});
  }
  if (!errors.empty()) return RegisterPage(store, who, id, "", errors, 409);
  return Redirect("/sessions/" + id + "/register?done=saved");
}

http::Response Site::CloseRegister(Store& store, const Visitor& who,
                                   const std::string& id,
                                   const http::Request& request) const {
  if (!Posted(request, who)) return StaleForm(who);
  auto closed = service_->CloseRegister(store, who.caller, id);
  if (!closed) {
    if (closed.error().code == ErrorCode::kFailedPrecondition) {
      return RegisterPage(store, who, id, "",
                          {{"close", closed.error().message}}, 409);
    }
    return Refused(closed.error(), &who);
  }
  return Redirect("/sessions/" + id + "/register?done=closed");
}

// One person's marks on a closed register, put right by a coordinator with
// the reason: the record it wrote is superseded, not rewritten.
http::Response Site::CorrectionPage(Store& store, const Visitor& who,
                                    const std::string& id,
                                    const std::string& person,
                                    const std::optional<Form>& posted,
                                    const std::vector<FieldError>& errors,
                                    int status) const {
  if (!service::MayManageArea(who.caller)) {
    return Refused(service::Forbidden(who.caller, "correct a closed register"),
                   &who);
  }
  auto reg = service_->ReadRegister(store, who.caller, id);
  if (!reg) return Refused(reg.error(), &who);
  const auto entry =
      std::ranges::find(reg->entries, person, &RegisterEntry::person);
  auto session = store.FindSession(id);
  if (!session) return Refused(session.error(), &who);
  if (entry == reg->entries.end() || !*session) {
    return Refused(
        Error{ErrorCode::kNotFound,
              "no place for '" + person + "' on session '" + id + "'",
              {}},
        &who);
  }
  const CourseSession& s = **session;
  auto found = store.FindPerson(person);
  if (!found) return Refused(found.error(), &who);
  const std::string name = *found ? (*found)->name : person;
  Data data;
  data.set("id", s.id);
  data.set("person", person);
  data.set("name", name);
  data.set("course", CourseName(service_->framework(), s.course));
  data.set("when", SessionDate(s));
  data.set("now", BookingLabel(entry->status).first);
  data.set("closed", !reg->closed_at.empty());
  data.set("identity", s.verify_identity);
  data.set("csrf_token", who.csrf_token);
  data.set("action", "/sessions/" + s.id + "/register/" +
                         http::PercentEncode(person) + "/correct");
  Data boxes{Data::type::list};
  for (std::size_t i = 0; i < s.parts.size(); ++i) {
    const std::string field = "present-" + std::to_string(i);
    const bool here = posted ? posted->Get(field) == "yes"
                             : i < entry->present.size() && entry->present[i];
    Data box;
    box.set("field", field);
    box.set("label", "Present at part " + std::to_string(i + 1));
    box.set("when", PartTimes(s.parts[i]));
    box.set("checked", here);
    boxes.push_back(box);
  }
  data.set("boxes", boxes);
  data.set("identity_checked", posted ? posted->Get("identity") == "yes"
                                      : entry->identity_verified);
  data.set("evidence",
           posted ? posted->Get("evidence") : entry->identity_evidence);
  data.set("token", posted ? posted->Get("token") : entry->security_token);
  data.set("reason", posted ? posted->Get("reason") : "");
  for (const auto& e : errors) SetText(data, e.field + "_error", e.message);
  return Page(status, "Correct the register", Render("correction", data), &who,
              "/sessions", errors);
}

http::Response Site::CorrectRegister(Store& store, const Visitor& who,
                                     const std::string& id,
                                     const std::string& person,
                                     const http::Request& request) const {
  auto form = Posted(request, who);
  if (!form) return StaleForm(who);
  auto session = store.FindSession(id);
  if (!session) return Refused(session.error(), &who);
  if (!*session) {
    return Refused(Error{ErrorCode::kNotFound, "no session '" + id + "'", {}},
                   &who);
  }
  RegisterMark mark;
  mark.person = person;
  for (std::size_t i = 0; i < (*session)->parts.size(); ++i) {
    mark.present.push_back(form->Get("present-" + std::to_string(i)) == "yes");
  }
  mark.identity_verified = form->Get("identity") == "yes";
  mark.identity_evidence = std::string(Trim(form->Get("evidence")));
  mark.security_token = std::string(Trim(form->Get("token")));
  const std::string reason(Trim(form->Get("reason")));
  if (reason.empty()) {
    return CorrectionPage(store, who, id, person, *form,
                          {{"reason", "Say why the register is corrected"}},
                          400);
  }
  auto corrected =
      service_->CorrectRegister(store, who.caller, id, mark, reason);
  if (!corrected) {
    const ErrorCode code = corrected.error().code;
    if (code == ErrorCode::kInvalidArgument ||
        code == ErrorCode::kFailedPrecondition) {
      return CorrectionPage(
          store, who, id, person, *form,
          {{"present-0", Capitalised(corrected.error().message)}}, 409);
    }
    return Refused(corrected.error(), &who);
  }
  return Redirect("/sessions/" + id + "/register?done=corrected");
}

}  // namespace trellis::web
