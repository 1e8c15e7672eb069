// The framework browser [MISSION A]: the area's training framework as its
// people read it: every module, the courses that teach them with what each
// course covers of the standard content and common messages, the audience ×
// process matrix, and each audience's suggested route with why each step
// comes where it does. Read by everyone signed in; the framework is the
// area's published policy.
#include <algorithm>

#include "domain/condition.h"
#include "domain/duration.h"
#include "domain/text.h"
#include "engine/course_check.h"
#include "engine/matrix.h"
#include "engine/route.h"
#include "web/format.h"
#include "web/site.h"

namespace trellis::web {
namespace {

std::string Names(const Framework& framework, const std::vector<Ref>& refs) {
  std::string text;
  for (const auto& ref : refs) {
    if (!text.empty()) text += ", ";
    const auto it =
        std::ranges::find(framework.audiences, ref.id, &Audience::id);
    text += it != framework.audiences.end() ? it->name : ref.id;
  }
  return text;
}

std::string ProcessName(const Framework& framework, const std::string& id) {
  const auto it = std::ranges::find(framework.processes, id, &Process::id);
  return it != framework.processes.end() ? it->name : id;
}

Data Strings(const std::vector<std::string>& items) {
  Data list{Data::type::list};
  for (const auto& item : items) list.push_back(Data(item));
  return list;
}

}  // namespace

void Site::AddFrameworkPages() {
  AddPage("GET", "/framework",
          [this](Store&, const Visitor& who, const http::Request& request,
                 const http::Params&) { return FrameworkPage(who, request); });
  AddPage("GET", "/framework/modules/{ref}",
          [this](Store&, const Visitor& who, const http::Request&,
                 const http::Params& params) {
            return ModulePage(who, std::string(params.Get("ref")));
          });
  AddPage("GET", "/framework/courses/{id}",
          [this](Store&, const Visitor& who, const http::Request&,
                 const http::Params& params) {
            return CoursePage(who, std::string(params.Get("id")));
          });
}

http::Response Site::FrameworkPage(const Visitor& who,
                                   const http::Request& request) const {
  const Framework& framework = service_->framework();
  Data data;
  data.set("title", framework.info.title);
  SetText(data, "version", framework.info.version);
  SetText(data, "source", framework.info.source);
  SetText(data, "description", framework.info.description);

  Data modules{Data::type::list};
  for (const auto& m : framework.modules) {
    Data row;
    row.set("ref", m.ref);
    row.set("name", m.name);
    row.set("process", ProcessName(framework, m.process.id));
    std::string delivery;
    for (const Delivery d : m.delivery) {
      if (!delivery.empty()) delivery += ", ";
      delivery += DeliveryName(d);
    }
    row.set("delivery", delivery);
    row.set("duration", m.duration ? FormatDuration(*m.duration) : "");
    row.set("validity", m.validity ? FormatPeriod(*m.validity) : "");
    modules.push_back(row);
  }
  data.set("modules", modules);
  Data courses{Data::type::list};
  for (const auto& c : framework.courses) {
    Data row;
    row.set("id", c.id);
    row.set("name", c.name);
    std::vector<std::string> refs;
    for (const auto& m : c.modules) refs.push_back(m.id);
    row.set("modules", Join(refs, ", "));
    row.set("audiences", Names(framework, c.audiences));
    courses.push_back(row);
  }
  data.set("courses", courses);
  data.set("has_courses", !framework.courses.empty());

  // The matrix: audiences down, processes across.
  const Matrix matrix = BuildMatrix(framework);
  Data heads{Data::type::list};
  for (const Process* p : matrix.processes) {
    heads.push_back(Data(p->abbreviation.empty() ? p->name : p->abbreviation));
  }
  data.set("processes", heads);
  Data rows{Data::type::list};
  for (std::size_t a = 0; a < matrix.audiences.size(); ++a) {
    Data row;
    row.set("audience", matrix.audiences[a]->name);
    Data cells{Data::type::list};
    for (std::size_t p = 0; p < matrix.processes.size(); ++p) {
      Data cell{Data::type::list};
      for (const Module* m : matrix.At(a, p).modules) {
        Data item;
        item.set("ref", m->ref);
        cell.push_back(item);
      }
      Data wrapped;
      wrapped.set("modules", cell);
      cells.push_back(wrapped);
    }
    row.set("cells", cells);
    rows.push_back(row);
  }
  data.set("matrix", rows);

  // A route: the audience asked for, else the first.
  std::string audience(request.Query("audience").value_or(""));
  if (std::ranges::find(framework.audiences, audience, &Audience::id) ==
          framework.audiences.end() &&
      !framework.audiences.empty()) {
    audience = framework.audiences.front().id;
  }
  Data audiences{Data::type::list};
  for (const auto& a : framework.audiences) {
    Data item;
    item.set("id", a.id);
    item.set("name", a.name);
    item.set("selected", a.id == audience);
    audiences.push_back(item);
  }
  data.set("audiences", audiences);
  if (!audience.empty()) {
    auto route = BuildRoute(framework, audience);
    if (route) {
      Data steps{Data::type::list};
      for (const auto& step : route->steps) {
        Data item;
        item.set("ref", step.module->ref);
        item.set("name", step.module->name);
        SetText(item, "why", step.why);
        item.set("unsatisfiable", !step.satisfiable);
        steps.push_back(item);
      }
      data.set("steps", steps);
      data.set("has_steps", !route->steps.empty());
      std::vector<std::string> problems;
      for (const auto& f : route->problems) problems.push_back(f.message);
      data.set("route_problems", Strings(problems));
    }
  }
  return Page(200, "The framework", Render("framework", data), &who,
              "/framework");
}

http::Response Site::ModulePage(const Visitor& who,
                                const std::string& ref) const {
  const Framework& framework = service_->framework();
  const Module* m = framework.FindModule(ref);
  if (m == nullptr) {
    return Refused(Error{ErrorCode::kNotFound, "no module '" + ref + "'", {}},
                   &who);
  }
  Data data;
  data.set("ref", m->ref);
  data.set("name", m->name);
  SetText(data, "version", m->version);
  data.set("process", ProcessName(framework, m->process.id));
  SetText(data, "description", m->description);
  data.set("audiences", m->all_audiences ? std::string("Everyone")
                                         : Names(framework, m->audiences));
  SetText(data, "audience_note", m->audience_note);
  data.set("objectives", Strings(m->objectives));
  data.set("has_objectives", !m->objectives.empty());
  data.set("content", Strings(m->content));
  data.set("has_content", !m->content.empty());
  std::string delivery;
  for (const Delivery d : m->delivery) {
    if (!delivery.empty()) delivery += ", ";
    delivery += DeliveryName(d);
  }
  SetText(data, "delivery", delivery);
  SetText(data, "delivery_note", m->delivery_note);
  SetText(data, "duration",
          m->duration ? FormatDuration(*m->duration) : m->duration_text);
  SetText(data, "sequencing",
          m->sequencing ? DescribeCondition(*m->sequencing) : "");
  SetText(data, "prerequisites",
          m->prerequisites ? DescribeCondition(*m->prerequisites) : "");
  SetText(data, "validity", m->validity ? FormatPeriod(*m->validity) : "");
  SetText(data, "source", m->source);
  data.set("unknown", Strings(m->unknown));
  data.set("has_unknown", !m->unknown.empty());
  Data courses{Data::type::list};
  for (const auto& c : framework.courses) {
    if (std::ranges::none_of(c.modules,
                             [&](const Ref& r) { return r.id == m->ref; })) {
      continue;
    }
    Data item;
    item.set("id", c.id);
    item.set("name", c.name);
    courses.push_back(item);
  }
  data.set("courses", courses);
  return Page(200, m->ref + " " + m->name, Render("module", data), &who,
              "/framework");
}

http::Response Site::CoursePage(const Visitor& who,
                                const std::string& id) const {
  const Framework& framework = service_->framework();
  const Course* c = framework.FindCourse(id);
  if (c == nullptr) {
    return Refused(Error{ErrorCode::kNotFound, "no course '" + id + "'", {}},
                   &who);
  }
  Data data;
  data.set("id", c->id);
  data.set("name", c->name);
  data.set("process", ProcessName(framework, c->process.id));
  data.set("audiences", Names(framework, c->audiences));
  SetText(data, "source", c->source);
  Data modules{Data::type::list};
  for (const auto& ref : c->modules) {
    const Module* m = framework.FindModule(ref.id);
    Data item;
    item.set("ref", ref.id);
    item.set("name", m != nullptr ? m->name : "");
    modules.push_back(item);
  }
  data.set("modules", modules);
  auto check = CheckCourse(framework, c->id);
  if (check) {
    auto lines = [](const std::vector<CoverageLine>& from) {
      Data list{Data::type::list};
      for (const auto& line : from) {
        Data item;
        item.set("text", line.text);
        item.set("covered", line.Covered());
        item.set("by", Join(line.covered_by, ", "));
        list.push_back(item);
      }
      return list;
    };
    data.set("content", lines(check->course_content));
    data.set("has_content", !check->course_content.empty());
    data.set("messages", lines(check->common_messages));
    data.set("has_messages", !check->common_messages.empty());
    data.set("missing", std::to_string(check->MissingCount()));
  }
  return Page(200, c->name, Render("course", data), &who, "/framework");
}

}  // namespace trellis::web
