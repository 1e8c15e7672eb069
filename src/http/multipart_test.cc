#include "http/multipart.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace trellis::http {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kType =
    "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW";
const std::string kDelimiter = "------WebKitFormBoundary7MA4YWxkTrZu0gW";

// A form as a browser sends it: each part's headers, a blank line and its
// body, between boundary lines, ending with the closing boundary.
std::string Form(const std::vector<std::string>& parts) {
  std::string body;
  for (const auto& part : parts) body += kDelimiter + "\r\n" + part + "\r\n";
  return body + kDelimiter + "--\r\n";
}

// The message of the error ParseMultipart gives, or "parsed" when none.
std::string ErrorOf(std::string_view content_type, std::string_view body) {
  auto parts = ParseMultipart(content_type, body);
  if (parts) return "parsed";
  EXPECT_EQ(parts.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(parts.error().fields.empty());
  return parts.error().message;
}

TEST(MultipartTest, ReadsAFileAndAFieldAsABrowserSendsThem) {
  const std::string csv =
      "person_id,name\r\nP1,\"Smith,\r\nAnn\"\r\nP2,Bob\r\n";
  const std::string body =
      Form({"Content-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc123",
            "Content-Disposition: form-data; name=\"file\"; "
            "filename=\"people.csv\"\r\nContent-Type: text/csv\r\n\r\n" +
                csv});
  auto parts = ParseMultipart(kType, body);
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  const FormPart& token = (*parts)[0];
  EXPECT_EQ(token.name, "csrf_token");
  EXPECT_EQ(token.body, "abc123");
  EXPECT_FALSE(token.is_file);
  EXPECT_EQ(token.filename, "");
  EXPECT_EQ(token.content_type, "");
  const FormPart& file = (*parts)[1];
  EXPECT_EQ(file.name, "file");
  EXPECT_TRUE(file.is_file);
  EXPECT_EQ(file.filename, "people.csv");
  EXPECT_EQ(file.content_type, "text/csv");
  EXPECT_EQ(file.body, csv) << "byte for byte, the last CRLF included";
}

TEST(MultipartTest, IgnoresPreambleEpilogueAndPaddingAndReadsEmptyParts) {
  const std::string body =
      "This is the preamble.\r\n" + kDelimiter + "  \t\r\n" +
      "Content-Disposition: form-data; name=empty\r\n\r\n" + "\r\n" +
      kDelimiter + "\r\n" +
      "content-disposition: FORM-DATA; NAME=\"upload\"; filename=\"\"\r\n"
      "Content-Type: application/octet-stream\r\n\r\n" +
      "\r\n" + kDelimiter + "--\r\nThis is the epilogue.\r\n" + kDelimiter;
  auto parts = ParseMultipart(kType, body);
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "empty");
  EXPECT_EQ((*parts)[0].body, "");
  // A file input with no file chosen.
  EXPECT_EQ((*parts)[1].name, "upload");
  EXPECT_TRUE((*parts)[1].is_file);
  EXPECT_EQ((*parts)[1].filename, "");
  EXPECT_EQ((*parts)[1].body, "");
}

TEST(MultipartTest, ReadsQuotedValuesAndIgnoresFilenameStar) {
  const std::string body = Form(
      {"Content-Disposition: form-data; name=\"a;b\"; "
       "filename*=UTF-8''na%C3%AFve.csv; filename=\"C:\\data\\say \\\"hi\\\""
       ".csv\"\r\nX-Other: ignored\r\n\r\nx"});
  auto parts = ParseMultipart(kType, body);
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].name, "a;b");
  // A backslash escapes only a quote or a backslash; Windows paths keep theirs.
  EXPECT_EQ((*parts)[0].filename, "C:\\data\\say \"hi\".csv");
}

TEST(MultipartTest, AnEmptyFormHasNoParts) {
  auto parts = ParseMultipart(kType, kDelimiter + "--\r\n");
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  EXPECT_TRUE(parts->empty());
}

TEST(MultipartTest, ReadsTheBoundaryOfAContentType) {
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=abc").value_or(""),
            "abc");
  EXPECT_EQ(MultipartBoundary("Multipart/Form-Data;charset=utf-8;"
                              " BOUNDARY=\"a b'()+_,-./:=?\"")
                .value_or(""),
            "a b'()+_,-./:=?");
  EXPECT_EQ(
      MultipartBoundary("multipart/form-data; boundary=x:y/z").value_or(""),
      "x:y/z");
}

