#include "domain/condition.h"

namespace trellis {
namespace {

constexpr int kMaxDepth = 64;

std::optional<std::vector<Alternative>> AlternativesAt(const Condition& c,
                                                       size_t cap, int depth) {
  if (depth > kMaxDepth) return std::nullopt;
  switch (c.kind) {
    case ConditionKind::kAnyOf: {
      std::vector<Alternative> out;
      for (const auto& child : c.children) {
        auto sub = AlternativesAt(child, cap, depth + 1);
        if (!sub) return std::nullopt;
        for (auto& alternative : *sub) {
          out.push_back(std::move(alternative));
          if (out.size() > cap) return std::nullopt;
        }
      }
      return out;
    }
    case ConditionKind::kAllOf: {
      std::vector<Alternative> out{Alternative{}};
      for (const auto& child : c.children) {
        auto sub = AlternativesAt(child, cap, depth + 1);
        if (!sub) return std::nullopt;
        if (sub->size() * out.size() > cap) return std::nullopt;
        std::vector<Alternative> product;
        for (const auto& left : out) {
          for (const auto& right : *sub) {
            Alternative combined = left;
            combined.insert(combined.end(), right.begin(), right.end());
            product.push_back(std::move(combined));
          }
        }
        out = std::move(product);
      }
      return out;
    }
    default:
      return std::vector<Alternative>{Alternative{&c}};
  }
}

void CollectAt(const Condition& c, std::vector<const Ref*>& out, int depth) {
  if (depth > kMaxDepth) return;
  if (c.kind == ConditionKind::kCompleted) out.push_back(&c.ref);
  for (const auto& child : c.children) CollectAt(child, out, depth + 1);
}

std::string DescribeAt(const Condition& c, int depth) {
  if (depth > kMaxDepth) return "...";
  if (c.kind != ConditionKind::kAllOf && c.kind != ConditionKind::kAnyOf) {
    return DescribeAtom(c);
  }
  const bool any = c.kind == ConditionKind::kAnyOf;
  std::string out;
  for (size_t i = 0; i < c.children.size(); ++i) {
    const auto& child = c.children[i];
    std::string part = DescribeAt(child, depth + 1);
    const bool nested = child.kind == ConditionKind::kAnyOf && !any;
    if (i > 0) out += any ? ", or " : " and ";
    if (nested) {
      out += "(";
      out += part;
      out += ")";
    } else {
      out += part;
    }
  }
  return out;
}

}  // namespace

std::optional<std::vector<Alternative>> Alternatives(const Condition& condition,
                                                     size_t max_alternatives) {
  return AlternativesAt(condition, max_alternatives, 0);
}

void CollectCompletedRefs(const Condition& condition,
                          std::vector<const Ref*>& out) {
  CollectAt(condition, out, 0);
}

std::string DescribeAtom(const Condition& atom) {
  const Condition& c = atom;
  switch (c.kind) {
    case ConditionKind::kCompleted: {
      std::string out = c.ref.id;
      if (c.at_least)
        out += " at least " + FormatPeriod(*c.at_least) + " before";
      if (c.within)
        out += " no more than " + FormatPeriod(*c.within) + " before";
      if (c.in_last)
        out += " completed within the last " + FormatPeriod(*c.in_last);
      return out;
    }
    case ConditionKind::kExperience: {
      std::string out = "recognised prior learning: ";
      out += c.level.empty() ? std::string("experience") : c.level;
      if (c.years) out += " (at least " + std::to_string(*c.years) + " years)";
      if (!c.area.empty()) out += " in " + c.area;
      if (!c.attested_by.empty()) out += ", attested by " + c.attested_by;
      return out;
    }
    case ConditionKind::kCheck: {
      std::string out = "check " + c.ref.id;
      if (c.in_last) out += " within the last " + FormatPeriod(*c.in_last);
      return out;
    }
    case ConditionKind::kOrganisationReady:
      return "organisation ready for " + c.ref.id;
    case ConditionKind::kTargetGroup: {
      std::vector<std::string> ids;
      for (const auto* list : {&c.audiences, &c.roles, &c.sectors}) {
        for (const auto& r : *list) ids.push_back(r.id);
      }
      std::string out = "in the target group (";
      for (size_t i = 0; i < ids.size(); ++i)
        out += (i > 0 ? ", " : "") + ids[i];
      return out + ")";
    }
    case ConditionKind::kAllOf:
    case ConditionKind::kAnyOf:
      return DescribeCondition(c);
  }
  return {};
}

std::string DescribeCondition(const Condition& condition) {
  return DescribeAt(condition, 0);
}

}  // namespace trellis
