#include "store/import.h"

#include <algorithm>
#include <set>

#include "domain/text.h"

namespace trellis {
namespace {

const std::vector<std::string> kOrganisationFields = {
    "org_id",   "name",           "sector", "type", "case_management_system",
    "locality", "isp_signed_date"};
const std::vector<std::string> kPeopleFields = {
    "person_id",  "name",          "email",      "org_id",
    "role",       "audiences",     "manager_id", "locality",
    "start_date", "id_check_date", "dbs_date",   "it_competent"};
const std::vector<std::string> kRecordFields = {
    "person_id", "module", "date", "outcome", "source", "evidence"};

// The check ids the people file fills, where the framework defines them.
constexpr std::string_view kIdentityCheck = "identity";
constexpr std::string_view kItCheck = "it-competence";

// Reads one row's fields by name, recording problems against its line.
class Row {
 public:
  Row(const CsvRow& row, const std::map<std::string, size_t>& index,
      std::vector<ImportProblem>& problems)
      : row_(row), index_(index), problems_(problems) {}

  std::string Get(const std::string& field) const {
    auto it = index_.find(field);
    if (it == index_.end() || it->second >= row_.fields.size()) return {};
    return std::string(Trim(row_.fields[it->second]));
  }
  void Problem(const std::string& field, const std::string& value,
               std::string reason) {
    problems_.push_back({row_.line, field, value, std::move(reason)});
    ok_ = false;
  }
  std::string Required(const std::string& field) {
    std::string value = Get(field);
    if (value.empty()) Problem(field, value, "is required");
    return value;
  }
  std::optional<Date> OptionalDate(const std::string& field) {
    const std::string value = Get(field);
    if (value.empty()) return std::nullopt;
    auto date = ParseUkOrIsoDate(value);
    if (!date) {
      Problem(field, value, date.error());
      return std::nullopt;
    }
    return *date;
  }
  bool ok() const { return ok_; }
  int line() const { return row_.line; }

