// HTTP handlers for /api/auth/*, /api/me* and /api/admin/users*: they parse, call AccountService
// and format. Cookie and origin rules live here, business rules in account_service.h.
#pragma once

#include "api/account_service.h"
#include "http/router.h"

namespace practica::api {

struct CookieSettings {
  bool secure = true;  // off only for plain-http development
};

class AccountsApi {
 public:
  AccountsApi(AccountService& accounts, CookieSettings cookies)
      : accounts_(accounts), cookies_(cookies) {}

  Result<http::Response> SignUp(const http::Request& request);
  Result<http::Response> LogIn(const http::Request& request);
  Result<http::Response> Refresh(const http::Request& request);
  Result<http::Response> LogOut(const http::Request& request);

  Result<http::Response> GetMe(const http::Request& request);
  Result<http::Response> PatchMe(const http::Request& request);
  Result<http::Response> ChangePassword(const http::Request& request);
  Result<http::Response> StartTotp(const http::Request& request);
  Result<http::Response> ConfirmTotp(const http::Request& request);
  Result<http::Response> DisableTotp(const http::Request& request);
  Result<http::Response> Export(const http::Request& request);
  Result<http::Response> DeleteMe(const http::Request& request);

  Result<http::Response> ListUsers(const http::Request& request);
  Result<http::Response> PatchUser(const http::Request& request);

 private:
  http::Response SessionResponse(int status, const SignedIn& signed_in) const;
  void SetRefreshCookie(http::Response& response, std::string_view token) const;
  void ClearRefreshCookie(http::Response& response) const;

  AccountService& accounts_;
  const CookieSettings cookies_;
};

// The value of cookie `name` in a Cookie header, if present.
std::optional<std::string> CookieValue(const http::Request& request, std::string_view name);

}  // namespace practica::api
