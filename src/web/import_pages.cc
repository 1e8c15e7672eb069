// Importing a CSV file in the browser [MISSION B]: a coordinator uploads the
// organisations, people or training records an HR system or agency sent
// (docs/import.md), reads what the import would do (every bad row named by
// line, field and value; or how many would be added, changed and left as
// they are) and confirms it. Nothing is written before the confirmation, and
// a file with a problem is never written. The file travels back with the
// confirmation (base64 in the form) so any server process can finish it.
#include <sodium.h>

#include <algorithm>

#include "domain/text.h"
#include "http/multipart.h"
#include "service/credentials.h"
#include "store/import.h"
#include "web/format.h"
#include "web/site.h"

namespace trellis::web {
namespace {

constexpr std::size_t kProblemsShown = 200;

std::string Base64(std::string_view bytes) {
  std::string text(
      sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL),
      '\0');
  sodium_bin2base64(text.data(), text.size(),
                    reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  text.resize(text.size() - 1);  // the terminating NUL
  return text;
}

std::optional<std::string> FromBase64(std::string_view text) {
  std::string bytes(text.size() / 4 * 3 + 3, '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()),
                        bytes.size(), text.data(), text.size(), nullptr,
                        &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  bytes.resize(length);
  return bytes;
}

const char* KindLabel(ImportKind kind) {
  switch (kind) {
    case ImportKind::kOrganisations:
      return "organisations";
    case ImportKind::kPeople:
      return "people";
    case ImportKind::kRecords:
      return "training records";
  }
  return "rows";
}

// The posted parts by name: the first of each.
std::string Part(const std::vector<http::FormPart>& parts,
                 std::string_view name) {
  const auto it = std::ranges::find(parts, name, &http::FormPart::name);
  return it == parts.end() ? "" : it->body;
}

std::string Counts(const WriteCounts& counts) {
  return std::to_string(counts.added) + " added, " +
         std::to_string(counts.changed) + " changed, " +
         std::to_string(counts.unchanged) + " unchanged";
}

}  // namespace

void Site::AddImportPages() {
  AddPage("GET", "/imports",
          [this](Store&, const Visitor& who, const http::Request& request,
                 const http::Params&) {
            return ImportsPage(who, request, "", {}, 200);
          });
  AddPage("POST", "/imports",
          [this](Store& store, const Visitor& who, const http::Request& request,
                 const http::Params&) {
            return CheckImport(store, who, request, /*confirm=*/false);
          });
  AddPage("POST", "/imports/confirm",
          [this](Store& store, const Visitor& who, const http::Request& request,
                 const http::Params&) {
            return CheckImport(store, who, request, /*confirm=*/true);
          });
}

http::Response Site::ImportsPage(const Visitor& who,
                                 const http::Request& request,
                                 const std::string& kind,
                                 const std::vector<FieldError>& errors,
                                 int status) const {
  if (!service::MayManageArea(who.caller)) {
    return Refused(service::Forbidden(who.caller, "import"), &who);
  }
  Data kinds{Data::type::list};
  for (const ImportKind k : {ImportKind::kPeople, ImportKind::kOrganisations,
                             ImportKind::kRecords}) {
    const std::string name = ImportKindName(k);
    Data item;
    item.set("value", name);
    item.set("label", Capitalised(KindLabel(k)));
    item.set("fields", Join(ImportFields(k), ", "));
    item.set("checked", name == (kind.empty() ? "people" : kind));
    kinds.push_back(item);
  }
  Data data;
  data.set("kinds", kinds);
  data.set("csrf_token", who.csrf_token);
  for (const auto& e : errors) SetText(data, e.field + "_error", e.message);
  std::string banner;
  if (request.Query("done").value_or("") == "imported") {
    banner =
        "Imported " + std::string(request.Query("what").value_or("rows")) +
        ": " + std::string(request.Query("added").value_or("0")) + " added, " +
        std::string(request.Query("changed").value_or("0")) + " changed, " +
        std::string(request.Query("unchanged").value_or("0")) + " unchanged.";
  }
  return Page(status, "Import a file", Render("imports", data), &who,
              "/imports", errors, banner);
}

http::Response Site::CheckImport(Store& store, const Visitor& who,
                                 const http::Request& request,
                                 bool confirm) const {
  auto parts = http::ParseMultipart(request.Header("content-type").value_or(""),
                                    request.body);
  if (!parts ||
      !service::SameSecret(Part(*parts, "csrf_token"), who.csrf_token)) {
    return StaleForm(who);
  }
  if (!service::MayManageArea(who.caller)) {
    return Refused(service::Forbidden(who.caller, "import"), &who);
  }
  const std::string kind_name = Part(*parts, "kind");
  const auto kind = ParseImportKind(kind_name);
  std::vector<FieldError> errors;
  if (!kind) {
    errors.push_back({"kind-people", "Choose what the file holds"});
  }
  std::string csv;
  std::string filename;
  if (confirm) {
    filename = Part(*parts, "filename");
    auto decoded = FromBase64(Part(*parts, "file"));
    if (!decoded) return StaleForm(who);
    csv = std::move(*decoded);
  } else {
    const auto file = std::ranges::find(*parts, "file", &http::FormPart::name);
    if (file == parts->end() || !file->is_file || file->filename.empty()) {
      errors.push_back({"file", "Choose a CSV file"});
    } else if (file->body.empty()) {
      errors.push_back({"file", "The file " + file->filename + " is empty"});
    } else {
      filename = file->filename;
      csv = file->body;
    }
  }
  if (!errors.empty()) return ImportsPage(who, request, kind_name, errors, 400);

  auto report = service_->Import(store, who.caller, *kind, csv, !confirm);
  if (!report) return Refused(report.error(), &who);
  if (confirm && report->written) {
    return Redirect(
        "/imports?done=imported&what=" + http::PercentEncode(KindLabel(*kind)) +
        "&added=" + std::to_string(report->counts.added) +
        "&changed=" + std::to_string(report->counts.changed) +
        "&unchanged=" + std::to_string(report->counts.unchanged));
  }
  Data data;
  data.set("filename", filename);
  data.set("what", KindLabel(*kind));
  data.set("kind", kind_name);
  data.set("rows", std::to_string(report->rows));
  data.set("csrf_token", who.csrf_token);
  if (report->unreadable) {
    data.set("unreadable", "Line " + std::to_string(report->unreadable->line) +
                               ", column " +
                               std::to_string(report->unreadable->column) +
                               ": " + report->unreadable->message);
  }
  Data problems{Data::type::list};
  for (std::size_t i = 0; i < report->problems.size() && i < kProblemsShown;
       ++i) {
    const ImportProblem& p = report->problems[i];
    Data row;
    row.set("line", std::to_string(p.line));
    row.set("field", p.field);
    row.set("value", p.value);
    row.set("reason", p.reason);
    problems.push_back(row);
  }
  data.set("problems", problems);
  data.set("has_problems", !report->problems.empty());
  data.set("problem_count", std::to_string(report->problems.size()));
  data.set("more_problems", report->problems.size() > kProblemsShown);
  data.set("good", report->Good());
  data.set("counts", Counts(report->counts));
  data.set("nothing_to_do", report->Good() && report->counts.added == 0 &&
                                report->counts.changed == 0);
  if (report->Good()) data.set("file", Base64(csv));
  // A confirmation that no longer passes (the area changed meanwhile) says
  // so in the report: nothing was written.
  data.set("changed_meanwhile", confirm);
  const bool bad = !report->Good();
  return Page(bad ? 422 : 200,
              bad ? "The file cannot be imported" : "Check the import",
              Render("import_report", data), &who, "/imports");
}

}  // namespace trellis::web
