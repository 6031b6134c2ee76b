#include "api/accounts_api.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "api/json_body.h"
#include "api/json_fields.h"
#include "api/pagination.h"
#include "api/user_json.h"
#include "common/text.h"

namespace practica::api {
namespace json = boost::json;
namespace {

constexpr std::string_view kRefreshCookie = "practica_refresh";
constexpr size_t kMaxPassword = 1024;  // bytes; the policy allows 128 code points

http::Response JsonResponse(int status, const json::value& body) {
  return http::Response::Json(status, json::serialize(body));
}

// Cookie-authenticated routes refuse requests a browser sent from another site. SameSite=Strict
// already keeps the cookie away from them; this is the second lock (ASVS 50.1).
Status CheckSameOrigin(const http::Request& request) {
  const auto origin = request.headers.Get("Origin");
  if (!origin) return Status::Ok();
  const std::string_view host = request.headers.Get("Host").value_or("");
  const std::string_view bare = StartsWith(*origin, "https://")  ? origin->substr(8)
                                : StartsWith(*origin, "http://") ? origin->substr(7)
                                                                 : std::string_view();
  if (!host.empty() && bare == host) return Status::Ok();
  return Error::Forbidden("Cross-site requests may not use the session cookie.");
}

Result<json::object> Body(const http::Request& request) { return ParseJsonObjectBody(request); }

const http::Principal& Who(const http::Request& request) {
  return *request.principal;  // the route's Access guarantees it
}

}  // namespace

std::optional<std::string> CookieValue(const http::Request& request, std::string_view name) {
  const auto header = request.headers.Get("Cookie");
  if (!header) return std::nullopt;
  std::string_view rest = *header;
  while (!rest.empty()) {
    const size_t semi = rest.find(';');
    std::string_view pair = TrimWhitespace(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (TrimWhitespace(pair.substr(0, eq)) == name) {
      return std::string(TrimWhitespace(pair.substr(eq + 1)));
    }
  }
  return std::nullopt;
}

void AccountsApi::SetRefreshCookie(http::Response& response, std::string_view token) const {
  std::string cookie(kRefreshCookie);
  cookie += "=";
  cookie += token;
  cookie += "; Path=/api/auth; Max-Age=2592000; HttpOnly; SameSite=Strict";
  if (cookies_.secure) cookie += "; Secure";
  response.headers.Add("Set-Cookie", cookie);
}

void AccountsApi::ClearRefreshCookie(http::Response& response) const {
  std::string cookie(kRefreshCookie);
  cookie += "=; Path=/api/auth; Max-Age=0; HttpOnly; SameSite=Strict";
  if (cookies_.secure) cookie += "; Secure";
  response.headers.Add("Set-Cookie", cookie);
}

http::Response AccountsApi::SessionResponse(int status, const SignedIn& signed_in) const {
  http::Response response =
      JsonResponse(status, json::object{{"user", UserJson(signed_in.user)},
                                        {"access_token", signed_in.access_token},
                                        {"expires_in", signed_in.expires_in}});
  SetRefreshCookie(response, signed_in.refresh_token);
  return response;
}

Result<http::Response> AccountsApi::SignUp(const http::Request& request) {
  auto body = Body(request);
  if (!body.ok()) return body.error();
  // "role" is accepted and ignored: every account starts as a learner (no mass assignment).
  JsonFields fields(*body, {"email", "password", "display_name", "time_zone"}, {"role"});
  SignUpInput input;
  input.email = fields.String("email", true, 254).value_or("");
  input.password = fields.String("password", true, kMaxPassword).value_or("");
  input.display_name = fields.String("display_name", true, 400).value_or("");
  input.time_zone = fields.String("time_zone", false, 64).value_or("UTC");
  if (Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  input.user_agent = std::string(request.headers.Get("User-Agent").value_or(""));
  Result<SignedIn> signed_in = accounts_.SignUp(input);
  if (!signed_in.ok()) return signed_in.error();
  return SessionResponse(201, *signed_in);
}

Result<http::Response> AccountsApi::LogIn(const http::Request& request) {
  auto body = Body(request);
  if (!body.ok()) return body.error();
  JsonFields fields(*body, {"email", "password", "otp"});
  const std::string email = fields.String("email", true, 254).value_or("");
  const std::string password = fields.String("password", true, kMaxPassword).value_or("");
  const std::optional<std::string> otp = fields.String("otp", false, 64);
  if (Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  std::optional<std::string_view> code;
  if (otp) code = *otp;
  Result<SignedIn> signed_in =
      accounts_.LogIn(email, password, code, request.headers.Get("User-Agent").value_or(""));
  if (!signed_in.ok()) return signed_in.error();
  return SessionResponse(200, *signed_in);
}

Result<http::Response> AccountsApi::Refresh(const http::Request& request) {
  if (Status same = CheckSameOrigin(request); !same.ok()) return std::move(same).error();
  const std::string token = CookieValue(request, kRefreshCookie).value_or("");
  Result<SignedIn> signed_in = accounts_.Refresh(token);
  if (!signed_in.ok()) {
    return signed_in.error();
  }
  return SessionResponse(200, *signed_in);
}

Result<http::Response> AccountsApi::LogOut(const http::Request& request) {
  if (Status same = CheckSameOrigin(request); !same.ok()) return std::move(same).error();
  const std::string token = CookieValue(request, kRefreshCookie).value_or("");
  if (Status status = accounts_.LogOut(token); !status.ok()) return std::move(status).error();
  http::Response response = http::Response::NoContent();
  ClearRefreshCookie(response);
  return response;
}

Result<http::Response> AccountsApi::GetMe(const http::Request& request) {
  Result<domain::User> user = accounts_.Me(Who(request));
  if (!user.ok()) return user.error();
  return JsonResponse(200, UserJson(*user));
}

Result<http::Response> AccountsApi::PatchMe(const http::Request& request) {
  auto body = Body(request);
  if (!body.ok()) return body.error();
  JsonFields fields(*body, {"display_name", "time_zone"});
  auto display_name = fields.String("display_name", false, 400);
  auto time_zone = fields.String("time_zone", false, 64);
  if (Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  Result<domain::User> user =
      accounts_.UpdateMe(Who(request), std::move(display_name), std::move(time_zone));
  if (!user.ok()) return user.error();
  return JsonResponse(200, UserJson(*user));
}

Result<http::Response> AccountsApi::ChangePassword(const http::Request& request) {
  auto body = Body(request);
  if (!body.ok()) return body.error();
  JsonFields fields(*body, {"current_password", "new_password"});
  const std::string current = fields.String("current_password", true, kMaxPassword).value_or("");
  const std::string next = fields.String("new_password", true, kMaxPassword).value_or("");
  if (Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  if (Status status = accounts_.ChangePassword(Who(request), current, next); !status.ok()) {
    return std::move(status).error();
  }
  return http::Response::NoContent();
}

Result<http::Response> AccountsApi::StartTotp(const http::Request& request) {
  Result<TotpEnrolment> enrolment = accounts_.StartTotp(Who(request));
  if (!enrolment.ok()) return enrolment.error();
  return JsonResponse(
      201, json::object{{"secret", enrolment->secret}, {"otpauth_uri", enrolment->otpauth_uri}});
}

Result<http::Response> AccountsApi::ConfirmTotp(const http::Request& request) {
  auto body = Body(request);
  if (!body.ok()) return body.error();
  JsonFields fields(*body, {"code"});
  const std::string code = fields.String("code", true, 16).value_or("");
  if (Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  Result<TotpConfirmed> confirmed = accounts_.ConfirmTotp(Who(request), code);
  if (!confirmed.ok()) return confirmed.error();
  json::array codes;
  for (const std::string& recovery : confirmed->recovery_codes) codes.emplace_back(recovery);
  return JsonResponse(200, json::object{{"recovery_codes", std::move(codes)},
                                        {"access_token", confirmed->access_token},
                                        {"expires_in", confirmed->expires_in}});
}

Result<http::Response> AccountsApi::DisableTotp(const http::Request& request) {
  auto body = Body(request);
  if (!body.ok()) return body.error();
  JsonFields fields(*body, {"password"});
  const std::string password = fields.String("password", true, kMaxPassword).value_or("");
  if (Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  if (Status status = accounts_.DisableTotp(Who(request), password); !status.ok()) {
    return std::move(status).error();
  }
  return http::Response::NoContent();
}

Result<http::Response> AccountsApi::Export(const http::Request& request) {
  Result<std::string> document = accounts_.Export(Who(request));
  if (!document.ok()) return document.error();
  http::Response response = http::Response::Json(200, std::move(document).value());
  response.headers.Set("Content-Disposition", "attachment; filename=\"practica-export.json\"");
  return response;
}

Result<http::Response> AccountsApi::DeleteMe(const http::Request& request) {
  auto body = Body(request);
  if (!body.ok()) return body.error();
  JsonFields fields(*body, {"password"});
  const std::string password = fields.String("password", true, kMaxPassword).value_or("");
  if (Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  if (Status status = accounts_.DeleteAccount(Who(request), password); !status.ok()) {
    return std::move(status).error();
  }
  http::Response response = http::Response::NoContent();
  ClearRefreshCookie(response);
  return response;
}

Result<http::Response> AccountsApi::ListUsers(const http::Request& request) {
  Result<int> limit = PageLimit(request);
  if (!limit.ok()) return limit.error();
  const std::string query = request.QueryParam("q").value_or("");
  const std::string cursor = request.QueryParam("cursor").value_or("");
  if (query.size() > 254) return Error::Invalid("Invalid query parameter.", {{"q", "is too long"}});
  if (cursor.size() > 512) {
    return Error::Invalid("Invalid query parameter.",
                          {{"cursor", "is not a cursor this API gave"}});
  }
  Result<store::UserPage> page = accounts_.ListUsers(query, cursor, *limit);
  if (!page.ok()) return page.error();
  json::array items;
  for (const domain::User& user : page->items) items.push_back(UserJson(user, true));
  json::object body{{"items", std::move(items)}, {"next_cursor", nullptr}};
  if (page->next_cursor) body["next_cursor"] = *page->next_cursor;
  return JsonResponse(200, body);
}

Result<http::Response> AccountsApi::PatchUser(const http::Request& request) {
  auto body = Body(request);
  if (!body.ok()) return body.error();
  JsonFields fields(*body, {"role", "disabled"});
  const auto role_name = fields.String("role", false, 32);
  const auto disabled = fields.Bool("disabled", false);
  if (Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  std::optional<domain::Role> role;
  if (role_name) {
    role = domain::ParseRole(*role_name);
    if (!role) {
      return Error::Invalid("The request has invalid fields.",
                            {{"role", "must be learner, instructor or admin"}});
    }
  }
  const std::string_view id = request.Param("id");
  if (id.size() > 64) return Error::NotFound("No such user.");
  Result<domain::User> user = accounts_.AdminUpdate(Who(request), id, role, disabled);
  if (!user.ok()) return user.error();
  return JsonResponse(200, UserJson(*user, true));
}

}  // namespace practica::api
