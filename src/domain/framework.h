// The training framework as data [MISSION A]: programmes, processes, modules,
// courses, audiences, rules, competency frameworks and standards, loaded from
// files a coordinator can review. Plain value types; a loaded Framework is
// immutable and safe to read from many threads.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/calendar.h"
#include "domain/condition.h"
#include "domain/duration.h"
#include "domain/source.h"

namespace trellis {

struct FrameworkInfo {
  std::string id;
  std::string title;
  std::string version;
  std::string source;  // the document it carries over, e.g. "[001] DfES 2006"
  std::string description;
  std::optional<Date> published;
  std::optional<Date> approved;
  std::optional<Date> next_review;
  DateRange period;  // the years the framework covers, if it says
  SourcePos pos;
};

// Audiences [001 App. 1], workforce sectors [000 Programme Design 4], roles.
struct Audience {
  std::string id;
  std::string name;
  std::string description;
  SourcePos pos;
};
struct Sector {
  std::string id;
  std::string name;
  SourcePos pos;
};
struct Role {
  std::string id;
  std::string name;
  std::string description;
  std::vector<Ref> audiences;  // the audiences a person in this role belongs to
  SourcePos pos;
};

// A process or tool: integrated working, information sharing, CAF, ...
// [001 1.11].
struct Process {
  std::string id;
  std::string name;
  std::string abbreviation;
  std::string description;
  SourcePos pos;
};

struct Phase {
  std::string id;
  std::string name;
  DateRange dates;
  std::optional<int> target;  // people to be trained in the phase
  SourcePos pos;
};

// A programme covers several processes [001 1.11], over a period, maybe in
// phases.
struct Programme {
  std::string id;
  std::string name;
  std::string description;
  std::vector<Ref> processes;
  DateRange period;
  std::vector<Phase> phases;
  SourcePos pos;
};

struct CommonMessage {  // [001 3.2]
  std::string id;
  std::string text;
  SourcePos pos;
};
struct ContentSection {  // the standard course content [001 2.5]
  std::string id;
  std::string text;
  SourcePos pos;
};

// What a module or course covers of the standard content and common messages.
struct Coverage {
  std::vector<Ref> course_content;
  std::vector<Ref> common_messages;
};

enum class Delivery {
  kClassroom,
  kPresentation,
  kWorkshop,
  kSelfStudy,
  kELearning,
  kCbt,
  kBlended,
  kOnlineTest,
};
const char* DeliveryName(Delivery delivery);  // "classroom", "e-learning", ...
// The delivery mechanism with this name, as framework files write it.
std::optional<Delivery> ParseDelivery(std::string_view name);
// Every delivery mechanism's name, in declaration order.
std::span<const std::string_view> DeliveryNames();

// A test that certifies: "30 (timed) multiple choice questions" [000 §1].
struct Assessment {
  std::string
      kind;  // "timed-multiple-choice", "pre-course", "post-course", ...
  std::optional<int> questions;
  std::optional<int> minutes;       // time limit; unknown when absent
  std::optional<int> pass_percent;  // unknown when absent
  std::optional<Ref> certifies;     // a certification id
  SourcePos pos;
};

// A training module [001 App. 2]. Fields the source leaves unknown stay empty
// or absent; `unknown` names them so that nothing is ever invented.
struct Module {
  std::string ref;  // e.g. "IS02"
  std::string version;
  std::string name;
  Ref process;
  std::string description;
  bool all_audiences = false;  // "Intended Audience: All"
  std::vector<Ref> audiences;
  std::vector<Ref> optional_audiences;
  std::string audience_note;  // the intended audience as the source words it
  bool separate_audiences =
      false;  // keep audiences in separate sessions [001 IW02]
  bool system_specific = false;  // trained per case-management system [000]
  std::vector<std::string> objectives;
  std::vector<std::string> content;
  std::vector<Delivery> delivery;
  std::string delivery_note;
  std::optional<Duration> duration;
  std::string duration_text;               // as written in the file
  std::string development;                 // development responsibility
  std::optional<Condition> sequencing;     // the suggested order [001]
  std::optional<Condition> prerequisites;  // must hold before booking [000]
  std::optional<Period> validity;          // a refresher is due after this
  std::optional<Assessment> assessment;
  Coverage covers;
  std::string source;
  std::vector<std::string> notes;
  std::vector<std::string> unknown;  // fields the source leaves unknown
  SourcePos pos;
};

struct Material {  // course materials [001 3.1]
  std::string
      kind;  // outline, specification, training-materials, trainer-guide
  std::string version;
  std::string file;
  SourcePos pos;
};

// A course: one or more modules for an audience, focused on one process
// [001 1.12].
struct Course {
  std::string id;
  std::string name;
  Ref process;
  std::string description;
  std::vector<Ref> modules;
  std::vector<Ref> audiences;
  Coverage covers;
  std::optional<Condition> prerequisites;
  std::vector<Material> materials;
  std::string source;
  SourcePos pos;
};

// A non-training pre-requisite: identity check, enhanced DBS, IT competence
// [000].
struct Check {
  std::string id;
  std::string name;
  std::string description;
  std::vector<std::string> evidence;
  std::optional<Period> valid_for;
  std::string source;
  SourcePos pos;
};

// The conditions an employing organisation must meet before its staff may train
// for a programme: the 28 ContactPoint accreditation conditions [000 App. 3].
struct ReadinessChecklist {
  std::string id;
  std::string name;
  Ref programme;  // a programme or process id
  std::optional<int> condition_count;
  std::vector<std::string>
      conditions;  // empty when the source does not name them
  std::string source;
  SourcePos pos;
};

// Whom a rule is about. Empty lists with `everyone` false mean nobody.
struct Who {
  bool everyone = false;
  std::vector<Ref> audiences;
  std::vector<Ref> roles;
  std::vector<Ref> sectors;
  SourcePos pos;
};

enum class RequirementLevel { kRequired, kRecommended };

// What an audience or role is required or recommended to take.
struct Requirement {
  std::string id;
  Who who;
  RequirementLevel level = RequirementLevel::kRecommended;
  Condition take;  // modules or courses; any_of gives alternatives, the first
                   // preferred
  std::optional<Period> refresh;  // "if not completed within the last 3 years"
  std::string source;
  SourcePos pos;
};

// Who goes first for places: "ContactPoint users ... where capacity allows
// others may be accepted" [000 §2 Roll out].
struct PriorityGroup {
  std::string id;
  std::string name;
  Who who;
  std::vector<Ref> applies_to;  // modules or courses
  std::string note;
  SourcePos pos;
};

// "Only Level 1 certified users can train others ... local authorities need
// Level 1 users certified in each role at all times" [000 §1].
struct Certification {
  std::string id;
  std::string name;
  std::optional<Ref> by;  // the module whose assessment certifies
  std::vector<Ref> roles;
  std::optional<int> minimum_per_role;
  std::string note;
  SourcePos pos;
};

// The Dreyfus stages [002 §8, §12], in order.
enum class DreyfusStage {
  kNovice,
  kAdvancedBeginner,
  kCompetent,
  kProficient,
  kExpert
};
const char* DreyfusStageId(
    DreyfusStage stage);  // "novice", "advanced-beginner", ...

struct CompetencyStage {
  DreyfusStage stage = DreyfusStage::kNovice;
  std::string name;
  std::vector<std::string> core_skills;
  std::vector<Ref> courses;  // modules or courses offered at this stage
  SourcePos pos;
};
struct CompetencyFramework {
  std::string id;
  std::string name;
  std::string source;
  std::vector<CompetencyStage> stages;
  SourcePos pos;
};

// A named list of items: skills or knowledge under a heading.
struct ItemGroup {
  std::string name;
  std::vector<std::string> items;
};

struct CommonCoreArea {
  std::string id;
  std::string name;
  std::string description;
  std::vector<ItemGroup> skills;
  std::vector<ItemGroup> knowledge;
  SourcePos pos;
};
// Common core skills and knowledge: 6 areas [000 §2], 9 areas [002 App. 2].
struct CommonCore {
  std::string id;
  std::string name;
  std::string source;
  std::vector<CommonCoreArea> areas;
  SourcePos pos;
};

struct Topic {
  std::string ref;  // "4.1" where the source numbers it
  std::string text;
};
// Learning outcomes and topics for one target group [003].
struct TargetGroupOutcomes {
  std::string id;
  std::string name;
  std::string description;
  std::vector<Ref> audiences;
  std::vector<std::string> outcomes;
  std::vector<Topic> topics;
  std::string source;
  SourcePos pos;
};

// A trainer competency [002 §13]: knowledge, skills, experience, how measured.
struct TrainerCompetency {
  std::string id;
  std::string name;
  std::vector<std::string> knowledge;
  std::vector<std::string> skills;
  std::vector<std::string> experience;
  std::vector<std::string> measured_by;
  std::optional<int> minimum_years_experience;
  SourcePos pos;
};

struct StandardItem {
  std::string id;
  std::string text;
  std::optional<Condition> condition;  // where the standard is a pre-requisite
};
// A list of standards: minimum standards for training or for attendance [002
// §10, §12].
struct Standard {
  std::string id;
  std::string name;
  std::string applies_to;
  std::vector<StandardItem> items;
  std::string source;
  SourcePos pos;
};

struct Framework {
  FrameworkInfo info;
  std::string directory;  // where its files were loaded from
  std::vector<Audience> audiences;
  std::vector<Sector> sectors;
  std::vector<Role> roles;
  std::vector<Process> processes;
  std::vector<Programme> programmes;
  std::vector<CommonMessage> common_messages;
  std::vector<ContentSection> course_content;
  std::vector<Module> modules;
  std::vector<Course> courses;
  std::vector<Check> checks;
  std::vector<ReadinessChecklist> readiness;
  std::vector<Requirement> requirements;
  std::vector<PriorityGroup> priority_groups;
  std::vector<Certification> certifications;
  std::vector<CompetencyFramework> competency_frameworks;
  std::vector<CommonCore> common_core;
  std::vector<TargetGroupOutcomes> learning_outcomes;
  std::vector<TrainerCompetency> trainer_competencies;
  std::vector<Standard> standards;

  // Lookups by id; nullptr when absent. Linear: frameworks hold hundreds of
  // items.
  const Module* FindModule(std::string_view ref) const;
  const Course* FindCourse(std::string_view id) const;
  const Audience* FindAudience(std::string_view id) const;
  const Process* FindProcess(std::string_view id) const;

  // The modules a module or course reference stands for: the module itself, or
  // the course's modules in order; empty when the reference names neither.
  std::vector<const Module*> ModulesOf(std::string_view ref) const;
  // The modules an alternative's completed-training atoms stand for, each once,
  // in order; checks, experience and the like name no module.
  std::vector<const Module*> ModulesOf(const Alternative& alternative) const;
};

}  // namespace trellis
