#include "cli/account_commands.h"

#include <algorithm>
#include <cstdlib>
#include <istream>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>

#include "domain/accounts.h"
#include "domain/text.h"
#include "service/credentials.h"
#include "store/store.h"

namespace trellis::cli {
namespace {

// The password for a new account or a reset: the first line of standard
// input with --password-stdin, else $TRELLIS_PASSWORD, else a new random one
// that is printed once. `generated` says which.
std::string ChoosePassword(bool from_stdin, std::istream& in, bool& generated) {
  generated = false;
  if (from_stdin) {
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  if (const char* env = std::getenv("TRELLIS_PASSWORD");
      env != nullptr && *env != '\0') {
    return env;
  }
  generated = true;
  const std::string hex = service::RandomHex(12);
  // Four groups of six: easier to read out and type than one run.
  return hex.substr(0, 6) + "-" + hex.substr(6, 6) + "-" + hex.substr(12, 6) +
         "-" + hex.substr(18, 6);
}

struct UserArgs {
  std::string email;
  std::string role;
  std::string person;
  std::string organisation;
  std::string name;
  bool password_stdin = false;
  bool no_password = false;
};

int UserAdd(const GlobalOptions& global, const UserArgs& a, std::istream& in,
            std::ostream& out, std::ostream& err) {
  auto role = ParseUserRole(a.role);
  if (!role) {
    err << "trellis: --role '" << a.role << "' is not a role; use one of "
        << UserRoleNames() << "\n";
    return kUsage;
  }
  const std::string email = ToLower(a.email);
  if (email.find('@') == std::string::npos || email.size() > 254) {
    err << "trellis: --email '" << a.email << "' is not an email address\n";
    return kUsage;
  }
  const bool needs_person = *role == UserRole::kLearner ||
                            *role == UserRole::kManager ||
                            *role == UserRole::kTrainer;
  if (needs_person && a.person.empty()) {
    err << "trellis: a " << UserRoleName(*role)
        << " account is for a person: give --person ID\n";
    return kUsage;
  }
  if (*role == UserRole::kOrganisationLead && a.organisation.empty()) {
    err << "trellis: an organisation-lead account is for an organisation: "
           "give --organisation ID\n";
    return kUsage;
  }
  auto store = OpenArea(global, OpenMode::kExisting);
  if (!store)
    return ReportError(err, store.error(), StoreStatus(store.error()));
  std::string name = a.name;
  if (name.empty() && !a.person.empty()) {
    auto person = (*store)->FindPerson(a.person);
    if (person && *person) name = (*person)->name;
  }
  if (name.empty()) name = email;
  std::string hash;
  bool generated = false;
  std::string password;
  if (!a.no_password) {
    password = ChoosePassword(a.password_stdin, in, generated);
    auto hashed = service::HashPassword(password);
    if (!hashed) return ReportError(err, hashed.error(), kUsage);
    hash = std::move(*hashed);
  }
  User user{"", email, name, *role, a.person, a.organisation, false};
  auto added = (*store)->AddUser(user, hash, Actor{CommandLineActor()});
  if (!added)
    return ReportError(err, added.error(), StoreStatus(added.error()));
  out << "Added " << UserRoleName(added->role) << " " << added->email << " ("
      << added->id << ")\n";
  if (generated) {
    out << "Password (shown once; change it with 'trellis user password'): "
        << password << "\n";
  }
  return 0;
}

int UserPassword(const GlobalOptions& global, const std::string& email_arg,
                 bool from_stdin, std::istream& in, std::ostream& out,
                 std::ostream& err) {
  auto store = OpenArea(global, OpenMode::kExisting);
  if (!store)
    return ReportError(err, store.error(), StoreStatus(store.error()));
  auto found = (*store)->FindUserByEmail(ToLower(email_arg));
  if (!found)
    return ReportError(err, found.error(), StoreStatus(found.error()));
  if (!*found) {
    err << "trellis: no account for '" << email_arg << "'\n";
    return kUsage;
  }
  bool generated = false;
  const std::string password = ChoosePassword(from_stdin, in, generated);
  auto hash = service::HashPassword(password);
  if (!hash) return ReportError(err, hash.error(), kUsage);
  auto set = (*store)->SetPassword((*found)->first.id, *hash,
                                   Actor{CommandLineActor()});
  if (!set) return ReportError(err, set.error(), StoreStatus(set.error()));
  out << "Password set for " << (*found)->first.email
      << "; their browsers are signed out\n";
  if (generated) out << "Password (shown once): " << password << "\n";
  return 0;
}

int UserList(const GlobalOptions& global, std::ostream& out,
             std::ostream& err) {
  auto store = OpenArea(global, OpenMode::kExisting);
  if (!store)
    return ReportError(err, store.error(), StoreStatus(store.error()));
  int offset = 0;
  for (;;) {
    auto users = (*store)->ListUsers(ListWindow{1000, offset});
    if (!users) return ReportError(err, users.error(), kRefused);
    for (const auto& u : *users) {
      out << u.id << "  " << UserRoleName(u.role) << "  " << u.email;
      if (!u.person.empty()) out << "  person " << u.person;
      if (!u.organisation.empty()) out << "  organisation " << u.organisation;
      if (u.disabled) out << "  (disabled)";
      out << "\n";
    }
    if (users->size() < 1000) break;
    offset += 1000;
  }
  return 0;
}

int TokenCreate(const GlobalOptions& global, const std::string& email,
                const std::string& name, std::ostream& out, std::ostream& err) {
  if (name.empty()) {
    err << "trellis: --name says what the token is for, e.g. 'HR nightly "
           "import'\n";
    return kUsage;
  }
  auto store = OpenArea(global, OpenMode::kExisting);
  if (!store)
    return ReportError(err, store.error(), StoreStatus(store.error()));
  auto found = (*store)->FindUserByEmail(ToLower(email));
  if (!found)
    return ReportError(err, found.error(), StoreStatus(found.error()));
  if (!*found) {
    err << "trellis: no account for '" << email
        << "'; add it first with 'trellis user add'\n";
    return kUsage;
  }
  const auto parts = service::NewApiToken();
  ApiToken token{parts.id, (*found)->first.id, name, "", ""};
  auto added = (*store)->AddApiToken(token, service::SecretHash(parts.secret),
                                     Actor{CommandLineActor()});
  if (!added)
    return ReportError(err, added.error(), StoreStatus(added.error()));
  out << "Token " << parts.id << " for " << (*found)->first.email << " ("
      << name << "). Shown once; send it as 'Authorization: Bearer TOKEN':\n"
      << service::FormatApiToken(parts) << "\n";
  return 0;
}

int TokenRevoke(const GlobalOptions& global, const std::string& id,
                std::ostream& out, std::ostream& err) {
  auto store = OpenArea(global, OpenMode::kExisting);
  if (!store)
    return ReportError(err, store.error(), StoreStatus(store.error()));
  auto revoked = (*store)->RevokeApiToken(id, Actor{CommandLineActor()});
  if (!revoked) {
    return ReportError(err, revoked.error(), StoreStatus(revoked.error()));
  }
  out << "Token " << id << " revoked\n";
  return 0;
}

int AuditVerify(const GlobalOptions& global, std::ostream& out,
                std::ostream& err) {
  auto store = OpenArea(global, OpenMode::kExisting);
  if (!store)
    return ReportError(err, store.error(), StoreStatus(store.error()));
  auto result = (*store)->VerifyAudit();
  if (!result) return ReportError(err, result.error(), kRefused);
  if (result->first_broken != 0) {
    err << "trellis: the audit trail is broken at entry "
        << result->first_broken << ": " << result->problem << "\n";
    return kRefused;
  }
  out << "The audit trail holds: " << result->entries
      << " entries, each linked to the one before\n";
  return 0;
}

struct LogArgs {
  std::string entity;
  std::string id;
  long long after = 0;
  int limit = 50;
};

int AuditLog(const GlobalOptions& global, const LogArgs& a, std::ostream& out,
             std::ostream& err) {
  if (a.entity.empty() != a.id.empty()) {
    err << "trellis: give --entity and --id together\n";
    return kUsage;
  }
  auto store = OpenArea(global, OpenMode::kExisting);
  if (!store)
    return ReportError(err, store.error(), StoreStatus(store.error()));
  auto entries = (*store)->AuditTrail(a.entity, a.id, a.after, a.limit);
  if (!entries) return ReportError(err, entries.error(), kRefused);
  for (const auto& e : *entries) {
    nlohmann::json line = {{"seq", e.seq},       {"at", e.at},
                           {"actor", e.actor},   {"action", e.action},
                           {"entity", e.entity}, {"id", e.entity_id}};
    line["before"] = e.before.empty()
                         ? nlohmann::json(nullptr)
                         : nlohmann::json::parse(e.before, nullptr, false);
    line["after"] = e.after.empty()
                        ? nlohmann::json(nullptr)
                        : nlohmann::json::parse(e.after, nullptr, false);
    out << line.dump() << "\n";
  }
  return 0;
}

}  // namespace

void AddAccountCommands(CLI::App& app, const GlobalOptions& global,
                        std::istream& in, std::ostream& out, std::ostream& err,
                        int* status) {
  CLI::App* user = app.add_subcommand("user", "Accounts that may sign in");
  user->require_subcommand(1);
  user->fallthrough();
  auto user_args = std::make_shared<UserArgs>();
  CLI::App* add = user->add_subcommand(
      "add",
      "Add an account; the password comes from --password-stdin, "
      "$TRELLIS_PASSWORD, or is made and shown once");
  add->add_option("--email", user_args->email, "Sign-in email")->required();
  add->add_option("--role", user_args->role, UserRoleNames())->required();
  add->add_option("--person", user_args->person,
                  "The person the account is for (learner, manager, trainer)");
  add->add_option("--organisation", user_args->organisation,
                  "The organisation an organisation-lead leads");
  add->add_option("--name", user_args->name,
                  "Display name (default: the person's name)");
  add->add_flag("--password-stdin", user_args->password_stdin,
                "Read the password from the first line of standard input");
  add->add_flag("--no-password", user_args->no_password,
                "Token-only account, for another system");
  add->callback([&global, user_args, &in, &out, &err, status] {
    *status = UserAdd(global, *user_args, in, out, err);
  });
  CLI::App* list = user->add_subcommand("list", "Every account");
  list->callback(
      [&global, &out, &err, status] { *status = UserList(global, out, err); });
  auto password_email = std::make_shared<std::string>();
  auto password_stdin = std::make_shared<bool>(false);
  CLI::App* password =
      user->add_subcommand("password", "Set an account's password");
  password->add_option("--email", *password_email, "Sign-in email")->required();
  password->add_flag("--password-stdin", *password_stdin,
                     "Read the password from standard input");
  password->callback([&global, password_email, password_stdin, &in, &out, &err,
                      status] {
    *status =
        UserPassword(global, *password_email, *password_stdin, in, out, err);
  });

  CLI::App* token = app.add_subcommand("token", "API tokens for other systems");
  token->require_subcommand(1);
  token->fallthrough();
  auto token_user = std::make_shared<std::string>();
  auto token_name = std::make_shared<std::string>();
  CLI::App* create =
      token->add_subcommand("create", "Make a token, shown once");
  create->add_option("--user", *token_user, "The account's email")->required();
  create->add_option("--name", *token_name, "What the token is for")
      ->required();
  create->callback([&global, token_user, token_name, &out, &err, status] {
    *status = TokenCreate(global, *token_user, *token_name, out, err);
  });
  auto revoke_id = std::make_shared<std::string>();
  CLI::App* revoke = token->add_subcommand("revoke", "Stop a token working");
  revoke->add_option("ID", *revoke_id, "The token's id, T...")->required();
  revoke->callback([&global, revoke_id, &out, &err, status] {
    *status = TokenRevoke(global, *revoke_id, out, err);
  });

  CLI::App* audit = app.add_subcommand("audit", "The audit trail");
  audit->require_subcommand(1);
  audit->fallthrough();
  CLI::App* verify = audit->add_subcommand(
      "verify",
      "Check every entry's hash and link; exit 1 at the first broken");
  verify->callback([&global, &out, &err, status] {
    *status = AuditVerify(global, out, err);
  });
  auto log_args = std::make_shared<LogArgs>();
  CLI::App* log =
      audit->add_subcommand("log", "Entries as JSON lines, oldest first");
  log->add_option("--entity", log_args->entity,
                  "person, booking, session, training-record, ...");
  log->add_option("--id", log_args->id, "The entity's id");
  log->add_option("--after", log_args->after, "Entries after this number");
  log->add_option("--limit", log_args->limit, "At most this many (1-1000)")
      ->check(CLI::Range(1, 1000));
  log->callback([&global, log_args, &out, &err, status] {
    *status = AuditLog(global, *log_args, out, err);
  });
}

}  // namespace trellis::cli
