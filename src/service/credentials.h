// Secrets: password hashes (Argon2id, libsodium), API tokens and sign-in
// cookies. A secret is shown once and only its hash is kept; comparisons take
// the same time whatever matches.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "domain/error.h"

namespace trellis::service {

// The shortest password Trellis accepts; long passphrases are welcome (up to
// kMaxPasswordLength bytes, so a hash request cannot be made expensive).
inline constexpr size_t kMinPasswordLength = 12;
inline constexpr size_t kMaxPasswordLength = 1024;

// libsodium's Argon2id string (algorithm, cost and salt in it), at the
// "interactive" cost: about 64 MiB and a tenth of a second. kInvalidArgument
// naming "password" when it is too short or too long.
[[nodiscard]] std::expected<std::string, Error> HashPassword(
    std::string_view password);
// Whether `password` matches `hash`. False for an empty or malformed hash.
bool VerifyPassword(const std::string& hash, std::string_view password);

// `bytes` random bytes as lower-case hex.
std::string RandomHex(size_t bytes);

// Answers true when a and b are equal, in time that depends only on their
// lengths.
bool SameSecret(std::string_view a, std::string_view b);

// An API token as shown once to its owner: "trellis_" + id + "_" + secret.
// The id names the token in logs and lists; the secret's SHA-256 is kept.
struct TokenParts {
  std::string id;      // "T" + 12 hex digits
  std::string secret;  // 64 hex digits
};
TokenParts NewApiToken();
std::string FormatApiToken(const TokenParts& token);
std::optional<TokenParts> ParseApiToken(std::string_view text);

// The SHA-256 of a secret as hex: what the store keeps of tokens and sign-ins.
std::string SecretHash(std::string_view secret);

}  // namespace trellis::service
