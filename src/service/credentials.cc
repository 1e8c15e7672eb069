#include "service/credentials.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <vector>

namespace trellis::service {
namespace {

// sodium_init is safe to call from any thread, any number of times; it must
// run before the first call into libsodium.
void EnsureSodium() {
  static const int ready = sodium_init();
  if (ready < 0) throw std::runtime_error("libsodium could not start");
}

std::string Hex(const unsigned char* data, size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), data, size);
  hex.pop_back();
  return hex;
}

bool IsHex(std::string_view text) {
  return std::ranges::all_of(text, [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

}  // namespace

std::expected<std::string, Error> HashPassword(std::string_view password) {
  EnsureSodium();
  if (password.size() < kMinPasswordLength) {
    return std::unexpected(Error{
        ErrorCode::kInvalidArgument,
        "a password needs at least " + std::to_string(kMinPasswordLength) +
            " characters; three random words make a good one",
        {{"password", "too short"}}});
  }
  if (password.size() > kMaxPasswordLength) {
    return std::unexpected(Error{ErrorCode::kInvalidArgument,
                                 "a password may have at most " +
                                     std::to_string(kMaxPasswordLength) +
                                     " characters",
                                 {{"password", "too long"}}});
  }
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str(out.data(), password.data(), password.size(),
                        crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return std::unexpected(Error{ErrorCode::kUnavailable,
                                 "not enough memory to hash the password now",
                                 {}});
  }
  return std::string(out.data());
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  EnsureSodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES ||
      password.size() > kMaxPasswordLength) {
    return false;
  }
  return crypto_pwhash_str_verify(hash.c_str(), password.data(),
                                  password.size()) == 0;
}

std::string RandomHex(size_t bytes) {
  EnsureSodium();
  std::vector<unsigned char> data(bytes);
  randombytes_buf(data.data(), data.size());
  return Hex(data.data(), data.size());
}

bool SameSecret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  EnsureSodium();
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

TokenParts NewApiToken() {
  return TokenParts{"T" + RandomHex(6), RandomHex(32)};
}

std::string FormatApiToken(const TokenParts& token) {
  return "trellis_" + token.id + "_" + token.secret;
}

std::optional<TokenParts> ParseApiToken(std::string_view text) {
  constexpr std::string_view kPrefix = "trellis_";
  // "trellis_" + "T" + 12 hex + "_" + 64 hex.
  if (text.size() != kPrefix.size() + 13 + 1 + 64 ||
      !text.starts_with(kPrefix)) {
    return std::nullopt;
  }
  text.remove_prefix(kPrefix.size());
  const std::string_view id = text.substr(0, 13);
  const std::string_view secret = text.substr(14);
  if (id[0] != 'T' || !IsHex(id.substr(1)) || text[13] != '_' ||
      !IsHex(secret)) {
    return std::nullopt;
  }
  return TokenParts{std::string(id), std::string(secret)};
}

std::string SecretHash(std::string_view secret) {
  EnsureSodium();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(),
                     reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size());
  return Hex(digest.data(), digest.size());
}

}  // namespace trellis::service
