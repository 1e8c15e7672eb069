// Accounts, API tokens, sign-ins, the audit trail's reading and checking, and
// idempotency keys.
#include <soci/soci.h>

#include <algorithm>

#include "store/sql_parts.h"
#include "store/sql_support.h"

namespace trellis::store_internal {
namespace {

constexpr const char* kUserColumns =
    "SELECT id, email, name, role, person_id, organisation_id, disabled, "
    "password_hash FROM users";

User UserFromRow(const soci::row& row) {
  User user;
  user.id = Text(row, 0);
  user.email = Text(row, 1);
  user.name = Text(row, 2);
  const std::string role = Text(row, 3);
  auto parsed = ParseUserRole(role);
  if (!parsed) {
    throw soci::soci_error("user '" + user.id + "' has role '" + role +
                           "', which Trellis does not write");
  }
  user.role = *parsed;
  user.person = Text(row, 4);
  user.organisation = Text(row, 5);
  user.disabled = Integer(row, 6) != 0;
  return user;
}

int Clamp(int limit) { return std::clamp(limit, 1, 1000); }

}  // namespace

std::expected<User, Error> AccountsSql::AddUser(
    User user, const std::string& password_hash, const Actor& by) {
  // A manager sees their person's team and an organisation lead their
  // organisation: without that link the role would mean nothing.
  if (user.role == UserRole::kManager && user.person.empty()) {
    return std::unexpected(Error{ErrorCode::kInvalidArgument,
                                 "a manager's account names their person",
                                 {{"person", "is required for a manager"}}});
  }
  if (user.role == UserRole::kOrganisationLead && user.organisation.empty()) {
    return std::unexpected(
        Error{ErrorCode::kInvalidArgument,
              "an organisation lead's account names their organisation",
              {{"organisation", "is required for an organisation lead"}}});
  }
  Transaction tx(sql_, dialect_.begin_write);
  long long taken = 0;
  sql_ << "SELECT COUNT(*) FROM users WHERE email = :e", soci::use(user.email),
      soci::into(taken);
  if (taken > 0) {
    return std::unexpected(
        Error{ErrorCode::kAlreadyExists,
              "an account for '" + user.email + "' exists already",
              {{"email", "already used"}}});
  }
  if (!user.person.empty() && !RowExists(stmts_, "people", user.person)) {
    return std::unexpected(Error{ErrorCode::kNotFound,
                                 "no person '" + user.person + "'",
                                 {{"person", "not known"}}});
  }
  if (!user.organisation.empty() &&
      !RowExists(stmts_, "organisations", user.organisation)) {
    return std::unexpected(Error{ErrorCode::kNotFound,
                                 "no organisation '" + user.organisation + "'",
                                 {{"organisation", "not known"}}});
  }
  user.id = NumberedId('U', NextNumber(stmts_, "user"));
  const std::string now = UtcNow();
  const std::string role = UserRoleName(user.role);
  Nullable person;
  person.Set(user.person);
  Nullable organisation;
  organisation.Set(user.organisation);
  const int disabled = user.disabled ? 1 : 0;
  sql_ << "INSERT INTO users (id, email, name, role, person_id, "
          "organisation_id, password_hash, disabled, changed_at, changed_by) "
          "VALUES (:id, :e, :n, :r, :p, :o, :h, :d, :at, :by)",
      soci::use(user.id), soci::use(user.email), soci::use(user.name),
      soci::use(role), soci::use(person.value, person.indicator),
      soci::use(organisation.value, organisation.indicator),
      soci::use(password_hash), soci::use(disabled), soci::use(now),
      soci::use(by.id);
  AuditWriter audit(stmts_, now, by.id);
  audit.Append("add", "user", user.id, "", AuditJson(user));
  tx.Commit();
  return user;
}

std::expected<void, Error> AccountsSql::SetPassword(
    const std::string& user, const std::string& password_hash,
    const Actor& by) {
  Transaction tx(sql_, dialect_.begin_write);
  if (!RowExists(stmts_, "users", user)) {
    return std::unexpected(Error{ErrorCode::kNotFound,
                                 "no user '" + user + "'",
                                 {{"user", "not known"}}});
  }
  const std::string now = UtcNow();
  sql_ << "UPDATE users SET password_hash = :h, changed_at = :at, "
          "changed_by = :by WHERE id = :id",
      soci::use(password_hash), soci::use(now), soci::use(by.id),
      soci::use(user);
  // Signed-in browsers must sign in again with the new password.
  sql_ << "DELETE FROM sign_ins WHERE user_id = :id", soci::use(user);
  AuditWriter audit(stmts_, now, by.id);
  audit.Append("set-password", "user", user, "", "");
  tx.Commit();
  return {};
}

std::optional<User> AccountsSql::FindUser(const std::string& id) {
  return stmts_.First(std::string(kUserColumns) + " WHERE id = :id", {id},
                      UserFromRow);
}

std::optional<std::pair<User, std::string>> AccountsSql::FindUserByEmail(
    const std::string& email) {
  return stmts_.First(std::string(kUserColumns) + " WHERE email = :e", {email},
                      [](const soci::row& row) {
                        return std::make_pair(UserFromRow(row), Text(row, 7));
                      });
}

std::vector<User> AccountsSql::ListUsers(ListWindow window) {
  const int limit = Clamp(window.limit);
  const int offset = std::max(window.offset, 0);
  soci::rowset<soci::row> rows =
      (sql_.prepare << kUserColumns
                    << " ORDER BY id LIMIT :limit OFFSET :offset",
       soci::use(limit), soci::use(offset));
  std::vector<User> users;
  for (const auto& row : rows) users.push_back(UserFromRow(row));
  return users;
}

std::expected<void, Error> AccountsSql::AddApiToken(
    const ApiToken& token, const std::string& secret_sha256, const Actor& by) {
  Transaction tx(sql_, dialect_.begin_write);
  if (!RowExists(stmts_, "users", token.user)) {
    return std::unexpected(Error{ErrorCode::kNotFound,
                                 "no user '" + token.user + "'",
                                 {{"user", "not known"}}});
  }
  if (RowExists(stmts_, "api_tokens", token.id)) {
    return std::unexpected(Error{ErrorCode::kAlreadyExists,
                                 "a token '" + token.id + "' exists",
                                 {{"id", "already used"}}});
  }
  const std::string now = UtcNow();
  sql_ << "INSERT INTO api_tokens (id, user_id, name, secret_sha256, "
          "created_at, created_by) VALUES (:id, :u, :n, :h, :at, :by)",
      soci::use(token.id), soci::use(token.user), soci::use(token.name),
      soci::use(secret_sha256), soci::use(now), soci::use(by.id);
  AuditWriter audit(stmts_, now, by.id);
  audit.Append("add", "api-token", token.id, "", AuditJson(token));
  tx.Commit();
  return {};
}

std::optional<std::pair<ApiToken, std::string>> AccountsSql::FindApiToken(
    const std::string& id) {
  auto found = stmts_.First(
      "SELECT id, user_id, name, created_at, revoked_at, secret_sha256 FROM "
      "api_tokens WHERE id = :id",
      {id}, [](const soci::row& row) {
        ApiToken token{Text(row, 0), Text(row, 1), Text(row, 2), Text(row, 3),
                       Text(row, 4)};
        return std::make_pair(std::move(token), Text(row, 5));
      });
  if (found && !found->first.revoked_at.empty()) return std::nullopt;
  return found;
}

std::expected<void, Error> AccountsSql::RevokeApiToken(const std::string& id,
                                                       const Actor& by) {
  Transaction tx(sql_, dialect_.begin_write);
  auto token = FindApiToken(id);
  if (!token) {
    return std::unexpected(Error{ErrorCode::kNotFound,
                                 "no token '" + id + "' in use",
                                 {{"id", "not known or revoked"}}});
  }
  const std::string now = UtcNow();
  sql_ << "UPDATE api_tokens SET revoked_at = :at WHERE id = :id",
      soci::use(now), soci::use(id);
  ApiToken after = token->first;
  after.revoked_at = now;
  AuditWriter audit(stmts_, now, by.id);
  audit.Append("revoke", "api-token", id, AuditJson(token->first),
               AuditJson(after));
  tx.Commit();
  return {};
}

void AccountsSql::AddSignIn(const std::string& secret_sha256,
                            const SignIn& sign_in) {
  Transaction tx(sql_, dialect_.begin_write);
  const std::string now = UtcNow();
  // Sign-ins past their time go as new ones come.
  sql_ << "DELETE FROM sign_ins WHERE expires_at < :now", soci::use(now);
  sql_ << "INSERT INTO sign_ins (secret_sha256, user_id, csrf_token, "
          "created_at, expires_at) VALUES (:h, :u, :c, :at, :exp)",
      soci::use(secret_sha256), soci::use(sign_in.user),
      soci::use(sign_in.csrf_token), soci::use(now),
      soci::use(sign_in.expires_at);
  tx.Commit();
}

std::optional<SignIn> AccountsSql::FindSignIn(
    const std::string& secret_sha256) {
  const std::string now = UtcNow();
  return stmts_.First(
      "SELECT user_id, csrf_token, expires_at FROM sign_ins WHERE "
      "secret_sha256 = :h AND expires_at > :now",
      {secret_sha256, now}, [](const soci::row& row) {
        return SignIn{Text(row, 0), Text(row, 1), Text(row, 2)};
      });
}

void AccountsSql::RemoveSignIn(const std::string& secret_sha256) {
  Transaction tx(sql_, dialect_.begin_write);
  sql_ << "DELETE FROM sign_ins WHERE secret_sha256 = :h",
      soci::use(secret_sha256);
  tx.Commit();
}

namespace {

AuditEntry AuditFromRow(const soci::row& row) {
  return AuditEntry{.seq = Integer(row, 0),
                    .at = Text(row, 1),
                    .actor = Text(row, 2),
                    .action = Text(row, 3),
                    .entity = Text(row, 4),
                    .entity_id = Text(row, 5),
                    .before = Text(row, 6),
                    .after = Text(row, 7),
                    .prev_hash = Text(row, 8),
                    .hash = Text(row, 9)};
}

constexpr const char* kAuditColumns =
    "SELECT seq, at, actor, action, entity, entity_id, before_json, "
    "after_json, prev_hash, hash FROM audit_log";

}  // namespace

std::vector<AuditEntry> AccountsSql::AuditTrail(const std::string& entity,
                                                const std::string& entity_id,
                                                std::int64_t after_seq,
                                                int limit) {
  const long long after = after_seq;
  const int n = Clamp(limit);
  std::vector<AuditEntry> entries;
  if (entity.empty()) {
    stmts_.Each(std::string(kAuditColumns) +
                    " WHERE seq > :after ORDER BY seq LIMIT :n",
                {after, n}, [&](const soci::row& row) {
                  entries.push_back(AuditFromRow(row));
                });
  } else {
    stmts_.Each(std::string(kAuditColumns) +
                    " WHERE entity = :e AND entity_id = :id AND seq > "
                    ":after ORDER BY seq LIMIT :n",
                {entity, entity_id, after, n}, [&](const soci::row& row) {
                  entries.push_back(AuditFromRow(row));
                });
  }
  return entries;
}

AuditVerification AccountsSql::VerifyAudit() {
  Transaction snapshot(sql_, dialect_.begin_read);
  AuditVerification result;
  std::string expected_prev(64, '0');
  std::int64_t expected_seq = 1;
  stmts_.Each(
      std::string(kAuditColumns) + " ORDER BY seq", {},
      [&](const soci::row& row) {
        if (result.first_broken != 0) return;  // the first is named
        AuditEntry entry = AuditFromRow(row);
        ++result.entries;
        std::string problem;
        if (entry.seq != expected_seq) {
          problem = "expected entry " + std::to_string(expected_seq) +
                    " here: an entry was removed or inserted";
        } else if (entry.prev_hash != expected_prev) {
          problem =
              "it does not link to the entry before it: an entry before it was "
              "removed, inserted or rewritten with its hash";
        } else if (AuditHash(entry) != entry.hash) {
          problem = "its content does not match its hash: it was edited";
        }
        if (!problem.empty()) {
          result.first_broken = entry.seq;
          result.problem = std::move(problem);
          return;
        }
        expected_prev = entry.hash;
        ++expected_seq;
      });
  snapshot.Commit();
  return result;
}

std::optional<KeptResponse> AccountsSql::ClaimKey(
    const std::string& user, const std::string& key,
    const std::string& fingerprint) {
  // A key is one row: the insert claims it, or finds it claimed (waiting for
  // a claim still being committed), so no other writer need wait.
  Transaction tx(sql_, dialect_.begin_own_rows);
  const std::string now = UtcNow();
  const long long claimed = stmts_.Run(
      "INSERT INTO idempotency_keys (user_id, key, fingerprint, status, "
      "response, created_at) VALUES (:u, :k, :f, 0, '', :at) ON CONFLICT "
      "(user_id, key) DO NOTHING",
      {user, key, fingerprint, now});
  if (claimed == 1) {
    tx.Commit();
    return std::nullopt;
  }
  return stmts_.First(
      "SELECT fingerprint, status, response FROM idempotency_keys WHERE "
      "user_id = :u AND key = :k",
      {user, key}, [](const soci::row& row) {
        return KeptResponse{Text(row, 0), static_cast<int>(Integer(row, 1)),
                            Text(row, 2)};
      });
}

void AccountsSql::KeepResponse(const std::string& user, const std::string& key,
                               int status, const std::string& body) {
  Transaction tx(sql_, dialect_.begin_own_rows);
  stmts_.Run(
      "UPDATE idempotency_keys SET status = :s, response = :r WHERE user_id = "
      ":u AND key = :k",
      {status, body, user, key});
  tx.Commit();
}

void AccountsSql::ReleaseKey(const std::string& user, const std::string& key) {
  Transaction tx(sql_, dialect_.begin_own_rows);
  stmts_.Run(
      "DELETE FROM idempotency_keys WHERE user_id = :u AND key = :k AND "
      "status = 0",
      {user, key});
  tx.Commit();
}

}  // namespace trellis::store_internal