 private:
  const CsvRow& row_;
  const std::map<std::string, size_t>& index_;
  std::vector<ImportProblem>& problems_;
  bool ok_ = true;
};

// "did you mean" for an id among the framework's.
std::string Unknown(const char* kind, const std::string& value,
                    const std::vector<std::string>& known) {
  std::string reason =
      std::string("no ") + kind + " of that id in the framework";
  if (auto near = SuggestClosest(value, known))
    reason += "; did you mean '" + *near + "'?";
  return reason;
}

template <typename T>
std::vector<std::string> Ids(const std::vector<T>& items) {
  std::vector<std::string> ids;
  ids.reserve(items.size());
  for (const auto& item : items) ids.push_back(item.id);
  return ids;
}

bool Contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

bool LooksLikeEmail(const std::string& email) {
  const size_t at = email.find('@');
  if (at == std::string::npos || at == 0 ||
      email.find('@', at + 1) != std::string::npos) {
    return false;
  }
  const std::string_view domain = std::string_view(email).substr(at + 1);
  const size_t dot = domain.find('.');
  return dot != std::string_view::npos && dot > 0 && dot + 1 < domain.size() &&
         email.find_first_of(" \t,;") == std::string::npos;
}

std::optional<bool> ParseYesNo(const std::string& text) {
  const std::string v = ToLower(text);
  if (v == "yes" || v == "y" || v == "true" || v == "1") return true;
  if (v == "no" || v == "n" || v == "false" || v == "0") return false;
  return std::nullopt;
}

// "Partly Attended" -> "partly-attended": how the enum names are written.
std::string AsName(const std::string& text) {
  std::string v = ToLower(text);
  std::replace(v.begin(), v.end(), ' ', '-');
  return v;
}

std::optional<TrainingOutcome> ParseOutcome(const std::string& text) {
  const std::string v = AsName(text);
  if (v == "complete") return TrainingOutcome::kCompleted;
  if (v == "pass") return TrainingOutcome::kPassed;
  if (v == "fail") return TrainingOutcome::kFailed;
  if (v == "partial" || v == "partly") return TrainingOutcome::kPartlyAttended;
  // A withdrawal only ever supersedes a record: it is not a row of its own.
  if (v == "withdrawn") return std::nullopt;
  return ParseTrainingOutcome(v);
}

std::string DbsCheckId(const Framework& framework) {
  for (const char* id : {"enhanced-dbs", "enhanced-crb"}) {
    for (const auto& c : framework.checks) {
      if (c.id == id) return id;
    }
  }
  return "enhanced-dbs";
}

void ReadOrganisation(Row& row, const Framework& fw, ImportBatch& batch) {
  Organisation org;
  org.id = row.Required("org_id");
  org.name = row.Required("name");
  const std::string sector = row.Required("sector");
  if (!sector.empty()) {
    // A sector by id, or by its name as a spreadsheet would write it.
    for (const auto& s : fw.sectors) {
      if (s.id == ToLower(sector) || ToLower(s.name) == ToLower(sector))
        org.sector = s.id;
    }
    if (ToLower(sector) == "other") org.sector = "other";
    if (org.sector.empty()) {
      auto ids = Ids(fw.sectors);
      ids.emplace_back("other");
      row.Problem("sector", sector, Unknown("sector", sector, ids));
    }
  }
  org.type = row.Get("type");
  org.case_management_system = row.Get("case_management_system");
  org.locality = row.Get("locality");
  org.isp_signed = row.OptionalDate("isp_signed_date");
  if (row.ok()) batch.organisations.push_back(std::move(org));
}

void ReadPerson(Row& row, const Framework& fw, const Date& today,
                ImportBatch& batch) {
  Person p;
  p.id = row.Required("person_id");
  p.name = row.Required("name");
  p.email = row.Required("email");
  if (!p.email.empty() && !LooksLikeEmail(p.email)) {
    row.Problem("email", p.email, "is not an email address");
  }
  p.organisation = row.Required("org_id");
  p.role = row.Get("role");
  if (!p.role.empty() && !Contains(Ids(fw.roles), p.role)) {
    row.Problem("role", p.role, Unknown("role", p.role, Ids(fw.roles)));
  }
  const std::string audiences = row.Get("audiences");
  std::string rest = audiences;
  std::replace(rest.begin(), rest.end(), ';', ' ');
  for (const auto& a : SplitWords(rest)) {
    if (!Contains(Ids(fw.audiences), a)) {
      row.Problem("audiences", audiences,
                  "'" + a + "': " + Unknown("audience", a, Ids(fw.audiences)));
    } else if (!Contains(p.audiences, a)) {
      p.audiences.push_back(a);
    }
  }
  p.manager = row.Get("manager_id");
  if (!p.manager.empty() && p.manager == p.id) {
    row.Problem("manager_id", p.manager,
                "a person cannot be their own manager");
  }
  p.locality = row.Get("locality");
  p.start_date = row.OptionalDate("start_date");
  if (auto d = row.OptionalDate("id_check_date")) {
    p.checks.push_back({std::string(kIdentityCheck), *d, "imported"});
  }
  if (auto d = row.OptionalDate("dbs_date"))
    p.checks.push_back({DbsCheckId(fw), *d, "issue date"});
  const std::string it = row.Get("it_competent");
  if (!it.empty()) {
    auto yes = ParseYesNo(it);
    if (!yes) {
      row.Problem("it_competent", it, "expected yes or no");
    } else if (*yes) {
      p.checks.push_back(
          {std::string(kItCheck), today, std::string(kUndatedCheckDetail)});
    }
  }
  for (const auto& c : p.checks) {
    if (c.date > today) {
      row.Problem(c.check == kIdentityCheck ? "id_check_date" : "dbs_date",
                  FormatIsoDate(c.date), "is in the future");
    }
  }
  if (row.ok()) batch.people.push_back(std::move(p));
}

void ReadRecord(Row& row, const Framework& fw, const Date& today,
                ImportBatch& batch) {
  TrainingRecord r;
  r.person = row.Required("person_id");
  r.module = row.Required("module");
  const Module* module = fw.FindModule(r.module);
  if (!r.module.empty() && module == nullptr) {
    std::vector<std::string> refs;
    for (const auto& m : fw.modules) refs.push_back(m.ref);
    row.Problem("module", r.module, Unknown("module", r.module, refs));
  }
  if (module != nullptr) r.module_version = module->version;
  const std::string date = row.Required("date");
  if (!date.empty()) {
    auto parsed = ParseUkOrIsoDate(date);
    if (!parsed) {
      row.Problem("date", date, parsed.error());
    } else if (*parsed > today) {
      row.Problem("date", date, "is in the future");
    } else {
      r.date = *parsed;
    }
  }
  const std::string outcome = row.Required("outcome");
  if (!outcome.empty()) {
    if (auto o = ParseOutcome(outcome)) {
      r.outcome = *o;
    } else {
      row.Problem("outcome", outcome,
                  "expected completed, passed, failed or partly-attended");
    }
  }
  const std::string source = row.Get("source");
  r.source = RecordSource::kImport;
  if (!source.empty()) {
    if (auto parsed = ParseRecordSource(AsName(source))) {
      r.source = *parsed;
    } else {
      row.Problem(
          "source", source,
          "expected session, e-learning, external, single-agency or import");
    }
  }
  r.evidence = row.Get("evidence");
  if (!row.ok()) return;
  r.id = "import:" + r.person + ":" + r.module + ":" + FormatIsoDate(r.date) +
         ":" + TrainingOutcomeName(r.outcome);
  // recorded_by stays empty: the store writes down who ran the import.
  batch.records.push_back(std::move(r));
}

}  // namespace

std::optional<ImportKind> ParseImportKind(std::string_view name) {
  if (name == "organisations") return ImportKind::kOrganisations;
  if (name == "people") return ImportKind::kPeople;
  if (name == "records") return ImportKind::kRecords;
  return std::nullopt;
}

const char* ImportKindName(ImportKind kind) {
  switch (kind) {
    case ImportKind::kOrganisations:
      return "organisations";
    case ImportKind::kPeople:
      return "people";
    case ImportKind::kRecords:
      return "records";
  }
  return "records";
}

const std::vector<std::string>& ImportFields(ImportKind kind) {
  switch (kind) {
    case ImportKind::kOrganisations:
      return kOrganisationFields;
    case ImportKind::kPeople:
      return kPeopleFields;
    case ImportKind::kRecords:
      return kRecordFields;
  }
  return kRecordFields;
}

std::string FormatImportProblem(const std::string& file,
                                const ImportProblem& p) {
  return file + ":" + std::to_string(p.line) + ": field '" + p.field +
         "': value '" + p.value + "': " + p.reason;
}

ImportBatch ReadImport(ImportKind kind, const CsvTable& table,
                       const ColumnMap& columns, const Framework& framework,
                       const Date& today) {
  ImportBatch batch;
  const auto& fields = ImportFields(kind);
  // Where each field is: its mapped column, else the column of its own name.
  std::map<std::string, size_t> index;
  std::set<std::string> used_columns;
  for (const auto& [field, column] : columns) {
    if (!Contains(fields, field)) {
      batch.problems.push_back({1, field, column,
                                Unknown("field", field, fields) +
                                    " (fields: " + Join(fields, ", ") + ")"});
    }
  }
  for (const auto& field : fields) {
    auto mapped = columns.find(field);
    const std::string column =
        mapped != columns.end() ? ToLower(mapped->second) : field;
    auto it = std::find(table.header.begin(), table.header.end(), column);
    if (it != table.header.end()) {
      index[field] = static_cast<size_t>(it - table.header.begin());
      used_columns.insert(column);
    }
  }
  const std::vector<std::string> required =
      kind == ImportKind::kOrganisations
          ? std::vector<std::string>{"org_id", "name", "sector"}
      : kind == ImportKind::kPeople
          ? std::vector<std::string>{"person_id", "name", "email", "org_id"}
          : std::vector<std::string>{"person_id", "module", "date", "outcome"};
  for (const auto& field : required) {
    if (!index.contains(field)) {
      batch.problems.push_back(
          {1, field, "",
           "the file has no column '" + field +
               "'; name one so, or map one with --map COLUMN=" + field});
    }
  }
  // A column that is nearly a field's name is probably meant to be it.
  for (const auto& column : table.header) {
    if (used_columns.contains(column)) continue;
    if (auto near = SuggestClosest(column, fields);
        near && !index.contains(*near)) {
      batch.problems.push_back({1, *near, column,
                                "column '" + column + "' looks like '" + *near +
                                    "'; rename it or map it with --map " +
                                    column + "=" + *near});
    }
  }
  if (!batch.problems.empty()) return batch;

  std::map<std::string, int>
      first_line;  // id -> line, to find an id given twice
  for (const auto& csv_row : table.rows) {
    Row row(csv_row, index, batch.problems);
    if (csv_row.fields.size() > table.header.size()) {
      row.Problem("(row)", std::to_string(csv_row.fields.size()) + " fields",
                  "more fields than the header's " +
                      std::to_string(table.header.size()) +
                      "; is a comma missing its quotes?");
      continue;
    }
    std::string id;
    switch (kind) {
      case ImportKind::kOrganisations:
        id = row.Get("org_id");
        ReadOrganisation(row, framework, batch);
        break;
      case ImportKind::kPeople:
        id = row.Get("person_id");
        ReadPerson(row, framework, today, batch);
        break;
      case ImportKind::kRecords:
        ReadRecord(row, framework, today, batch);
        if (!batch.records.empty() && row.ok()) id = batch.records.back().id;
        break;
    }
    if (id.empty()) continue;
    auto [it, fresh] = first_line.emplace(id, csv_row.line);
    if (fresh) batch.lines.emplace(id, csv_row.line);
    if (!fresh) {
      const char* field = kind == ImportKind::kOrganisations ? "org_id"
                          : kind == ImportKind::kPeople      ? "person_id"
                                                             : "(row)";
      row.Problem(field, id,
                  "given twice; first on line " + std::to_string(it->second));
    }
  }
  return batch;
}

}  // namespace trellis
