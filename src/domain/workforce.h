// The workforce [MISSION B]: organisations with their readiness for a
// programme, people with their checks and attested experience, and training
// records that are never edited, only superseded. Plain value types; safe to
// copy and to read from many threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/calendar.h"

namespace trellis {

// One condition of a readiness checklist (one of ContactPoint's 28
// accreditation conditions [000 App. 3]) as an organisation stands on it.
struct ReadinessCondition {
  int number = 0;    // 1-based position in the checklist
  std::string text;  // as the checklist words it, when known
  bool met = false;
  std::string evidence;  // what shows it is met
  std::optional<Date> date;
};

// An organisation's state against one readiness checklist of the framework.
struct Readiness {
  std::string
      checklist;  // ReadinessChecklist id, e.g. "contactpoint-accreditation"
  std::vector<ReadinessCondition> conditions;
};

// An agency of the partnership [000 roll-out table, 004].
struct Organisation {
  std::string id;
  std::string name;
  std::string sector;  // a framework sector id, or "other"
  std::string type;
  std::string case_management_system;  // e.g. "Care First", "Web browser"
  std::string locality;
  std::optional<Date> isp_signed;  // information sharing protocol [004]
  std::vector<Readiness> readiness;
};

// A dated non-training check [000 pre-requisites]: identity (with what was
// seen), enhanced CRB/DBS (issue date), IT competence, application form.
struct CheckRecord {
  std::string check;  // a framework check id
  Date date;
  std::string detail;  // e.g. "photo ID, utility bill, nomination form"
};

// Recognised prior learning or experience, attested by someone [001 IS05, 002
// §13].
struct Experience {
  std::string area;   // a process id or words, e.g. "information-sharing"
  std::string level;  // e.g. "very experienced"
  std::optional<int> years;
  std::string attested_by;  // who attests it, e.g. a manager's person id
};

// A member of the workforce: nothing more personal than their work needs.
struct Person {
  std::string id;
  std::string name;
  std::string email;  // work email
  std::string organisation;
  std::string role;  // a framework role id, or empty
  std::vector<std::string> audiences;
  std::string manager;  // a person id, or empty
  std::string locality;
  std::optional<Date> start_date;
  std::vector<CheckRecord> checks;
  std::vector<Experience> experience;
};

// kWithdrawn only supersedes: the record it corrects should not have been
// made (a register that marked someone present who was not there).
enum class TrainingOutcome {
  kCompleted,
  kPassed,
  kFailed,
  kPartlyAttended,
  kWithdrawn
};
enum class RecordSource {
  kSession,
  kELearning,
  kExternal,
  kSingleAgency,
  kImport
};

// "completed", "passed", "failed", "partly-attended", "withdrawn"; and back.
const char* TrainingOutcomeName(TrainingOutcome outcome);
std::optional<TrainingOutcome> ParseTrainingOutcome(std::string_view name);
// "session", "e-learning", "external", "single-agency", "import"; and back.
const char* RecordSourceName(RecordSource source);
std::optional<RecordSource> ParseRecordSource(std::string_view name);

// What a person did, under which version of a module. Never edited or deleted:
// a correction is a new record naming the one it supersedes, with who and why.
struct TrainingRecord {
  std::string id;
  std::string person;
  std::string module;          // module ref
  std::string module_version;  // the version it was earned under
  Date date;
  TrainingOutcome outcome = TrainingOutcome::kCompleted;
  RecordSource source = RecordSource::kSession;
  std::string evidence;
  std::string supersedes;  // a record id, or empty
  std::string recorded_by;
  std::string reason;  // why, for a correction
};

// A whole area's workforce as the store holds it: what the needs engine and
// the demo generator work over.
struct Workforce {
  std::vector<Organisation> organisations;
  std::vector<Person> people;
  std::vector<TrainingRecord> records;
};

// True for outcomes that count as having done the module.
bool Counts(TrainingOutcome outcome);

// The records still in force: those no later record supersedes.
std::vector<const TrainingRecord*> CurrentRecords(
    const std::vector<TrainingRecord>& records);

}  // namespace trellis