TEST(MultipartTest, RefusesABadContentType) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"application/x-www-form-urlencoded", "not sent as multipart/form-data"},
      {"multipart/mixed; boundary=abc", "not sent as multipart/form-data"},
      {"multipart/form-data", "the boundary is missing"},
      {"multipart/form-data; charset=utf-8", "the boundary is missing"},
      {"multipart/form-data; boundary=", "the boundary must be"},
      {"multipart/form-data; boundary=\"ends in space \"",
       "the boundary must be"},
      {"multipart/form-data; boundary=" + std::string(71, 'a'),
       "the boundary must be"},
      {"multipart/form-data; boundary=a\"b", "the boundary must be"},
      {"multipart/form-data; boundary=a; boundary=b", "given twice"},
      {"multipart/form-data; boundary=\"abc", "is not closed"},
      {"multipart/form-data; boundary=\"abc\"x", "text follows"},
      {"multipart/form-data; boundary", "'boundary' has no value"},
      {"multipart/form-data; =abc", "no name"},
  };
  for (const auto& [type, expected] : cases) {
    EXPECT_THAT(ErrorOf(type, Form({})), HasSubstr(expected)) << type;
  }
}

TEST(MultipartTest, RefusesABadBody) {
  const std::string disposition = "Content-Disposition: form-data; name=x";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "no boundary line"},
      {"no boundary here", "no boundary line"},
      {kDelimiter, "ends without its closing boundary line"},
      {kDelimiter + "x\r\n", "text follows a boundary"},
      {kDelimiter + "\r\n" + disposition + "\r\n\r\nbody",
       "part 1 is not followed by a boundary line"},
      {kDelimiter + "\r\n" + disposition + "\r\n\r\nbody\r\n" + kDelimiter,
       "ends without its closing boundary line"},
      {kDelimiter + "\r\n" + disposition + "\r\n\r\nbody\r\n" + kDelimiter +
           "\r\n",
       "part 2 has no blank line after its headers"},
      {kDelimiter + "\r\n" + disposition + "\r\n" + kDelimiter + "--\r\n",
       "part 1 has no blank line after its headers"},
      {Form({disposition + "\r\nno colon here\r\n\r\nx"}),
       "part 1 has a header line without a colon"},
      {Form({disposition + "\r\nBad Name: x\r\n\r\nx"}),
       "part 1 has a header with a bad name"},
      {Form({"Content-Type: text/plain\r\n\r\nx"}),
       "part 1 has no Content-Disposition header"},
      {Form({"Content-Disposition: attachment; name=x\r\n\r\nx"}),
       "is not form-data"},
      {Form({"Content-Disposition: form-data; filename=a.csv\r\n\r\nx"}),
       "part 1 has no name"},
      {Form({"Content-Disposition: form-data; name=a; name=b\r\n\r\nx"}),
       "parameter 'name' is given twice"},
      {Form({disposition + "\r\n" + disposition + "\r\n\r\nx"}),
       "two Content-Disposition headers"},
      {Form({disposition + "\r\nContent-Type: a\r\nContent-Type: b\r\n\r\nx"}),
       "two Content-Type headers"},
      {Form({"Content-Disposition: form-data; name=\"\xff\"\r\n\r\nx"}),
       "not UTF-8"},
  };
  for (const auto& [body, expected] : cases) {
    EXPECT_THAT(ErrorOf(kType, body), HasSubstr(expected)) << body;
  }
}

TEST(MultipartTest, LimitsTheNumberOfParts) {
  const std::vector<std::string> most(
      kMaxFormParts, "Content-Disposition: form-data; name=x\r\n\r\ny");
  auto parts = ParseMultipart(kType, Form(most));
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  EXPECT_EQ(parts->size(), kMaxFormParts);
  std::vector<std::string> too_many = most;
  too_many.push_back(most.front());
  EXPECT_THAT(ErrorOf(kType, Form(too_many)), HasSubstr("more than 100 parts"));
}

}  // namespace
}  // namespace trellis::http
